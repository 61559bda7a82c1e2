"""The privacy office's models, one sub-domain package each (Django reads them from here).

- ``breaches``: the breach register (AVG art. 33/34) with the 72-hour clock.
- ``complaints``: privacy complaints and Wkkgz complaints about care.
- ``register``: the register of processing (AVG art. 30) and the privacy statement built from it.
- ``processors``: processor agreements and supplier support windows.
- ``rights``: data-subject rights requests, restrictions and objections.
"""

from arbo.privacy.breaches.models import PERSONAL_DATA_CATEGORIES as _BREACHES
from arbo.privacy.breaches.models import Breach, BreachAffectedPerson, BreachSignal
from arbo.privacy.complaints.models import PERSONAL_DATA_CATEGORIES as _COMPLAINTS
from arbo.privacy.complaints.models import Complaint, ComplaintSignal
from arbo.privacy.processors.models import PERSONAL_DATA_CATEGORIES as _PROCESSORS
from arbo.privacy.processors.models import Processor, SupportEngineer, SupportWindow
from arbo.privacy.register.models import PERSONAL_DATA_CATEGORIES as _REGISTER
from arbo.privacy.register.models import ActivityChange, ProcessingActivity, StatementVersion
from arbo.privacy.rights.models import PERSONAL_DATA_CATEGORIES as _RIGHTS
from arbo.privacy.rights.models import (
    IdentityCopy,
    Objection,
    Restriction,
    RightsRequest,
    RightsSignal,
    SubjectStatement,
)

__all__ = [
    "PERSONAL_DATA_CATEGORIES",
    "Breach",
    "BreachAffectedPerson",
    "BreachSignal",
    "Complaint",
    "ComplaintSignal",
    "ActivityChange",
    "ProcessingActivity",
    "StatementVersion",
    "Processor",
    "SupportEngineer",
    "SupportWindow",
    "IdentityCopy",
    "Objection",
    "Restriction",
    "RightsRequest",
    "RightsSignal",
    "SubjectStatement",
]

PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    **_BREACHES,
    **_COMPLAINTS,
    **_REGISTER,
    **_PROCESSORS,
    **_RIGHTS,
}
