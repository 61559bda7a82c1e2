"""Writing the consent register: record a consent, withdraw it.

A leaf below the data apps (like :mod:`arbo.audit.log` and :mod:`arbo.portal.inbox`): the medical
and prevention apps record their consents here inside their own transactions. Withdrawal is never
retroactive: what was shared under the consent stays shared, but no use starts after it
(``Consent.objects.valid()`` is what every use checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, is_employee_user, is_staff_user
from arbo.audit import log
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.identity.rights import staff_functions
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.medical import keys
from arbo.registry.models import Applicant, Employee

#: A signed form's scan: recognised by its first bytes (the browser's content type is not trusted).
FORM_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAX_FORM_BYTES = 10 * 1024 * 1024


def record_consent(
    kind: str,
    *,
    employee: Employee | None = None,
    applicant: Applicant | None = None,
    purpose: str,
    how: str,
    given_by: str,
    by: User,
    category: str,
    given_at: dt.datetime | None = None,
    valid_until: dt.date | None = None,
    scope: Iterable[str] = (),
    form: bytes | None = None,
    **recipient: Any,
) -> Consent:
    """Add one consent to the register and audit it (``consent.recorded``).

    ``recipient`` names whom the data may reach: ``recipient=`` an organisation, ``practitioner=``
    or ``employer=``. ``form`` is the signed form's scan (PDF, JPEG or PNG, at most 10 MB), sealed
    with the person's data key. Callers check their own permission first; this checks the consent.
    """
    if how not in Consent.How.values:
        raise DomainError(_("Kies hoe de toestemming is gegeven."), field="how")
    if not given_by.strip():
        raise DomainError(_("Vul in wie toestemming gaf."), field="given_by")
    given_at = given_at or timezone.now()
    if valid_until is not None and valid_until < timezone.localtime(given_at).date():
        raise DomainError(
            _("De toestemming is al verlopen: de einddatum ligt voor de datum van geven."),
            field="valid_until",
        )
    form_type = ""
    if form is not None:
        if not 0 < len(form) <= MAX_FORM_BYTES:
            raise DomainError(
                _("Het ondertekende formulier is leeg of groter dan 10 MB."), field="signed_form"
            )
        form_type = next((t for sig, t in FORM_SIGNATURES if form.startswith(sig)), "")
        if not form_type:
            raise DomainError(
                _("Upload het ondertekende formulier als PDF, JPEG of PNG."), field="signed_form"
            )
    with transaction.atomic():
        consent = Consent.objects.create(
            form_encrypted=keys.encrypt_file_for(employee, form) if form is not None and employee else None,
            form_content_type=form_type,
            kind=kind,
            employee=employee,
            applicant=applicant,
            purpose=purpose[:300],
            how=how,
            given_by=given_by.strip()[:200],
            given_at=given_at,
            valid_until=valid_until,
            scope=list(scope),
            recorded_by=by,
            category=category,
            **recipient,
        )
        person = employee or applicant
        assert person is not None  # the check constraint holds it too: one person per consent
        record_access(
            by,
            log.Action.CREATE,
            "consent.recorded",
            person,
            obj=consent,
            category=category,
            basis=log.Basis.CONSENT,
            data={"kind": kind, "how": how},
        )
    return consent


def may_withdraw(user: User, consent: Consent) -> bool:
    """The person themself; the doctor's team, who record a withdrawal given on paper or in person;
    the privacy officer, who handles a data-subject request to withdraw."""
    if consent.employee is None:
        return False
    if is_employee_user(user):
        return user.is_active and consent.employee.user_id == user.pk
    return is_staff_user(user) and (
        can(user, Action.CHANGE, Category.C, consent.employee)
        or StaffFunction.PRIVACY_OFFICER in staff_functions(user)
    )


def withdraw_consent(consent: Consent, *, by: User) -> Consent:
    """Withdraw ``consent`` now: every later use is refused at once; earlier uses stay (seed 003).

    404 for someone who may not withdraw it. The data-subject rights request "withdrawal of
    consent" (``arbo.privacy.rights``) calls this too. Audited as ``consent.withdrawn``.
    """
    employee = consent.employee
    if employee is None or not may_withdraw(by, consent):
        raise Http404
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise DomainError(_("Deze toestemming is al ingetrokken."))
        if not locked.withdrawable:
            raise DomainError(
                _(
                    "De uitslag is al naar de werkgever gegaan; die toestemming kan niet meer worden ingetrokken."
                )
            )
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record_access(
            by,
            log.Action.UPDATE,
            "consent.withdrawn",
            employee,
            obj=locked,
            category=locked.category,
            data={"kind": locked.kind},
        )
    consent.refresh_from_db()
    return consent
