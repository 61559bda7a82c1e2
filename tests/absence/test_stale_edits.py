"""Optimistic concurrency on corrections (issue 19): two people correct the same report; the second,
whose form shows the values from before the first, is refused with the current values and nothing
changes. Before, the second silently overwrote the first."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from arbo.absence.models import ReportChange, SickPeriod
from arbo.absence.reports import domain as report_domain
from arbo.lib.concurrency import StaleEdit
from tests.absence.test_cases import _report

pytestmark = pytest.mark.django_db

STALE = "Dit is gewijzigd door iemand anders sinds je het opende."


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_a_correction_on_a_stale_version_changes_nothing(employee_of_a, hr_wim, casemanager_carla) -> None:
    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10))
    opened = report_domain.report_version(period)  # both open the form now

    report_domain.correct_report(
        period.case,
        "sick_period",
        period.pk,
        by=hr_wim,
        reason="Eerste ziektedag verkeerd",
        changes={"first_sick_day": dt.date(2025, 2, 3)},
        version=opened,
    )
    with pytest.raises(StaleEdit):
        report_domain.correct_report(
            period.case,
            "sick_period",
            period.pk,
            by=casemanager_carla,
            reason="Telefoonnummer aangevuld",
            changes={"phone": "0612345678"},
            version=opened,
        )

    period.refresh_from_db()
    assert (period.first_sick_day, period.phone) == (dt.date(2025, 2, 3), "")
    assert ReportChange.objects.filter(case=period.case).count() == 1


def test_two_people_correcting_at_once_over_http(
    employee_of_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    from django.test import Client

    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10))
    url = reverse("absence:correct_period", args=[period.case.pk, period.pk])
    first, second = mfa_client(hr_wim), Client()
    from tests import factories as f

    f.enrol_totp(casemanager_carla)
    second.force_login(casemanager_carla)
    form_first = first.get(url).context["form"]
    form_second = second.get(url).context["form"]
    version = form_first.initial["version"]
    assert form_second.initial["version"] == version
    assert f'name="version" value="{version}"' in second.get(url).content.decode()

    base = {"first_sick_day": "2025-02-10", "expected_duration": "unknown", "version": version}
    saved = first.post(url, {**base, "first_sick_day": "2025-02-03", "reason": "Een week eerder ziek"})
    assert saved.status_code == 302

    refused = second.post(url, {**base, "phone": "0612345678", "reason": "Telefoonnummer aangevuld"})

    assert refused.status_code == 200
    html = refused.content.decode()
    assert STALE in html
    form = refused.context["form"]
    assert form.initial["first_sick_day"] == dt.date(2025, 2, 3)  # the current values
    assert form.initial["version"] != version  # a new try goes against the current version
    period.refresh_from_db()
    assert (period.first_sick_day, period.phone) == (dt.date(2025, 2, 3), "")
    assert ReportChange.objects.filter(case=period.case).count() == 1

    again = second.post(
        url,
        {
            **base,
            "first_sick_day": "2025-02-03",
            "phone": "0612345678",
            "version": form.initial["version"],
            "reason": "Telefoonnummer aangevuld",
        },
    )
    assert again.status_code == 302
    assert SickPeriod.objects.get(pk=period.pk).phone == "0612345678"


def test_without_a_version_the_check_is_skipped(employee_of_a, hr_wim) -> None:
    # The domain function's other callers (none send a version yet) keep working.
    period = _report(employee_of_a, hr_wim, dt.date(2025, 2, 10))
    report_domain.correct_report(
        period.case,
        "sick_period",
        period.pk,
        by=hr_wim,
        reason="Eerste ziektedag verkeerd",
        changes={"first_sick_day": dt.date(2025, 2, 3)},
    )
    assert SickPeriod.objects.get(pk=period.pk).first_sick_day == dt.date(2025, 2, 3)
