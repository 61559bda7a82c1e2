"""Sick and recovery reports, adding up, corrections and withdrawals, milestones, caseloads.

Through the domain functions (the rules) and through real HTTP (what a user does). The clock is
fixed with time-machine; everything else is real.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from arbo.absence import domain
from arbo.absence.milestones import domain as milestone_domain
from arbo.absence.models import AbsenceCase, Milestone, RecoveryReport, SickPeriod
from arbo.absence.reports import domain as report_domain
from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError
from tests import factories as f

TODAY = dt.date(2025, 3, 3)  # a Monday


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _report(employee, by, first, **kwargs):  # type: ignore[no-untyped-def]
    return report_domain.report_sick(employee, by=by, via="portal", first_sick_day=first, **kwargs)


def test_sick_report_opens_a_case_with_its_milestones(employee_of_a, hr_wim) -> None:
    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 24), phone="0612345678")

    case = period.case
    assert case.status == AbsenceCase.Status.OPEN
    assert case.employer == employee_of_a.employments.first().employer
    due = {m.kind: m.due_on for m in case.milestones.all()}
    assert due[Milestone.Kind.REPORT_TO_ARBODIENST] == dt.date(2025, 3, 2)
    assert due[Milestone.Kind.PROBLEEMANALYSE] == dt.date(2025, 4, 6)
    assert due[Milestone.Kind.PLAN_VAN_AANPAK] == dt.date(2025, 4, 20)
    assert due[Milestone.Kind.WAGE_PAYMENT_END] == dt.date(2027, 2, 21)
    reported = case.milestones.get(kind=Milestone.Kind.REPORT_TO_ARBODIENST)
    assert reported.done_on == TODAY  # reported on day 8: done, one day late
    assert AuditEvent.objects.filter(
        event="absence.sick_reported", subject_kind="employee", subject_id=employee_of_a.pk
    ).exists()


def test_sick_report_contact_data_is_encrypted_at_rest(employee_of_a, hr_wim) -> None:
    from django.db import connection

    period = _report(
        employee_of_a, hr_wim, dt.date(2025, 3, 1), phone="0612999888", stay_address="Logeeradres 12"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, stay_address FROM absence_sickperiod WHERE id = %s", [period.pk])
        phone, address = cursor.fetchone()
    assert "0612999888" not in phone
    assert "Logeeradres" not in address
    assert SickPeriod.objects.get(pk=period.pk).phone == "0612999888"


@pytest.mark.parametrize(
    "remark",
    [
        "Hij heeft griep",
        "rugklachten na het tillen",
        "Ze is overspannen (burn-out)",
        "ligt in het ziekenhuis",
    ],
)
def test_employer_remark_with_a_medical_term_is_refused_and_nothing_is_stored(
    employee_of_a, hr_wim, remark
) -> None:
    with pytest.raises(DomainError) as error:
        _report(employee_of_a, hr_wim, dt.date(2025, 3, 1), remarks=remark)

    assert error.value.field == "remarks"
    assert "oorzaak" in error.value.message
    assert not AbsenceCase.objects.exists()
    assert not SickPeriod.objects.exists()


def test_harmless_employer_remark_is_accepted(employee_of_a, hr_wim) -> None:
    period = _report(
        employee_of_a, hr_wim, dt.date(2025, 3, 1), remarks="Terug voor overleg; sleutels bij Piet"
    )
    assert period.remarks.startswith("Terug")


def test_employer_cannot_record_which_safety_net(employee_of_a, hr_wim) -> None:
    with pytest.raises(DomainError):
        _report(employee_of_a, hr_wim, dt.date(2025, 3, 1), safety_net_kind="pregnancy")
    assert not SickPeriod.objects.exists()


def test_staff_records_the_safety_net_kind(employee_of_a, casemanager_carla) -> None:
    period = report_domain.report_sick(
        employee_of_a,
        by=casemanager_carla,
        via="staff",
        first_sick_day=dt.date(2025, 3, 1),
        safety_net_kind="pregnancy",
    )
    assert period.safety_net is True
    assert period.safety_net_kind == "pregnancy"


def test_employer_of_another_company_cannot_report(employee_of_a, outsider_olaf) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        _report(employee_of_a, outsider_olaf, dt.date(2025, 3, 1))


def test_future_first_sick_day_and_double_report_are_refused(employee_of_a, hr_wim) -> None:
    with pytest.raises(DomainError):
        _report(employee_of_a, hr_wim, dt.date(2025, 3, 10))
    _report(employee_of_a, hr_wim, dt.date(2025, 3, 1))
    with pytest.raises(DomainError) as error:
        _report(employee_of_a, hr_wim, dt.date(2025, 3, 2))
    assert "herstel" in error.value.message
    assert SickPeriod.objects.count() == 1


def test_partial_recovery_keeps_the_clock_running(employee_of_a, hr_wim) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 1, 6)).case
    before = {m.kind: m.due_on for m in case.milestones.all()}

    report_domain.report_recovery(
        case,
        by=hr_wim,
        via="portal",
        kind="partial",
        recovered_on=dt.date(2025, 2, 17),
        percentage=50,
        hours_per_week=Decimal("18"),
    )
    report_domain.record_therapeutic_work(
        case, by=hr_wim, starts_on=dt.date(2025, 2, 24), hours_per_week=Decimal("4")
    )

    case.refresh_from_db()
    assert case.status == AbsenceCase.Status.OPEN
    assert {m.kind: m.due_on for m in case.milestones.all()} == before
    assert not case.milestones.filter(not_applicable=True).exists()


def test_full_recovery_closes_the_open_milestones(employee_of_a, hr_wim) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 3)).case

    report_domain.report_recovery(
        case, by=hr_wim, via="portal", kind="full", recovered_on=dt.date(2025, 3, 3)
    )

    case.refresh_from_db()
    assert case.status == AbsenceCase.Status.RECOVERED
    assert case.periods.get().last_sick_day == dt.date(2025, 3, 2)
    open_ = case.milestones.filter(done_on__isnull=True)
    assert open_.exists()
    assert all(m.status == Milestone.Status.NOT_APPLICABLE for m in open_)


def test_recovery_validation_changes_nothing(employee_of_a, hr_wim) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 3)).case
    for kwargs in (
        {"kind": "partial", "recovered_on": dt.date(2025, 2, 10), "percentage": 0},
        {"kind": "partial", "recovered_on": dt.date(2025, 2, 10), "percentage": 100},
        {"kind": "full", "recovered_on": dt.date(2025, 2, 3)},
        {"kind": "full", "recovered_on": dt.date(2025, 3, 20)},
    ):
        with pytest.raises(DomainError):
            report_domain.report_recovery(case, by=hr_wim, via="portal", **kwargs)  # type: ignore[arg-type]
    assert not RecoveryReport.objects.exists()
    assert AbsenceCase.objects.get().status == AbsenceCase.Status.OPEN


def test_new_period_within_28_fit_days_continues_the_case(employee_of_a, hr_wim) -> None:
    # The research's worked example: sick 3 Jan – 3 Jul 2022, fit 4–24 Jul, sick again 25 Jul.
    with time_machine.travel(dt.datetime(2022, 7, 4, 9, tzinfo=dt.UTC), tick=False):
        case = _report(employee_of_a, hr_wim, dt.date(2022, 1, 3)).case
        report_domain.report_recovery(
            case, by=hr_wim, via="portal", kind="full", recovered_on=dt.date(2022, 7, 4)
        )
    end = case.milestones.get(kind=Milestone.Kind.WAGE_PAYMENT_END)
    assert end.due_on == dt.date(2023, 12, 31)

    with time_machine.travel(dt.datetime(2022, 7, 25, 9, tzinfo=dt.UTC), tick=False):
        period = _report(employee_of_a, hr_wim, dt.date(2022, 7, 25))

    assert period.case == case
    case.refresh_from_db()
    assert case.status == AbsenceCase.Status.OPEN
    end.refresh_from_db()
    assert end.due_on == dt.date(2024, 1, 21)
    assert end.not_applicable is False


def test_28_fit_days_open_a_new_case(employee_of_a, hr_wim) -> None:
    first = _report(employee_of_a, hr_wim, dt.date(2025, 1, 6)).case
    report_domain.report_recovery(
        first, by=hr_wim, via="portal", kind="full", recovered_on=dt.date(2025, 1, 13)
    )
    # last sick day 12 Jan; fit 13 Jan – 9 Feb = 28 days; sick again 10 Feb
    second = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10)).case
    assert second != first
    assert second.first_sick_day == dt.date(2025, 2, 10)


def test_withdrawal_keeps_history_and_reopens(employee_of_a, hr_wim) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 3)).case
    recovery = report_domain.report_recovery(
        case, by=hr_wim, via="portal", kind="full", recovered_on=dt.date(2025, 2, 20)
    )

    with pytest.raises(DomainError):
        report_domain.withdraw_report(case, "recovery", recovery.pk, by=hr_wim, reason="kort")
    report_domain.withdraw_report(
        case, "recovery", recovery.pk, by=hr_wim, reason="Hersteldmelding was een vergissing"
    )

    case.refresh_from_db()
    assert case.status == AbsenceCase.Status.OPEN
    assert case.periods.get().last_sick_day is None
    recovery.refresh_from_db()
    assert recovery.withdrawn_at is not None  # kept, marked
    change = case.changes.get()
    assert change.reason == "Hersteldmelding was een vergissing"


def test_correction_moves_the_milestones_and_records_old_and_new(employee_of_a, hr_wim) -> None:
    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10))
    case = period.case

    report_domain.correct_report(
        case,
        "sick_period",
        period.pk,
        by=hr_wim,
        reason="Eerste ziektedag verkeerd ingevuld",
        changes={"first_sick_day": dt.date(2025, 2, 3)},
    )

    case.refresh_from_db()
    assert case.first_sick_day == dt.date(2025, 2, 3)
    assert case.milestones.get(kind="probleemanalyse").due_on == dt.date(2025, 3, 16)
    assert "10 februari 2025 → 3 februari 2025" in case.changes.get().summary


def test_plan_completion_schedules_evaluations_every_six_weeks(employee_of_a, casemanager_carla) -> None:
    case = report_domain.report_sick(
        employee_of_a, by=casemanager_carla, via="staff", first_sick_day=dt.date(2025, 1, 6)
    ).case

    milestone_domain.complete_milestone(
        case, "plan_van_aanpak", by=casemanager_carla, done_on=dt.date(2025, 2, 24)
    )
    first = case.milestones.get(kind="evaluatie", sequence=1)
    assert first.due_on == dt.date(2025, 4, 7)
    milestone_domain.complete_milestone(case, "evaluatie", by=casemanager_carla, done_on=dt.date(2025, 3, 3))
    assert case.milestones.get(kind="evaluatie", sequence=2).due_on == dt.date(2025, 4, 14)


def test_deviation_needs_a_reason_and_moves_the_effective_date(employee_of_a, casemanager_carla) -> None:
    case = report_domain.report_sick(
        employee_of_a, by=casemanager_carla, via="staff", first_sick_day=dt.date(2025, 1, 6)
    ).case
    milestone = case.milestones.get(kind="plan_van_aanpak")
    with pytest.raises(DomainError):
        milestone_domain.record_deviation(
            milestone, by=casemanager_carla, due_on=dt.date(2025, 3, 10), reason=""
        )
    milestone_domain.record_deviation(
        milestone,
        by=casemanager_carla,
        due_on=dt.date(2025, 3, 10),
        reason="Werknemer twee weken in het buitenland",
    )
    milestone.refresh_from_db()
    assert milestone.effective_due_on == dt.date(2025, 3, 10)
    assert milestone.status_on(dt.date(2025, 3, 4)) == Milestone.Status.DUE
    assert milestone.status_on(dt.date(2025, 3, 11)) == Milestone.Status.OVERDUE


# --- Through HTTP -----------------------------------------------------------------------------


def test_employer_reports_sick_in_the_portal_and_the_casemanager_sees_the_work(
    employee_of_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    client = mfa_client(hr_wim)
    url = reverse("absence:report_sick", args=[employee_of_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "first_sick_day": "2025-01-13",
            "expected_duration": "long",
            "phone": "0611111111",
            "remarks": "Project Zuid overdragen aan Piet",
        },
    )
    case = AbsenceCase.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert client.get(case.get_absolute_url()).status_code == 200

    carla = mfa_client(casemanager_carla)
    caseload = carla.get(reverse("absence:caseload"))
    assert caseload.status_code == 200
    body = caseload.content.decode()
    assert employee_of_a.full_name in body
    assert "Plan van aanpak" in body  # due 9 March: within two weeks of 3 March
    assert "Probleemanalyse" not in body  # the doctor's task, not Carla's

    # The employer's caseload shows its own duty, not the casemanager's.
    employer_load = mfa_client(hr_wim).get(reverse("absence:caseload")).content.decode()
    assert "Plan van aanpak" not in employer_load


def test_recovery_through_http_closes_the_milestones(employee_of_a, hr_wim, mfa_client) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 17)).case
    client = mfa_client(hr_wim)
    response = client.post(
        reverse("absence:report_recovery", args=[case.pk]), {"kind": "full", "recovered_on": "2025-03-03"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == AbsenceCase.Status.RECOVERED
    assert not case.milestones.filter(done_on__isnull=True, not_applicable=False).exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "vervallen" in page


def test_medical_remark_through_http_shows_the_rule_and_stores_nothing(
    employee_of_a, hr_wim, mfa_client
) -> None:
    client = mfa_client(hr_wim)
    response = client.post(
        reverse("absence:report_sick", args=[employee_of_a.pk]),
        {"first_sick_day": "2025-03-03", "expected_duration": "week", "remarks": "heeft de griep"},
    )
    assert response.status_code == 200
    assert "Autoriteit Persoonsgegevens" in response.content.decode()
    assert not AbsenceCase.objects.exists()


def test_cases_of_another_employer_are_404(
    employee_of_a, hr_wim, outsider_olaf, secretary_sara, mfa_client
) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 17)).case
    for user in (outsider_olaf, secretary_sara):
        client = mfa_client(user)
        assert client.get(case.get_absolute_url()).status_code == 404
        assert client.get(reverse("absence:report_sick", args=[employee_of_a.pk])).status_code == 404
        response = client.post(
            reverse("absence:report_recovery", args=[case.pk]), {"kind": "full", "recovered_on": "2025-03-01"}
        )
        assert response.status_code == 404
        client.logout()
    assert AbsenceCase.objects.get().status == AbsenceCase.Status.OPEN


def test_employer_never_sees_which_safety_net(employee_of_a, casemanager_carla, hr_wim, mfa_client) -> None:
    case = report_domain.report_sick(
        employee_of_a,
        by=casemanager_carla,
        via="staff",
        first_sick_day=dt.date(2025, 3, 1),
        safety_net_kind="organ_donation",
    ).case
    employer_page = mfa_client(hr_wim).get(case.get_absolute_url()).content.decode()
    assert "orgaandonatie" not in employer_page
    staff_page = mfa_client(casemanager_carla).get(case.get_absolute_url()).content.decode()
    assert "orgaandonatie" in staff_page


def test_case_page_read_is_audited(employee_of_a, hr_wim, mfa_client) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 17)).case
    mfa_client(hr_wim).get(case.get_absolute_url())
    assert AuditEvent.objects.filter(
        event="absence.case_viewed", subject_kind="employee", subject_id=employee_of_a.pk, actor=hr_wim
    ).exists()


def test_employee_page_offers_the_sick_report(employee_of_a, hr_wim, mfa_client) -> None:
    page = mfa_client(hr_wim).get(employee_of_a.get_absolute_url()).content.decode()
    assert reverse("absence:report_sick", args=[employee_of_a.pk]) in page


def test_employee_sees_own_case_not_others(
    employee_of_a, employer_a, hr_wim, employee_eva, mfa_client
) -> None:
    own = _report(employee_of_a, hr_wim, dt.date(2025, 2, 17)).case
    other_employee = f.EmploymentFactory(employer=employer_a).employee
    other = _report(other_employee, hr_wim, dt.date(2025, 2, 17)).case
    client = mfa_client(employee_eva)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_period_after_pregnancy_leave_adds_up_whatever_the_gap(employee_of_a, casemanager_carla) -> None:
    case = report_domain.report_sick(
        employee_of_a, by=casemanager_carla, via="staff", first_sick_day=dt.date(2024, 6, 3)
    ).case
    report_domain.report_recovery(
        case, by=casemanager_carla, via="staff", kind="full", recovered_on=dt.date(2024, 7, 1)
    )  # then sixteen weeks of pregnancy leave
    later = report_domain.report_sick(
        employee_of_a,
        by=casemanager_carla,
        via="staff",
        first_sick_day=dt.date(2024, 10, 21),
        after_pregnancy_leave=True,
    )
    assert later.case == case
    # 28 counted days before the leave, so the probleemanalyse (day 42) falls 14 days into the new period.
    assert case.milestones.get(kind="probleemanalyse").due_on == dt.date(2024, 11, 3)


def test_doctor_caseload_holds_the_probleemanalyse_of_patients(
    employee_of_a, hr_wim, doctor_bram, mfa_client
) -> None:
    from arbo.access import care

    _report(employee_of_a, hr_wim, dt.date(2025, 2, 3))  # probleemanalyse due 16 March
    page = mfa_client(doctor_bram).get(reverse("absence:caseload")).content.decode()
    assert "Probleemanalyse" not in page  # not (yet) his patient
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    page = mfa_client(doctor_bram).get(reverse("absence:caseload")).content.decode()
    assert "Probleemanalyse" in page


def test_end_of_wage_payment_cannot_be_ticked_off(employee_of_a, hr_wim) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 3)).case
    with pytest.raises(DomainError):
        milestone_domain.complete_milestone(case, "wage_payment_end", by=hr_wim)
    assert case.milestones.get(kind="wage_payment_end").done_on is None


def test_corrections_through_http_keep_the_history(employee_of_a, hr_wim, mfa_client) -> None:
    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10), phone="0611111111")
    case = period.case
    recovery = report_domain.report_recovery(
        case, by=hr_wim, via="portal", kind="partial", recovered_on=dt.date(2025, 2, 24), percentage=40
    )
    client = mfa_client(hr_wim)
    url = reverse("absence:correct_period", args=[case.pk, period.pk])
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {
            "first_sick_day": "2025-02-03",
            "expected_duration": "unknown",
            "phone": "0611111111",
            "reason": "kort",
        },
    )
    assert refused.status_code == 200  # reason too short: the form comes back, nothing changes
    assert SickPeriod.objects.get(pk=period.pk).first_sick_day == dt.date(2025, 2, 10)
    response = client.post(
        url,
        {
            "first_sick_day": "2025-02-03",
            "expected_duration": "unknown",
            "phone": "0611111111",
            "reason": "Eerste ziektedag was een week eerder",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("absence:correct_recovery", args=[case.pk, recovery.pk]),
        {"recovered_on": "2025-02-24", "percentage": "60", "reason": "Percentage verkeerd doorgegeven"},
    )
    assert response.status_code == 302
    recovery.refresh_from_db()
    assert recovery.percentage == 60
    page = client.get(case.get_absolute_url()).content.decode()
    assert "10 februari 2025 → 3 februari 2025" in page
    assert "40 → 60" in page
    assert "Percentage verkeerd doorgegeven" in page


def test_casemanager_choice_lists_the_teams_casemanagers_only(
    employee_of_a, hr_wim, casemanager_carla, doctor_bram, mfa_client
) -> None:
    case = _report(employee_of_a, hr_wim, dt.date(2025, 2, 3)).case
    page = mfa_client(casemanager_carla).get(case.get_absolute_url()).content.decode()
    assert f'value="{casemanager_carla.pk}"' in page
    assert f'value="{doctor_bram.pk}"' not in page
    with pytest.raises(DomainError):
        domain.assign_casemanager(case, doctor_bram, by=casemanager_carla)
    response = mfa_client(casemanager_carla).post(
        reverse("absence:assign_casemanager", args=[case.pk]), {"casemanager": casemanager_carla.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.casemanager == casemanager_carla


def test_the_employer_choice_of_a_sick_report_is_one_rule_for_the_form_and_the_domain(
    employee_of_a, employer_a, employer_b, casemanager_carla, hr_wim
) -> None:
    """Issue 10: the form offers the employers the domain accepts (employed in the last 28 days,
    an employer user only their own), and a report at a recently left employer is accepted."""
    f.EmploymentFactory(employee=employee_of_a, employer=employer_b, ends_on=TODAY - dt.timedelta(days=10))
    f.EmploymentFactory(
        employee=employee_of_a, employer=f.EmployerFactory(), ends_on=TODAY - dt.timedelta(days=40)
    )

    staff_choice = report_domain.employer_choices(employee_of_a, casemanager_carla)
    employer_choice = report_domain.employer_choices(employee_of_a, hr_wim)

    assert {e.pk for e in staff_choice} == {employer_a.pk, employer_b.pk}
    assert [e.pk for e in employer_choice] == [employer_a.pk]
    period = _report(employee_of_a, casemanager_carla, TODAY - dt.timedelta(days=12), employer=employer_b)
    assert period.case.employer == employer_b
    with pytest.raises(DomainError, match="meer werkgevers"):
        _report(employee_of_a, casemanager_carla, TODAY - dt.timedelta(days=11))
