"""Per kind: a record one day before its date stays, on its date it goes, under a hold it stays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from arbo.retention import purge
from arbo.retention.models import LegalHold, PurgeLog, RetentionRule
from arbo.retention.terms import Term, destroy_after
from tests import factories as f
from tests.retention import builders as b

DAY = dt.timedelta(days=1)


def _wvp(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    employee = b.person(employer)  # still employed: the term runs from the closing of the case
    case = b.closed_case(employee, employer, dt.date(2022, 2, 28))
    return case, employee, {"case_closed": dt.date(2022, 2, 28)}


def _wvp_leaver(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    employee = b.person(employer, ends_on=dt.date(2023, 8, 31))
    case = b.closed_case(employee, employer, dt.date(2023, 3, 1))
    return case, employee, {"end_of_employment": dt.date(2023, 8, 31)}


def _self_insurer(file: str) -> Callable[..., Any]:
    """A self-insurer's file: a closed case of a leaver at an employer that carries the risk."""

    def make(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
        type(employer).objects.filter(pk=employer.pk).update(erd_zw=True, erd_wga=True)
        employee = b.person(employer, ends_on=dt.date(2020, 2, 29))
        case = b.closed_case(employee, employer, dt.date(2021, 6, 30))
        type(case).objects.filter(pk=case.pk).update(self_insurer_file=file)
        return case, employee, {"end_of_employment": dt.date(2020, 2, 29)}

    return make


def _medical(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    employee = b.person(employer)
    key = b.medical_file(employee, dt.date(2004, 2, 29))
    return key, employee, {"last_change": dt.date(2004, 2, 29)}


def _exam(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    exam = b.applicant_exam(employer, dt.date(2023, 8, 31))
    return exam, exam.applicant, {"exam_date": dt.date(2023, 8, 31)}


def _exposure(
    kind: str, persistent: bool = False, birth: dt.date = dt.date(1940, 1, 1)
) -> Callable[..., Any]:
    def make(employer: Any) -> tuple[Any, Any, dict[str, Any]]:
        employee = b.person(employer, birth_date=birth)
        record = b.exposure(employee, kind, dt.date(1984, 2, 29), persistent=persistent)
        facts: dict[str, Any] = {"exposure_end": dt.date(1984, 2, 29), "birth_date": birth}
        if persistent:
            facts["persistent_or_latent"] = True
        return record, employee, facts

    return make


def _roster(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    return b.roster(employer, dt.date(2024, 2, 27)), None, {"uploaded": dt.date(2024, 2, 27)}


def _rights_request(employer: Any) -> tuple[Any, Any, dict[str, dt.date]]:
    """A data-subject request handled on 29 February 2024 (issue 13: ``arbo/privacy/rights/retention.py``)."""
    from arbo.privacy.rights.models import RightsRequest

    employee = b.person(employer)
    handled = dt.date(2024, 2, 29)
    request = RightsRequest.objects.create(
        kind=RightsRequest.Kind.ACCESS,
        channel=RightsRequest.Channel.LETTER,
        status=RightsRequest.Status.DECIDED,
        employee=employee,
        received_on=handled - 20 * DAY,
        due_on=handled,
        decider=RightsRequest.Decider.PRIVACY_OFFICER,
        registered_by=b.staff(),
        outcome=RightsRequest.Outcome.GRANTED,
        decided_on=handled,
    )
    return request, employee, {"handled": handled}


CASES = {
    "wvp_file": ("wvp_file", _wvp),
    "wvp_file_leaver": ("wvp_file", _wvp_leaver),
    "erd_zw": ("erd_zw", _self_insurer("zw")),
    "erd_wga": ("erd_wga", _self_insurer("wga")),
    "medical_file": ("medical_file", _medical),
    "pre_employment_exam": ("pre_employment_exam", _exam),
    "exposure_carcinogenic": ("exposure_carcinogenic", _exposure("kankerverwekkend")),
    "exposure_biological": ("exposure_biological", _exposure("biologisch")),
    "exposure_biological_persistent": ("exposure_biological", _exposure("biologisch", persistent=True)),
    "exposure_radiation": ("exposure_radiation", _exposure("straling")),
    "exposure_radiation_until_75": ("exposure_radiation", _exposure("straling", birth=dt.date(1960, 2, 29))),
    "roster_upload": ("roster_upload", _roster),
    "rights_request": ("rights_request", _rights_request),
}


def _exists(record: Any) -> bool:
    if record._meta.label_lower == "medical.datakey":  # the file: its rows, and a live key
        from arbo.retention.kinds import medical_models

        record.refresh_from_db()
        rows = any(m._base_manager.filter(employee_id=record.employee_id).exists() for m in medical_models())
        return rows or record.wrapped_key != ""
    return type(record)._base_manager.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_a_record_stays_the_day_before_and_goes_on_its_date(case: str) -> None:
    kind, make = CASES[case]
    employer = f.EmployerFactory()
    record, _person, facts = make(employer)
    term = Term.of(RetentionRule.objects.get(kind=kind))
    due = destroy_after(term, facts)
    assert due is not None

    assert purge.purge_kind(kind, term, due - DAY) == 0
    assert _exists(record)

    assert purge.purge_kind(kind, term, due) == 1
    assert not _exists(record)
    log = PurgeLog.objects.get(kind=kind)
    assert log.records == 1
    assert log.rule == term.describe()
    assert purge.purge_kind(kind, term, due) == 0  # idempotent


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in CASES if CASES[c][0] != "roster_upload"])
def test_a_record_under_a_hold_stays(case: str) -> None:
    kind, make = CASES[case]
    employer = f.EmployerFactory()
    record, person, facts = make(employer)
    holder = "applicant" if person._meta.model_name == "applicant" else "employee"
    hold = LegalHold.objects.create(
        **{holder: person},
        reason=LegalHold.Reason.LABOUR_DISPUTE,
        placed_by=b.staff(),
        review_on=dt.date(2030, 1, 1),
    )
    term = Term.of(RetentionRule.objects.get(kind=kind))
    due = destroy_after(term, facts)
    assert due is not None

    assert purge.purge_kind(kind, term, due + 400 * DAY) == 0
    assert _exists(record)

    # A hold for another kind does not protect it; a lifted hold protects nothing.
    LegalHold.objects.filter(pk=hold.pk).update(kind="roster_upload")
    assert purge.purge_kind(kind, term, due) == 1
    assert not _exists(record)


@pytest.mark.django_db
def test_a_lifted_hold_no_longer_protects() -> None:
    employer = f.EmployerFactory()
    record, person, facts = _exam(employer)
    LegalHold.objects.create(
        applicant=person,
        reason=LegalHold.Reason.BENEFIT_DISPUTE,
        placed_by=b.staff(),
        review_on=dt.date(2030, 1, 1),
        lifted_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    term = Term.of(RetentionRule.objects.get(kind="pre_employment_exam"))
    assert purge.purge_kind("pre_employment_exam", term, destroy_after(term, facts)) == 1  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_medical_file_keeps_its_key_while_exposures_need_it() -> None:
    from arbo.medical.models import DataKey, MedicalNote

    employer = f.EmployerFactory()
    employee = b.person(employer)
    b.exposure(employee, "kankerverwekkend", dt.date(1999, 1, 1))
    b.medical_file(employee, dt.date(2000, 1, 1))
    term = Term.of(RetentionRule.objects.get(kind="medical_file"))

    assert purge.purge_kind("medical_file", term, dt.date(2020, 1, 1)) == 1

    assert not MedicalNote.objects.filter(employee=employee).exists()
    assert DataKey.objects.get(employee=employee).wrapped_key != ""  # the exposure is still readable
    assert purge.purge_kind("medical_file", term, dt.date(2020, 1, 1)) == 0

    exposure_term = Term.of(RetentionRule.objects.get(kind="exposure_carcinogenic"))
    assert purge.purge_kind("exposure_carcinogenic", exposure_term, dt.date(2039, 1, 1)) == 1
    assert DataKey.objects.get(employee=employee).wrapped_key == ""  # nothing sealed left: shredded


def test_every_kind_of_the_schedule_with_records_has_a_case() -> None:
    from arbo.retention.kinds import KINDS

    assert {kind for kind, _ in CASES.values()} == set(KINDS)
    assert all(apps.get_model(spec.model) for spec in KINDS.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("file", "years"), [("zw", 5), ("wga", 10)])
def test_a_self_insurer_file_outlives_the_wvp_term(file: str, years: int) -> None:
    """The WvP term (2 years) leaves a self-insurer's file alone; its own term takes it."""
    employer = f.EmployerFactory()
    case, _employee, _facts = _self_insurer(file)(employer)
    plain = b.closed_case(_employee, employer, dt.date(2019, 6, 30))  # an ordinary case beside it
    wvp = Term.of(RetentionRule.objects.get(kind="wvp_file"))

    assert purge.purge_kind("wvp_file", wvp, dt.date(2029, 1, 1)) == 1
    assert not type(plain).objects.filter(pk=plain.pk).exists()
    assert type(case).objects.filter(pk=case.pk).exists()

    own = Term.of(RetentionRule.objects.get(kind=f"erd_{file}"))
    assert destroy_after(own, {"end_of_employment": dt.date(2020, 2, 29)}) == dt.date(2020 + years, 2, 28)
    assert destroy_after(own, {}) is None  # still employed: no date yet


@pytest.mark.django_db
def test_an_open_self_insurer_file_or_one_of_someone_still_employed_stays() -> None:
    employer = f.EmployerFactory(erd_zw=True)
    leaver = b.person(employer, ends_on=dt.date(2010, 1, 31))
    open_case = b.closed_case(leaver, employer, dt.date(2010, 1, 1))
    type(open_case).objects.filter(pk=open_case.pk).update(self_insurer_file="zw", closed_at=None)
    staying = b.person(employer)
    closed = b.closed_case(staying, employer, dt.date(2010, 1, 1))
    type(closed).objects.filter(pk=closed.pk).update(self_insurer_file="zw")
    term = Term.of(RetentionRule.objects.get(kind="erd_zw"))

    assert purge.purge_kind("erd_zw", term, dt.date(2040, 1, 1)) == 0
    assert purge.run(dt.date(2040, 1, 1))["wvp_file"] == 0
