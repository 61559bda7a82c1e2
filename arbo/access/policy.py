"""The one check: may this user do this action on this category of this subject?

Visibility querysets answer which rows a user may reach at all (relationships); :func:`can`
answers the category question on top. Views, API endpoints, exports and jobs fetch through the
querysets, so an object the user may not see is a 404, and show only the categories :func:`can`
allows.

Relationships (shared/domain.md §3, seeds 000, 002, 003, 004):
- staff reach an employee while on the team serving one of the employee's employers, while they
  have a care relationship with the employee (treating doctor, consulted colleague, assigned
  casemanager), through a doctor they work for (fixed substitute, taakdelegatie, POB), or through
  an active break-the-glass access;
- category C needs, on top of the matrix, a treatment relationship: the treating doctor, that
  doctor's fixed substitute or delegates, a consulted colleague, or break-the-glass;
- employer users (and API clients) reach only employees employed by their employers (a manager
  limited to departments, only those), and only categories A and D;
- employees reach only themselves, every category, read-only.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from arbo.access.matrix import CONTRACT_MANAGERS, ORGANISATION_WIDE, Action, Category, best_level
from arbo.access.models_care import CareRelationship, DoctorTeamMember, EmergencyAccess
from arbo.access.scope import memo
from arbo.audit.models import AuditEvent
from arbo.identity.models import User

# The one definition of a user's current functions (declaration-gated), re-exported: every check
# here and elsewhere calls these (tests/access/test_one_definition.py).
from arbo.identity.rights import can_decide_functions as can_decide_functions
from arbo.identity.rights import can_request_functions as can_request_functions
from arbo.identity.rights import can_review_access as can_review_access
from arbo.identity.rights import can_see_staff_accounts as can_see_staff_accounts
from arbo.identity.rights import holders_of as holders_of
from arbo.identity.rights import staff_functions
from arbo.identity.rights import staff_holding as staff_holding
from arbo.identity.roles import DOCTOR_FUNCTIONS, StaffFunction
from arbo.identity.roles import StaffFunction as F
from arbo.lib.sql import LARGE_SET, PerRowExists, at_least
from arbo.registry.models import Applicant, Employee, Employer, EmployerMembership, Employment

EMPLOYER_CATEGORIES = frozenset({Category.A, Category.D})
Basis = AuditEvent.Basis


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def served_employer_ids(user: User) -> QuerySet[Employer, Any]:
    return Employer.objects.filter(Q(team_memberships__user=user) & _current("team_memberships__")).values(
        "pk"
    )


def _doctors_worked_for(user: User) -> QuerySet[DoctorTeamMember, Any]:
    return DoctorTeamMember.objects.filter(Q(member=user) & _current()).values("doctor_id")


def _treated_employee_ids(user: User) -> QuerySet[CareRelationship, Any]:
    """Employees with whom ``user`` has a treatment relationship (category C may open)."""
    own = Q(user=user, kind__in=[CareRelationship.Kind.TREATING_DOCTOR, CareRelationship.Kind.CONSULTED])
    through_doctor = Q(user__in=_doctors_worked_for(user), kind=CareRelationship.Kind.TREATING_DOCTOR)
    return CareRelationship.objects.current().filter(own | through_doctor).values("employee_id")


def _emergency_employee_ids(user: User) -> QuerySet[EmergencyAccess, Any]:
    now = timezone.now()
    return EmergencyAccess.objects.filter(user=user, started_at__lte=now, expires_at__gt=now).values(
        "employee_id"
    )


#: A reach through employments at least this large is checked row by row (see :func:`_reached`).
LARGE_REACH = LARGE_SET


def _reached(
    user: User, employments: QuerySet[Employment, Any], others: list[QuerySet[Any, Any]], field: str
) -> Q:
    """Rows whose ``field`` is an employee with one of ``employments`` or yielded by one of ``others``.

    ``field`` is ``"pk"`` on the employee itself, ``"employee"`` on a model pointing at one. The SQL
    form is chosen by the size of the reach, so that a page costs about the same at any size of
    the book (issue 12; figures in docs/benchmarks.md, "Pages at scale"):

    - a small reach (fewer than :data:`LARGE_REACH` employments) is one ``IN (… UNION ALL …)``:
      PostgreSQL reads the few ids first and fetches those rows by key;
    - a large reach is a per-row ``EXISTS`` on the employment's indexed keys
      (:class:`~arbo.lib.sql.PerRowExists`), so that a page ordered by name reads a few dozen rows
      in order and stops, instead of collecting 100,000 ids first.

    Neither form joins, so no row appears twice and no ``DISTINCT`` is needed.
    """

    def large() -> bool:
        return at_least(employments.values("employer_id"), LARGE_REACH)

    if memo(("large_reach", user.pk), large):
        condition = Q(PerRowExists(employments.filter(employee=OuterRef(field))))
        for ids in others:
            condition |= Q(**{f"{field}__in": ids})
        return condition
    ids = employments.order_by().values("employee_id")
    return Q(
        **{f"{field}__in": ids.union(*(other.order_by() for other in others), all=True) if others else ids}
    )


def _served_employer_pks(user: User) -> list[int]:
    """The employers ``user`` serves, read once per request: a short list the checks below reuse."""
    return memo(("served", user.pk), lambda: list(served_employer_ids(user).values_list("pk", flat=True)))


def employers_visible_to(user: User) -> QuerySet[Employer]:
    """Employers this user may see (decided once per request: arbo.access.scope)."""
    return memo(("employers_visible_to", user.pk), lambda: _employers_visible_to(user)).all()


def _employers_visible_to(user: User) -> QuerySet[Employer]:
    if not user.is_authenticated or not user.is_active:
        return Employer.objects.none()
    if user.kind == User.Kind.STAFF:
        functions = staff_functions(user)
        if functions & ORGANISATION_WIDE:
            return Employer.objects.all()
        if best_level(functions, Category.D) == 0:
            return Employer.objects.none()
        return Employer.objects.filter(pk__in=served_employer_ids(user))
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        return Employer.objects.filter(memberships__user=user)
    return Employer.objects.none()


def employee_reach(user: User, field: str = "employee") -> Q | None:
    """The employees this user has a relationship with, as a condition on ``field`` (``"pk"`` on
    the employee, else a foreign key to it); ``None`` when the user reaches no one.

    :func:`employees_visible_to` is this on the employee table; lists of rows that belong to an
    employee (cases, ...) filter on it directly instead of through a subquery over all employees.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.kind == User.Kind.STAFF:
        functions = staff_functions(user)
        if not any(best_level(functions, c) for c in Category):
            return None
        others = [
            CareRelationship.objects.current().filter(user=user).values("employee_id"),
            _treated_employee_ids(user),
            _emergency_employee_ids(user),
        ]
        return _reached(
            user, Employment.objects.filter(employer__in=_served_employer_pks(user)), others, field
        )
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        scope = Q()
        for membership in user.employer_memberships.prefetch_related("departments"):
            departments = list(membership.departments.all())
            clause = Q(employer_id=membership.employer_id)
            if departments:
                clause &= Q(department__in=departments)
            scope |= clause
        if not scope:
            return None
        return _reached(user, Employment.objects.filter(scope), [], field)
    if user.kind == User.Kind.EMPLOYEE:
        return Q(user=user) if field == "pk" else Q(**{f"{field}__user": user})
    return None


def employees_visible_to(user: User) -> QuerySet[Employee]:
    """Employees this user has a relationship with. Every employee view fetches through this.

    Built once per request (arbo.access.scope); each caller gets its own copy to filter.
    """
    return memo(("employees_visible_to", user.pk), lambda: _employees_visible_to(user)).all()


def _employees_visible_to(user: User) -> QuerySet[Employee]:
    reach = employee_reach(user, "pk")
    return Employee.objects.none() if reach is None else Employee.objects.filter(reach)


def treated_employee_ids(user: User) -> QuerySet[CareRelationship, Any]:
    """Ids of the employees ``user`` treats, directly or through a doctor they work for."""
    return _treated_employee_ids(user)


def emergency_employee_ids(user: User) -> QuerySet[EmergencyAccess, Any]:
    """Ids of the employees ``user`` reaches through an active break-the-glass access."""
    return _emergency_employee_ids(user)


def team_colleague_ids(user: User) -> QuerySet[User, Any]:
    """Ids of the staff on a current team of an employer ``user`` currently serves (``user`` too)."""
    return User.objects.filter(
        Q(team_memberships__employer__in=served_employer_ids(user)) & _current("team_memberships__")
    ).values("pk")


def _staff_facts(user: User, employee_pk: int) -> dict[str, bool]:
    """What relates staff member ``user`` to one employee, read in one statement and once per
    request (issue 12): employed at an employer the user serves, a current care relationship, a
    treatment relationship, an active break-the-glass access; and whether the employee's
    processing is restricted. :func:`_reaches`, :func:`has_treatment_relationship`,
    :func:`has_emergency_access`, :func:`access_basis` and :func:`is_restricted` answer from it
    instead of one query each; the conditions are those of :func:`employee_reach`."""

    def decide() -> dict[str, bool]:
        row = (
            Employee.objects.filter(pk=employee_pk)
            .values(
                employed=Exists(
                    Employment.objects.filter(
                        employee=OuterRef("pk"), employer__in=_served_employer_pks(user)
                    )
                ),
                cared=Exists(CareRelationship.objects.current().filter(user=user, employee=OuterRef("pk"))),
                treats=Exists(_treated_employee_ids(user).filter(employee=OuterRef("pk"))),
                emergency=Exists(_emergency_employee_ids(user).filter(employee=OuterRef("pk"))),
                restricted=Exists(restricted_employee_ids().filter(employee=OuterRef("pk"))),
            )
            .first()
        )
        found: dict[str, Any] = dict(row.items()) if row else {}
        facts = {
            name: bool(found.get(name)) for name in ("employed", "cared", "treats", "emergency", "restricted")
        }
        memo(("restricted", employee_pk), lambda: facts["restricted"])
        return facts

    return memo(("staff_facts", user.pk, employee_pk), decide)


def has_treatment_relationship(user: User, employee: Employee) -> bool:
    if user.kind == User.Kind.STAFF and employee.pk is not None:
        return _staff_facts(user, employee.pk)["treats"]
    return memo(
        ("treats", user.pk, employee.pk),
        lambda: _treated_employee_ids(user).filter(employee_id=employee.pk).exists(),
    )


def has_emergency_access(user: User, employee: Employee) -> bool:
    if user.kind == User.Kind.STAFF and employee.pk is not None:
        return _staff_facts(user, employee.pk)["emergency"]
    return memo(
        ("emergency", user.pk, employee.pk),
        lambda: _emergency_employee_ids(user).filter(employee_id=employee.pk).exists(),
    )


def reaches(user: User, employee: Employee) -> bool:
    """Does ``user`` have a relationship with ``employee`` (is the employee in
    :func:`employees_visible_to`)? Decided once per request; a visiting doctor's read is not one."""
    return employee.pk is not None and _reaches(user, employee.pk)


def _reaches(user: User, employee_pk: int) -> bool:
    if user.kind == User.Kind.STAFF and user.is_authenticated and user.is_active:
        if not any(best_level(staff_functions(user), c) for c in Category):
            return False  # employee_reach: no category, no one
        facts = _staff_facts(user, employee_pk)
        return facts["employed"] or facts["cared"] or facts["treats"] or facts["emergency"]
    return memo(
        ("reaches", user.pk, employee_pk),
        lambda: employees_visible_to(user).filter(pk=employee_pk).exists(),
    )


def _category_allowed(user: User, action: Action, category: str) -> bool:
    if user.kind == User.Kind.STAFF:
        return best_level(staff_functions(user), category) >= action
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        return category in EMPLOYER_CATEGORIES and action <= Action.CHANGE
    if user.kind == User.Kind.EMPLOYEE:
        return action == Action.READ
    return False


def can(user: User, action: Action, category: str, subject: Employee | None = None) -> bool:
    """May ``user`` do ``action`` on ``category`` data (of ``subject``, when given)?

    Without a subject the question is whether the user may do this for anyone at all (used to
    decide which columns a list shows). With a subject the relationship must exist too, and for
    category C a treatment relationship or break-the-glass.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    subject_pk = None if subject is None else subject.pk
    return memo(
        ("can", user.pk, int(action), str(category), subject_pk),
        lambda: _can(user, action, category, subject),
    )


def _can(user: User, action: Action, category: str, subject: Employee | None) -> bool:
    if not _category_allowed(user, action, category):
        return False
    if subject is None or subject.pk is None:
        return True
    if not _reaches(user, subject.pk):
        # A visiting doctor reads (never writes) the sampled files while the visitation runs.
        return action == Action.READ and is_visiting(user, subject)
    if action >= Action.CHANGE and is_restricted(subject):
        return False
    if category == Category.C and user.kind == User.Kind.STAFF:
        return (
            has_treatment_relationship(user, subject)
            or has_emergency_access(user, subject)
            or (action == Action.READ and is_visiting(user, subject))
        )
    return True


def can_receive_release(user: User, subject: Employee) -> bool:
    """May ``user`` read what the arbodienst *released* about ``subject``?

    Category B stays closed to employers (shared/domain.md §3) except what a doctor or casemanager
    deliberately releases: the non-medical advice after a consultation and the WvP documents
    (probleemanalyse, plan van aanpak, ...). Those reach the employer users who may read category
    A of the employee, and the employee. Staff read them through ``can(user, READ, B, subject)``.
    Whether a given document or advice *is* released is the caller's question (its own field).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.kind == User.Kind.EMPLOYER:
        return can(user, Action.READ, Category.A, subject)
    if user.kind == User.Kind.EMPLOYEE:
        return _reaches(user, subject.pk)
    return False


def require(user: User, action: Action, category: str, subject: Employee | None = None) -> None:
    """Raise 404 (not 403: the object's existence is not disclosed) unless :func:`can` allows."""
    if not can(user, action, category, subject):
        raise Http404


def readable_categories(user: User, subject: Employee | None = None) -> frozenset[str]:
    return frozenset(c.value for c in Category if can(user, Action.READ, c, subject))


def access_basis(user: User, employee: Employee) -> str:
    """The NEN 7513 basis of ``user``'s access to ``employee``: what the audit record states."""
    return memo(("basis", user.pk, employee.pk), lambda: _access_basis(user, employee))


def _access_basis(user: User, employee: Employee) -> str:
    if user.kind == User.Kind.EMPLOYEE:
        return Basis.SELF
    if user.kind != User.Kind.STAFF:
        return Basis.AUTHORISATION
    if has_treatment_relationship(user, employee):
        return Basis.TREATMENT
    if is_visiting(user, employee):
        return Basis.VISITATION
    facts = _staff_facts(user, employee.pk)
    if not (facts["employed"] or facts["cared"]) and facts["emergency"]:
        return Basis.EMERGENCY
    return Basis.AUTHORISATION


# --- Kinds of user: which pages and forms a user gets at all ------------------------------------
# Views ask these instead of comparing ``user.kind`` themselves (tests/access/test_kind_checks.py).


def is_staff_user(user: User) -> bool:
    """Staff of the arbodienst (their functions decide the rest)."""
    return user.kind == User.Kind.STAFF


def is_employer_user(user: User) -> bool:
    """A person at an employer (HR, a manager): categories A and D of their own employees."""
    return user.kind == User.Kind.EMPLOYER


def is_employee_user(user: User) -> bool:
    """An employee in the portal: their own data only."""
    return user.kind == User.Kind.EMPLOYEE


def is_supplier_user(user: User) -> bool:
    """A supplier's engineer (processors): a support window, nothing of anyone's data."""
    return user.kind == User.Kind.SUPPLIER


def is_api_client(user: User) -> bool:
    """An employer's system calling the API with a token: what the employer's users may, by API."""
    return user.kind == User.Kind.API_CLIENT


def acts_for_employers(user: User) -> bool:
    """An employer user or an API client: reaches only the employers it is a member of."""
    return user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT)


def has_own_work(user: User) -> bool:
    """Staff and employees start on their own work page (issue 18); employer users on their
    dashboard, suppliers on their support window."""
    return is_staff_user(user) or is_employee_user(user)


def holds_staff_function(user: User) -> bool:
    """Staff with at least one current (declared) function: the office pages (retention schedule)."""
    return is_staff_user(user) and bool(staff_functions(user))


def may_fill_staff_fields(user: User, employee: Employee) -> bool:
    """The sick report's staff-only fields (the kind of safety net, ...): staff who change
    category B of the employee."""
    return is_staff_user(user) and can(user, Action.CHANGE, Category.B, employee)


def may_file_rights_request(user: User) -> bool:
    """An employee files (and follows) rights requests and complaints about themself in the portal."""
    return is_employee_user(user)


#: Who carries a milestone that an employer user may tick off (``absence.Milestone.Owner.EMPLOYER``).
_EMPLOYER_OWNED = "employer"


def may_complete_milestone(user: User, owner: str) -> bool:
    """Staff tick off any milestone of a case they may change; employer users only the employer's."""
    if is_staff_user(user):
        return True
    return is_employer_user(user) and owner == _EMPLOYER_OWNED


def can_manage_contracts(user: User) -> bool:
    return bool(staff_functions(user) & CONTRACT_MANAGERS)


def may_search_globally(user: User) -> bool:
    """The header's search (issue 18) is for staff who read the names of employees (category D):
    it finds only what :func:`employees_visible_to` and :func:`employers_visible_to` give them.
    Employer users search their own employee list; employees have nobody to search."""
    return user.kind == User.Kind.STAFF and can(user, Action.READ, Category.D)


def can_change_employer(user: User, employer: Employer | Any) -> bool:
    if can_manage_contracts(user):
        return True
    return can(user, Action.CHANGE, Category.D) and employers_visible_to(user).filter(pk=employer.pk).exists()


def may_edit_employees(user: User, employee: Employee | None = None) -> bool:
    """Register or change employees (category D)."""
    return can(user, Action.CHANGE, Category.D, employee)


def may_import_roster(user: User, employer: Employer) -> bool:
    """Import an employer's employee list: change rights on A and D, and for an employer user HR
    for the whole employer, since an import touches every employee, not just the departments a
    manager is limited to. (Visibility of the employer is the caller's fetch.)"""
    if not (can(user, Action.CHANGE, Category.A) and can(user, Action.CHANGE, Category.D)):
        return False
    if is_staff_user(user):
        return True
    if not is_employer_user(user):
        return False
    memberships = EmployerMembership.objects.filter(
        user=user, employer=employer, role=EmployerMembership.Role.HR
    )
    return memberships.filter(departments__isnull=True).exists()


# --- Absence (arbo.absence): documents and the UWV sheet ------------------------------------------


def may_write_case_document(user: User, employee: Employee, *, doctors_only: bool) -> bool:
    """Write, finalise and release a document of an absence case of ``employee``: staff who change
    category B; a document of the doctor's kinds (``doctors_only``) only a doctor."""
    if not is_staff_user(user) or not can(user, Action.CHANGE, Category.B, employee):
        return False
    return not doctors_only or is_doctor(user)


def case_document_reader(user: User, employee: Employee, *, final: bool, released: bool) -> str | None:
    """Which page of a WvP document of ``employee`` ``user`` gets: ``"staff"`` (staff who read
    category B of the employee: every version), ``"employee"`` (the employee, once the document is
    final), ``"employer"`` (the employer's users, once it is released to them), else ``None``."""
    if is_staff_user(user) and can(user, Action.READ, Category.B, employee):
        return "staff"
    if is_employee_user(user):
        return "employee" if final and can_receive_release(user, employee) else None
    if is_employer_user(user) and released and can_receive_release(user, employee):
        return "employer"
    return None


def may_see_uwv_sheet(user: User, employee: Employee) -> bool:
    """The UWV sheet of a case: staff with category A on the employee, and the users of the
    case's employer (the caller fetched the case through ``cases_visible_to``, which limits
    employer users to their own employers' cases); the employee gets it from the employer."""
    return (is_staff_user(user) or is_employer_user(user)) and can(user, Action.READ, Category.A, employee)


# --- Medical (arbo.medical): consultations, notes, advice, FML ------------------------------------
#
# Every predicate reduces to ``can()``, ``employees_visible_to()`` or ``can_receive_release()``;
# these names only say which category a medical record belongs to:
# - a free slot (time, place, doctor) is category D; but *that a named employee has an appointment
#   with the doctor* is care data: category B for a consultation in the absence process (kind
#   regular), category C for a preventive or other consultation. Only readers of that category of
#   the employee see the appointment with the name (:func:`may_see_appointment`);
# - the planner (D only) plans: books a consultation for an employee of a team it is on, and sees
#   and manages the bookings in the agenda of the doctors of its teams as "bezet", without the
#   employee's name (:func:`may_manage_slots_of`, ``medical.consultations.queries.bookings_manageable_by``).
#   Other functions with D only (directeur, secretariaat, financieel medewerker, arbeidshygiënist
#   ...) see no appointment at all and no agenda;
# - the reason for a consultation, notes, letters and information requests are category C: the
#   treating doctor and those working under the doctor, a consulted colleague, break-the-glass;
# - advice after a consultation and the FML are category B: staff with B read them, the doctor's
#   team writes them. Advice of a consultation that does not reach the employer (preventive,
#   other) is read by those with C only: that such a consultation took place is itself
#   confidential;
# - employer users read only what was released to them (``can_receive_release``), the employee
#   reads their own records once released to them.
# A consultation (``medical.Consultation``) and its advice are passed in; this module reads only
# their fields (the medical app sits above access).


def is_doctor(user: User) -> bool:
    """Holds a doctor function (bedrijfsarts, basisarts, stafarts), as every check counts it."""
    return bool(staff_functions(user) & DOCTOR_FUNCTIONS)


def is_own(user: User, employee: Employee) -> bool:
    """The employee themself, logged in."""
    return is_employee_user(user) and user.is_active and employee.user_id == user.pk


def is_planner(user: User) -> bool:
    return is_staff_user(user) and staff_holding(user, StaffFunction.PLANNER)


def appointment_category(consultation: Any) -> str:
    """The category of the fact that the employee has this appointment with the doctor."""
    return Category.B if consultation.reaches_employer else Category.C


def may_plan(user: User, employee: Employee) -> bool:
    """Book, reschedule or cancel a consultation of ``employee``: the planner (who changes D of the
    employee, on the employer's team), or staff who change category B of the employee (doctor,
    casemanager ...). Other D-only functions do not plan: the booking itself says who sees the
    doctor."""
    if not is_staff_user(user):
        return False
    if is_planner(user) and can(user, Action.CHANGE, Category.D, employee):
        return True
    return can(user, Action.CHANGE, Category.B, employee)


def may_manage_slots_of(user: User, doctor: User) -> bool:
    """Open or remove consultation hours of ``doctor``: the doctor, or a planner on the team of at
    least one employer the doctor serves. Organisation-wide functions (directeur, functioneel
    beheerder) serve no employer and do not manage anyone's agenda."""
    if not is_staff_user(user) or not user.is_active:
        return False
    if user == doctor:
        return is_doctor(user)
    return (
        is_planner(user)
        and served_employer_ids(user).filter(pk__in=served_employer_ids(doctor)).exists()
        and is_doctor(doctor)
    )


def may_see_agenda(user: User) -> bool:
    """A doctor's agenda: doctors, planners, and staff who read category B (they see the
    appointments of the employees whose B they read; the rest of the agenda only as free slots)."""
    return is_staff_user(user) and (is_doctor(user) or is_planner(user) or can(user, Action.READ, Category.B))


def may_see_appointment(user: User, consultation: Any) -> bool:
    """Staff who read the appointment's category (B or C) of the employee see it with the name
    (never the reason: that is :func:`may_read_medical`)."""
    return is_staff_user(user) and (
        can(user, Action.READ, appointment_category(consultation), consultation.employee)
        or (consultation.doctor_id == user.pk and is_doctor(user))
    )


def may_read_medical(user: User, employee: Employee) -> bool:
    return can(user, Action.READ, Category.C, employee)


def may_treat(user: User, employee: Employee) -> bool:
    """Write category C (notes, reasons, letters, information requests) and the advice."""
    return is_staff_user(user) and can(user, Action.CHANGE, Category.C, employee)


def may_be_consultation_doctor(doctor: User, employee: Employee) -> bool:
    return is_doctor(doctor) and employees_visible_to(doctor).filter(pk=employee.pk).exists()


def staff_may_read_advice(user: User, consultation: Any) -> bool:
    if not is_staff_user(user):
        return False
    category = Category.B if consultation.reaches_employer else Category.C
    return can(user, Action.READ, category, consultation.employee) and can(
        user, Action.READ, Category.B, consultation.employee
    )


def employer_may_read_advice(user: User, advice: Any) -> bool:
    return (
        is_employer_user(user)
        and advice.employer_released_at is not None
        and can_receive_release(user, advice.employee)
    )


def may_write_fml(user: User, employee: Employee) -> bool:
    """The FML is the doctor's judgement: a doctor with the treatment relationship writes it."""
    return is_doctor(user) and may_treat(user, employee) and can(user, Action.CHANGE, Category.B, employee)


def may_read_fml(user: User, employee: Employee) -> bool:
    if is_employee_user(user):
        return is_own(user, employee)
    return is_staff_user(user) and can(user, Action.READ, Category.B, employee)


# --- Applicants (pre-employment exams, arbo.prevention) -----------------------------------------
#
# An applicant (registry.Applicant) is not an employee: there is no employment, no care
# relationship and no portal account, so the employee rules above do not apply. The rules:
# - staff: only doctors (bedrijfsarts, basisarts, stafarts) whose functions reach category C and
#   who are on the team serving the applicant's employer. The doctors of that team are the care
#   team for its keuringen: one examines, another may take over questions, the complaint or a
#   re-examination. No other function reaches an applicant (not the secretariat, planner,
#   casemanager, taakdelegatie or POB). A doctor who leaves the team loses the access, as every
#   team-based right ends (seed 003 §6);
# - employer users: employer-wide users of the applicant's employer (not managers limited to
#   departments: an applicant has none) see the applicant's identity and the *released* outcome
#   only (Wet op de medische keuringen: the outcome, never results, and only with the
#   applicant's consent);
# - employees and API clients: none (the API has no applicant endpoint).
# Invisible applicants answer 404.


def _applicant_doctor(user: User, action: Action) -> bool:
    functions = staff_functions(user)
    return bool(functions & DOCTOR_FUNCTIONS) and best_level(functions, Category.C) >= action


def _employer_wide_employer_ids(user: User) -> list[int]:
    return [
        membership.employer_id
        for membership in user.employer_memberships.prefetch_related("departments")
        if not membership.departments.all()
    ]


def applicants_visible_to(user: User) -> QuerySet[Applicant]:
    """Applicants this user may reach at all (see the rules above). Every applicant view uses it."""
    if not user.is_authenticated or not user.is_active:
        return Applicant.objects.none()
    if user.kind == User.Kind.STAFF:
        if not _applicant_doctor(user, Action.READ):
            return Applicant.objects.none()
        return Applicant.objects.filter(employer__in=served_employer_ids(user))
    if user.kind == User.Kind.EMPLOYER:
        return Applicant.objects.filter(employer_id__in=_employer_wide_employer_ids(user))
    return Applicant.objects.none()


def can_read_exam_results(user: User, applicant: Applicant) -> bool:
    """May ``user`` read an applicant's exam results (category C)? Only the doctors above."""
    return (
        user.kind == User.Kind.STAFF
        and _applicant_doctor(user, Action.READ)
        and applicants_visible_to(user).filter(pk=applicant.pk).exists()
    )


def can_examine_applicant(user: User, applicant: Applicant) -> bool:
    """May ``user`` record an exam of ``applicant`` (become its examining doctor)?"""
    return _applicant_doctor(user, Action.CHANGE) and can_read_exam_results(user, applicant)


def can_receive_exam_outcome(user: User, applicant: Applicant) -> bool:
    """May ``user`` receive the applicant's outcome once the applicant released it? Employer users only."""
    return user.kind == User.Kind.EMPLOYER and applicants_visible_to(user).filter(pk=applicant.pk).exists()


def can_file_medical_correspondence(user: User, employee: Employee) -> bool:
    """May ``user`` file incoming medical correspondence (a scanned letter) for ``employee``?

    Write-only (seed 004): the secretariat files medical correspondence for the employees it
    reaches and sees their identity data, but has no access to the medical file the doctor
    builds, so filing a letter does not let it read that letter back (reading stays
    ``can(user, READ, C, employee)``). Whoever may change category C of the employee may file too.
    """

    if can(user, Action.CHANGE, Category.C, employee):
        return True
    return StaffFunction.SECRETARIAAT in staff_functions(user) and can(
        user, Action.READ, Category.D, employee
    )


# --- Reporting (arbo.reporting): group figures only -----------------------------------------------
#
# Absence figures are aggregates under small-group suppression (arbo.reporting.suppression), but
# who may ask for which employer's figures is still a policy question:
# - employer users: their own employers; a manager limited to departments only those departments;
# - API clients: their own employer;
# - staff with a management function (REPORTING_FUNCTIONS): the employers they may see
#   (employers_visible_to: every employer for organisation-wide functions such as the directeur),
#   and the arbodienst's management view; no other staff function (a doctor or casemanager works
#   with persons, not with an employer's figures).


def _reporting_functions() -> frozenset[str]:

    return frozenset({F.DIRECTEUR, F.REGIOMANAGER, F.MANAGER_SSC, F.MEDISCH_MANAGER, F.TEAMLEIDER_KLANT})


def can_see_management_reports(user: User) -> bool:
    return bool(staff_functions(user) & _reporting_functions())


def report_employers_for(user: User) -> QuerySet[Employer]:
    """Employers whose absence figures ``user`` may see (404 for any other)."""
    if not user.is_authenticated or not user.is_active:
        return Employer.objects.none()
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        return Employer.objects.filter(memberships__user=user).distinct()
    if user.kind == User.Kind.STAFF and can_see_management_reports(user):
        return employers_visible_to(user)
    return Employer.objects.none()


def report_departments_for(user: User, employer: Employer) -> set[int] | None:
    """The departments a manager is limited to at ``employer`` (``None``: employer-wide)."""
    if user.kind not in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        return None
    for membership in user.employer_memberships.filter(employer=employer).prefetch_related("departments"):
        departments = {d.pk for d in membership.departments.all()}
        return departments or None
    return set()


def can_release_research_data(user: User) -> bool:
    """Research releases (anonymised, verified) are the medisch manager's decision: it reads the
    diagnosis chapters of the people in it on the way (arbo.reporting.research)."""

    return StaffFunction.MEDISCH_MANAGER in staff_functions(user)


# --- Restriction of processing (AVG art. 18; arbo.privacy.rights) -------------------------------
#
# While a restriction is in force the person's data is kept and nothing else is done with it: no
# change, no export, no disclosure, no job (issue 13). ``can`` refuses every CHANGE and DELETE on a
# restricted subject; exports, disclosures and jobs call ``is_restricted`` / ``require_unrestricted``
# or filter with ``exclude_restricted``. Reading stays possible (the decider of the request must
# read; the file itself is kept). The restriction lives in the privacy app (above this one), so it
# is looked up by model name.


def restricted_employee_ids() -> QuerySet[Any, Any]:
    """Ids of the employees under a restriction in force (a subquery)."""
    restriction = apps.get_model("privacy", "Restriction")
    return restriction.objects.filter(lifted_at__isnull=True).values("employee_id")


def is_restricted(employee: Employee | int) -> bool:
    """Is processing of ``employee`` restricted (AVG art. 18)? Every write, export, disclosure and job asks."""
    employee_id = employee if isinstance(employee, int) else employee.pk
    if employee_id is None:
        return False
    # Once per request (a restriction's save or delete empties the memo: AccessConfig.ready).
    return memo(
        ("restricted", employee_id),
        lambda: restricted_employee_ids().filter(employee_id=employee_id).exists(),
    )


def exclude_restricted(queryset: QuerySet[Any], field: str = "pk") -> QuerySet[Any]:
    """``queryset`` without the rows of restricted employees (``field`` names the employee id)."""
    return queryset.exclude(**{f"{field}__in": restricted_employee_ids()})


def require_unrestricted(employee: Employee, user: User | None = None) -> None:
    """Raise 404 when ``employee`` is restricted: an export or disclosure of them does not exist.
    The person themself (``user`` their own account) still gets their own copy."""
    if user is not None and user.kind == User.Kind.EMPLOYEE and employee.user_id == user.pk:
        return
    if is_restricted(employee):
        raise Http404


# --- Quality visitation (arbo.consent; seed 002, seed 003 §6.6) ----------------------------------
#
# The privacy officer opens a visitation: a visiting doctor reads a sample of one doctor's files
# between ``starts_at`` and ``ends_at``. The access is decided here, on the clock, at every read:
# it ends by itself when the time is up (no job revokes it), it never allows a change, and an
# employee who objected drops out at once, even from a sample drawn before the objection. The
# visitation lives in the consent app (above this one), so it is looked up by model name.


def visiting_employee_ids(user: User) -> QuerySet[Any, Any]:
    """Ids of the employees ``user`` may read now as a visiting doctor (a subquery)."""
    if (
        not user.is_authenticated
        or user.kind != User.Kind.STAFF
        or not (staff_functions(user) & DOCTOR_FUNCTIONS)
    ):
        return Employee.objects.none().values("pk")
    visitation = apps.get_model("consent", "Visitation")
    objection = apps.get_model("consent", "VisitationObjection")
    now = timezone.now()
    return (
        visitation.sample.through.objects.filter(
            visitation__visiting_doctor=user,
            visitation__starts_at__lte=now,
            visitation__ends_at__gt=now,
        )
        .exclude(employee_id__in=objection.objects.values("employee_id"))
        .values("employee_id")
    )


def is_visiting(user: User, employee: Employee) -> bool:
    """Does ``user`` read ``employee``'s file as a visiting doctor right now (basis "visitation")?"""
    if employee.pk is None or user.kind != User.Kind.STAFF or not (staff_functions(user) & DOCTOR_FUNCTIONS):
        return False
    # One read per request: the sample of the running visitations is small.
    visited = memo(
        ("visiting", user.pk), lambda: set(visiting_employee_ids(user).values_list("employee_id", flat=True))
    )
    return employee.pk in visited
