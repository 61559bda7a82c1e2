"""The privacy officer's retention pages: four-eyes schedule changes, legal holds, the dry run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.retention import domain
from arbo.retention.models import LegalHold, RetentionRule, RuleChange
from arbo.retention.terms import Term
from tests import factories as f
from tests.retention import builders as b


@pytest.fixture
def fg(db) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


@pytest.fixture
def director(db) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="dirk", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.DIRECTEUR)
    return user


FIFTEEN = {
    "label": "Medisch dossier",
    "years": 15,
    "months": 0,
    "days": 0,
    "runs_from": "last_change",
    "otherwise_from": "",
    "years_if_persistent": None,
    "until_age": None,
}


def test_a_change_takes_effect_only_when_someone_else_approves(mfa_client, fg, director) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(fg)
    response = client.post(
        reverse("retention:change"),
        {
            **{k: v for k, v in FIFTEEN.items() if v is not None},
            "kind": "medical_file",
            "reason": "Seed 002: werkgeversopdracht",
        },
    )
    assert response.status_code == 302
    change = RuleChange.objects.get()
    assert RetentionRule.objects.get(kind="medical_file").years == 20  # not yet

    with pytest.raises(DomainError):
        domain.decide_rule_change(change, approve=True, by=fg)  # not one's own
    refused = client.post(reverse("retention:decide", args=[change.pk]), {"decision": "approve"})
    assert refused.status_code == 400
    assert RetentionRule.objects.get(kind="medical_file").years == 20

    # The requester's page says who decides and offers no button; the director's page offers it.
    own = client.get(reverse("retention:schedule")).content.decode()
    assert "15 jaar na laatste wijziging" in own
    assert "een andere privacy officer of de directie beslist" in own
    assert 'value="approve"' not in own
    assert "van het bewaarschema wacht" not in client.get(reverse("portal:work")).content.decode()
    director_client = mfa_client(director)  # the same test client, now signed in as the director
    theirs = director_client.get(reverse("retention:schedule")).content.decode()
    assert 'value="approve"' in theirs
    # The decider learns of it on their work page (the requester's own request is not their task).
    assert "1 wijziging van het bewaarschema wacht op je besluit" in director_client.get(
        reverse("portal:work")
    ).content.decode("utf-8")

    approved = director_client.post(reverse("retention:decide", args=[change.pk]), {"decision": "approve"})
    assert approved.status_code == 302
    assert Term.of(RetentionRule.objects.get(kind="medical_file")).years == 15


def test_a_new_kind_is_a_new_row(fg, director) -> None:  # type: ignore[no-untyped-def]
    change = domain.request_rule_change(
        "financial_records",
        {**FIFTEEN, "label": "Financiële administratie", "years": 7, "runs_from": "handled"},
        reason="domain.md §5",
        by=fg,
    )
    domain.decide_rule_change(change, approve=True, by=director)
    assert RetentionRule.objects.get(kind="financial_records").years == 7


@pytest.mark.parametrize(
    ("proposal", "message"),
    [
        ({**FIFTEEN, "years": -1}, "geheel aantal"),
        ({**FIFTEEN, "years": 0}, "nul dagen"),
        ({**FIFTEEN, "runs_from": "birthday"}, "gebeurtenis"),
        ({**FIFTEEN, "label": " "}, "omschrijving"),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_stored(fg, proposal, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        domain.request_rule_change("medical_file", proposal, reason="r", by=fg)
    assert message in error.value.message.lower() or message in error.value.message
    assert not RuleChange.objects.exists()


def test_only_the_privacy_officer_asks(casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        domain.request_rule_change("medical_file", FIFTEEN, reason="r", by=casemanager_carla)


def test_the_officer_places_and_lifts_a_hold_by_bsn(mfa_client, fg, employer_a) -> None:  # type: ignore[no-untyped-def]
    employee = b.person(employer_a, bsn="111222333", surname="Geschil")
    client = mfa_client(fg)
    review = (timezone.localdate() + dt.timedelta(days=90)).isoformat()

    unknown = client.post(
        reverse("retention:holds"), {"bsn": "123456782", "reason": "labour_dispute", "review_on": review}
    )
    assert "Er is geen werknemer met dit BSN." in unknown.content.decode()
    past = client.post(
        reverse("retention:holds"),
        {"bsn": "111222333", "reason": "labour_dispute", "review_on": "2020-01-01"},
    )
    assert "herbeoordeling" in past.content.decode()
    assert not LegalHold.objects.exists()

    placed = client.post(
        reverse("retention:holds"), {"bsn": "111222333", "reason": "labour_dispute", "review_on": review}
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get(employee=employee)
    assert "Geschil" in client.get(reverse("retention:holds")).content.decode()

    client.post(reverse("retention:lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert hold.lifted_by == fg


def test_holds_list_costs_the_same_for_one_or_three(mfa_client, fg, employer_a) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(fg)
    client.get(reverse("retention:holds"))  # the session's first request does its own bookkeeping

    def place(n: int) -> int:
        for _i in range(n):
            domain.place_hold(
                employee=b.person(employer_a),
                reason="labour_dispute",
                review_on=timezone.localdate() + dt.timedelta(days=30),
                by=fg,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("retention:holds")).status_code == 200
        LegalHold.objects.all().delete()
        # The session middleware's own bookkeeping varies with the clock; count the page's work.
        # (The audit append, an INSERT for one row and a COPY for several, counts once either way.)
        bookkeeping = ("django_session", "usersessions_", "SAVEPOINT", "RELEASE SAVEPOINT")
        return sum(1 for q in queries.captured_queries if not any(word in q["sql"] for word in bookkeeping))

    assert place(1) == place(3)


def test_the_dry_run_counts_per_kind_and_employer(mfa_client, fg, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    b.applicant_exam(employer_a, today - dt.timedelta(days=170))  # due within 30 days
    b.applicant_exam(employer_a, today - dt.timedelta(days=190))  # due already
    b.applicant_exam(employer_b, today - dt.timedelta(days=100))  # not yet
    page = mfa_client(fg).get(reverse("retention:dry_run"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bakkerij Aalbers BV" in text
    assert "Bouwbedrijf Brinkman BV" not in text
    from arbo.retention import purge

    assert purge.dry_run() == [
        {
            "kind": "pre_employment_exam",
            "employer_id": employer_a.pk,
            "count": 2,
            "employer": "Bakkerij Aalbers BV",
        }
    ]
    from arbo.prevention.models import PreEmploymentExam

    assert PreEmploymentExam.objects.count() == 3  # nothing destroyed


def test_office_pages_are_for_the_officer_only(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    for name in ("retention:dry_run", "retention:holds", "retention:change"):
        assert client.get(reverse(name)).status_code == 404


def test_every_staff_member_reads_the_schedule_in_words(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    page = mfa_client(casemanager_carla).get(reverse("retention:schedule"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 jaar na einde dienstverband; zolang dat niet bekend is: na afsluiting van de zaak" in text
    assert "30 jaar na einde van de blootstelling; en ten minste tot de leeftijd van 75 jaar" in text
    assert "from end_of_employment" not in text
    # The calculator says per kind which facts to fill in.
    assert "pre_employment_exam — Aanstellingskeuring (datum van het onderzoek)" in text
    assert "(einde van de blootstelling, geboortedatum)" in text  # radiation: also the birth date
    assert reverse("retention:holds") not in text  # the officer's pages are not offered
