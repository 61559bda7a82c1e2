"""Who may do what in the medical app: the predicates live in :mod:`arbo.access.policy` (the one
check, issue 10), whose "Medical" section says which category each medical record belongs to.

Re-exported here for the medical app's own modules, which import them by these names.
"""

from __future__ import annotations

from arbo.access.policy import appointment_category as appointment_category
from arbo.access.policy import employer_may_read_advice as employer_may_read_advice
from arbo.access.policy import is_own as is_own
from arbo.access.policy import is_planner as is_planner
from arbo.access.policy import may_be_consultation_doctor as may_be_consultation_doctor
from arbo.access.policy import may_manage_slots_of as may_manage_slots_of
from arbo.access.policy import may_plan as may_plan
from arbo.access.policy import may_read_fml as may_read_fml
from arbo.access.policy import may_read_medical as may_read_medical
from arbo.access.policy import may_see_agenda as may_see_agenda
from arbo.access.policy import may_see_appointment as may_see_appointment
from arbo.access.policy import may_treat as may_treat
from arbo.access.policy import may_write_fml as may_write_fml
from arbo.access.policy import staff_may_read_advice as staff_may_read_advice
