"""The consent register, the disclosure register and visitations reach the data-subject access
package (issue 13's package, issue 16's records): the person reads every consent, every package
sent about them and what it held, and the visitations that drew their file."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.consent import disclosures, visitation
from arbo.consent import domain as consent_domain
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.subject import sources
from arbo.privacy.rights import package
from arbo.registry.models import Organisation
from tests import factories as f
from tests.consent.test_disclosure import canary
from tests.privacy.test_rights_package import json_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(doctor_bram, treated, employee_of_b):  # type: ignore[no-untyped-def]
    """A consent, a disclosure and a visitation of ``treated``; the same kind of rows of someone else."""
    found = {}
    found["purpose"] = purpose = canary("purpose")
    consent_domain.record_consent(
        Consent.Kind.DISCLOSURE,
        employee=treated,
        purpose=purpose,
        how=Consent.How.WRITTEN,
        given_by=treated.full_name,
        category="B",
        by=doctor_bram,
    )
    found["recipient"] = name = canary("recipient")
    recipient = Organisation.objects.create(kind=Organisation.Kind.REINTEGRATION, name=name)
    found["surname"] = treated.surname = canary("surname")
    treated.save(update_fields=["surname"])
    disclosures.compose(doctor_bram, treated, recipient, items=["person.name"])
    visitor = f.UserFactory(username="vincent", kind=User.Kind.STAFF, first_name=canary("visitor"))
    f.give_function(visitor, StaffFunction.BEDRIJFSARTS)
    found["visitor"] = visitor.first_name
    fg = f.UserFactory(username="fg", kind=User.Kind.STAFF)
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    now = timezone.now()
    visitation.open_visitation(
        fg,
        visiting_doctor=visitor,
        visited_doctor=doctor_bram,
        starts_at=now,
        ends_at=now + dt.timedelta(days=1),
        sample_size=1,
    )
    other_purpose = canary("other-purpose")
    consent_domain.record_consent(
        Consent.Kind.DISCLOSURE,
        employee=employee_of_b,
        purpose=other_purpose,
        how=Consent.How.WRITTEN,
        given_by="B",
        category="B",
        by=doctor_bram,
    )
    return found, {"other_purpose": other_purpose}


def test_the_consent_app_provides_subject_records() -> None:
    assert "consent" in sources()


def test_the_access_package_holds_consents_disclosures_and_visitations(treated, registered) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = registered
    built = package.build(treated)
    for form, text in {
        "json": json_text(json.loads(json.dumps(package.as_json(built)))),
        "pdf": pdf_text(package.as_pdf(built)),
    }.items():
        assert [w for w, c in mine.items() if c not in text] == [], form
        assert [w for w, c in theirs.items() if c in text] == [], form
    kinds = {r.kind for r in built.records if r.source == "consent"}
    assert {"consent.consent", "consent.disclosure", "consent.visitation"} <= kinds
    # The channel's secrets are not the person's data.
    disclosure = next(r for r in built.records if r.kind == "consent.disclosure")
    assert not any("hash" in label for label in disclosure.fields)
    assert AuditEvent.objects.filter(event="consent.subject_records_read", subject_id=treated.pk).exists()


def test_a_reader_without_the_category_gets_no_disclosure(treated, registered, hr_wim) -> None:  # type: ignore[no-untyped-def]
    from arbo.consent.queries import subject_records

    records = subject_records(treated, reader=hr_wim)
    assert not {r.kind for r in records} & {"consent.consent", "consent.disclosure"}
