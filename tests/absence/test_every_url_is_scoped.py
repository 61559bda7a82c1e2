"""Every absence URL that names an object answers 404 to users outside its relationships.

The URL list is read from the URLconf, not written down here: a new absence page that forgets the
visibility querysets fails this test without anyone remembering to add it. Each URL is requested
with GET and POST (with plausible form data) by another employer's HR user, an employee of that
other employer, and the secretariat of the case's own employer (no category A or B), and nothing
in the absence tables may change.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from arbo.absence.documents import domain as documents
from arbo.absence.models import (
    AbsenceCase,
    CaseDocument,
    DocumentVersion,
    Milestone,
    RecoveryReport,
    ReportChange,
    SickPeriod,
)
from arbo.absence.reports import domain as report_domain
from arbo.identity.models import User
from tests import factories as f
from tests.url_scan import named_id_routes

NAMESPACES = ("absence",)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
NEVER_OPEN = {"calculator"}  # no object in the URL: the calculator stores and reads nothing


def _absence_patterns() -> list[tuple[str, str]]:
    return [(name, route) for name, route in named_id_routes("absence") if name not in NEVER_OPEN]


def _snapshot() -> tuple[int, ...]:
    models = (AbsenceCase, SickPeriod, RecoveryReport, ReportChange, Milestone, CaseDocument, DocumentVersion)
    changed = (
        SickPeriod.objects.filter(withdrawn_at__isnull=False).count(),
        Milestone.objects.filter(done_on__isnull=False).count(),
        CaseDocument.objects.filter(released_to_employer_at__isnull=False).count(),
    )
    return tuple(m.objects.count() for m in models) + changed


@pytest.fixture
def world(employee_of_a, hr_wim, casemanager_carla, doctor_bram):  # type: ignore[no-untyped-def]
    from arbo.access import care

    with time_machine.travel(dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        period = report_domain.report_sick(
            employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date(2025, 1, 6)
        )
        case = period.case
        recovery = report_domain.report_recovery(
            case, by=hr_wim, via="portal", kind="partial", recovered_on=dt.date(2025, 2, 3), percentage=50
        )
        care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
        document = documents.create_document(
            case,
            kind=CaseDocument.Kind.PLAN_VAN_AANPAK,
            by=casemanager_carla,
            sections={"doel": "Terug in eigen werk"},
        )
    return {
        "employee_id": employee_of_a.pk,
        "case_id": case.pk,
        "period_id": period.pk,
        "recovery_id": recovery.pk,
        "milestone_id": case.milestones.get(kind="plan_van_aanpak").pk,
        "document_id": document.pk,
    }


def test_the_scan_finds_the_absence_urls() -> None:
    names = {name for name, _route in _absence_patterns()}
    assert {"case_detail", "report_sick", "withdraw", "document_detail", "uwv_sheet_pdf"} <= names


@pytest.mark.parametrize("who", ["other_employer", "other_employee", "secretariat"])
def test_every_absence_url_is_404_outside_the_relationship(
    who, world, employer_b, employer_a, mfa_client
) -> None:
    if who == "other_employer":
        user = f.make_employer_user(employer_b, username="olga")
    elif who == "other_employee":
        user = f.UserFactory(username="bob", kind=User.Kind.EMPLOYEE)
        other = employer_b.employments.first().employee
        other.user = user
        other.save(update_fields=["user"])
    else:
        from arbo.identity.roles import StaffFunction

        user = f.UserFactory(username="sanne", kind=User.Kind.STAFF)
        f.give_function(user, StaffFunction.SECRETARIAAT)
        f.join_team(user, employer_a)
    client = mfa_client(user)
    before = _snapshot()
    post_data = {
        "first_sick_day": "2025-03-03",
        "expected_duration": "week",
        "kind": "full",
        "recovered_on": "2025-03-03",
        "done_on": "2025-03-03",
        "due_on": "2025-03-20",
        "reason": "Een reden van voldoende lengte",
        "report_type": "sick_period",
        "report_id": str(world["period_id"]),
        "casemanager": str(user.pk),
        "version": "1",
        "doel": "Overgenomen",
    }
    checked = 0
    for name, route in _absence_patterns():
        url = re.sub(r"<int:(\w+)>", lambda m: str(world[m.group(1)]), route)
        for method in ("get", "post"):
            response = getattr(client, method)(url, post_data if method == "post" else None)
            assert response.status_code in (404, 405), (who, name, method, response.status_code)
            checked += 1
    assert checked >= 30
    assert _snapshot() == before
