"""Quality visitation (seed 002, seed 003 §6.6): writing it.

The privacy officer opens a visitation: a visiting doctor may read a random sample of one doctor's
files between ``starts_at`` and ``ends_at``. The employee may object from the portal at any time
(and withdraw the objection); an objector is never drawn, and one who objects later drops out of
every sample at once. Whether the visiting doctor may read is decided by
:func:`arbo.access.policy.is_visiting` on the clock at every read: the access ends by itself, and
it never allows a change. Every read is audited with basis "visitation".
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access, record_access_many
from arbo.access.models_care import CareRelationship
from arbo.access.policy import is_employee_user, is_staff_user, restricted_employee_ids
from arbo.audit import log
from arbo.consent.models import Visitation, VisitationObjection
from arbo.identity.models import User
from arbo.identity.rights import staff_functions
from arbo.identity.roles import DOCTOR_FUNCTIONS, StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee

#: The longest a visitation may run, and the largest sample.
MAX_DURATION = dt.timedelta(days=30)
MAX_SAMPLE = 50


def may_manage_visitations(user: User) -> bool:
    """The privacy officer (FG) opens and ends visitations."""
    return user.is_active and is_staff_user(user) and StaffFunction.PRIVACY_OFFICER in staff_functions(user)


def is_doctor(user: User) -> bool:
    return user.is_active and is_staff_user(user) and bool(staff_functions(user) & DOCTOR_FUNCTIONS)


def objector_ids() -> list[int]:
    return list(VisitationObjection.objects.values_list("employee_id", flat=True))


def candidates(visited_doctor: User, visiting_doctor: User) -> list[int]:
    """The files of ``visited_doctor`` that may be drawn: the employees they treat or treated,
    never an objector, a restricted person, or a patient of the visiting doctor themself."""
    treated = CareRelationship.objects.filter(
        user=visited_doctor, kind=CareRelationship.Kind.TREATING_DOCTOR
    ).values("employee_id")
    own = CareRelationship.objects.filter(user=visiting_doctor).values("employee_id")
    return list(
        Employee.objects.filter(pk__in=treated)
        .exclude(pk__in=own)
        .exclude(pk__in=VisitationObjection.objects.values("employee_id"))
        .exclude(pk__in=restricted_employee_ids())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def open_visitation(
    by: User,
    *,
    visiting_doctor: User,
    visited_doctor: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    sample_size: int,
) -> Visitation:
    """Open a visitation with a random sample of ``visited_doctor``'s files (privacy officer only).

    Refuses (``DomainError``, nothing written) a doctor visiting themself, a visitor or visited who
    is not a doctor, an end before the start or in the past, a term longer than
    :data:`MAX_DURATION`, a sample size outside 1–:data:`MAX_SAMPLE`, or a doctor without files
    that may be drawn. Audited per sampled person (``consent.visitation_sampled``).
    """
    if not may_manage_visitations(by):
        raise Http404
    if not is_doctor(visiting_doctor):
        raise DomainError(_("De visiterend arts moet een arts zijn."), field="visiting_doctor")
    if not is_doctor(visited_doctor):
        raise DomainError(_("Kies de arts wiens dossiers worden gevisiteerd."), field="visited_doctor")
    if visiting_doctor.pk == visited_doctor.pk:
        raise DomainError(_("Een arts kan zijn eigen dossiers niet visiteren."), field="visiting_doctor")
    if ends_at <= starts_at:
        raise DomainError(_("Het einde moet na het begin liggen."), field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError(_("Het einde ligt in het verleden."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_("Een visitatie duurt hoogstens 30 dagen."), field="ends_at")
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise DomainError(
            _("Kies een steekproef van 1 tot {max} dossiers.").format(max=MAX_SAMPLE), field="sample_size"
        )
    with transaction.atomic():
        pool = candidates(visited_doctor, visiting_doctor)
        if not pool:
            raise DomainError(
                _(
                    "Deze arts heeft geen dossiers die in de steekproef mogen (of alle werknemers maakten bezwaar)."
                ),
                field="visited_doctor",
            )
        drawn = secrets.SystemRandom().sample(pool, min(sample_size, len(pool)))
        visitation = Visitation.objects.create(
            visiting_doctor=visiting_doctor,
            visited_doctor=visited_doctor,
            opened_by=by,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        visitation.sample.set(drawn)
        record_access_many(
            by,
            log.Action.CREATE,
            "consent.visitation_sampled",
            Employee.objects.filter(pk__in=drawn).order_by("pk"),
            category="D",
            basis=log.Basis.VISITATION,
            data={"visitation": visitation.pk},
        )
    return visitation


def end_visitation(by: User, visitation_id: int) -> Visitation:
    """End a visitation now (privacy officer): the visiting doctor's access stops at once."""
    if not may_manage_visitations(by):
        raise Http404
    now = timezone.now()
    with transaction.atomic():
        locked = Visitation.objects.select_for_update().filter(pk=visitation_id).first()
        if locked is None:
            raise Http404
        if locked.ends_at <= now:
            raise DomainError(_("Deze visitatie is al afgelopen."))
        if locked.starts_at >= now:  # not begun: it never runs (the end stays after the start)
            locked.starts_at = now - dt.timedelta(seconds=1)
        locked.ends_at = now
        locked.save(update_fields=["starts_at", "ends_at"])
    return locked


def object_to_visitation(employee: Employee, *, by: User) -> VisitationObjection:
    """The employee objects: never drawn again, and out of every running or coming sample now."""
    if not is_employee_user(by) or employee.user_id != by.pk:
        raise Http404
    with transaction.atomic():
        if VisitationObjection.objects.filter(employee=employee).exists():
            raise DomainError(_("Je hebt al bezwaar gemaakt tegen visitatie."))
        objection = VisitationObjection.objects.create(employee=employee, objected_at=timezone.now())
        Visitation.sample.through.objects.filter(
            employee_id=employee.pk, visitation__ends_at__gt=timezone.now()
        ).delete()
        record_access(
            by, log.Action.CREATE, "consent.visitation_objected", employee, category="D", basis=log.Basis.SELF
        )
    return objection


def withdraw_visitation_objection(employee: Employee, *, by: User) -> None:
    """The employee withdraws the objection: from now on the file may be drawn again."""
    if not is_employee_user(by) or employee.user_id != by.pk:
        raise Http404
    with transaction.atomic():
        deleted, _rows = VisitationObjection.objects.filter(employee=employee).delete()
        if not deleted:
            raise DomainError(_("Je hebt geen bezwaar gemaakt tegen visitatie."))
        record_access(
            by,
            log.Action.DELETE,
            "consent.visitation_objection_withdrawn",
            employee,
            category="D",
            basis=log.Basis.SELF,
        )
