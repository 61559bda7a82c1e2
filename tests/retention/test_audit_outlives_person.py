"""The audit log outlives the person it describes (its own term, 5 years, purged from the oldest
end only), so its records must not name them: once the last of their records goes and the person
is erased, the records left hold the subject's former id and the emptied account's number, nothing
that names them, and the chain still verifies; on the log's own term those records go too."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from arbo.access.auditing import record_access
from arbo.audit import log
from arbo.audit.models import AuditEvent
from arbo.audit.verify import verify_chain
from arbo.portal.models import InboxMessage
from arbo.retention import purge, register
from arbo.retention.kinds import KINDS
from arbo.retention.models import PurgeLog, RetentionRule
from arbo.retention.terms import Term
from tests import factories as f
from tests.retention import builders as b
from tests.retention.test_whole_person import _full_person, _traces

TEXT_FIELDS = [
    field.attname
    for field in AuditEvent._meta.concrete_fields
    if field.get_internal_type() in {"CharField", "TextField", "GenericIPAddressField"}
]


def _about(employee_id: int, user_id: int) -> Q:
    return Q(subject_kind="employee", subject_id=employee_id) | Q(actor_id=user_id)


def _named(rows: list[AuditEvent], needles: list[str]) -> list[str]:
    found = []
    for row in rows:
        text = " ".join(str(getattr(row, name) or "") for name in TEXT_FIELDS) + json.dumps(row.data)
        found += [f"seq {row.seq} ~ {needle}" for needle in needles if needle.lower() in text.lower()]
    return found


@pytest.mark.django_db
def test_the_audit_records_of_an_erased_person_name_nobody_and_go_on_their_own_term(mfa_client) -> None:  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory()
    employee, user = _full_person(employer)
    needles = ["Kwastenberg", "Karel", "karel.kwast", "karel@kwastenberg", employee.bsn]
    # The person in the portal (real requests: their own records, with access point) and staff
    # reading their file.
    client = mfa_client(user)
    assert client.get(reverse("portal:who_saw_my_file")).status_code == 200
    letter = InboxMessage.objects.get(recipient=user)  # "Beste Karel Kwastenberg"
    assert client.get(reverse("portal:letter", args=[letter.pk])).status_code == 200
    record_access(b.staff(), log.Action.READ, "registry.employee_viewed", employee, category="A")
    rows = list(AuditEvent.objects.filter(_about(employee.pk, user.pk)))
    assert {row.actor_id for row in rows} >= {user.pk, b.staff().pk}
    assert len(rows) >= 3
    assert _named(rows, needles) == []  # not even while the person exists: a record is never edited

    day = dt.date(2040, 1, 1)  # every record of the person is due; the log's own term is not
    terms = purge.terms()
    for kind in KINDS:
        if kind in terms:
            purge.purge_kind(kind, terms[kind], day)
    assert purge.purge_people(day, terms) == 1
    assert _traces(needles, employee.pk) == []

    kept = list(AuditEvent.objects.filter(_about(employee.pk, user.pk)))
    assert len(kept) >= len(rows)  # the records stay until their own term …
    assert _named(kept, needles) == []  # … naming nobody: the subject id points at no row
    assert not apps.get_model("registry", "Employee").objects.filter(pk=employee.pk).exists()
    # The purge log links the former id only to a pseudonym and a day, never back to a name.
    subject = register.pseudonym("employee", employee.pk)
    assert PurgeLog.objects.filter(kind="person", subjects__has_key=subject).exists()
    assert verify_chain().ok

    # The log's own term: five years after the records were written, they go; the chain verifies.
    audit_term = Term.of(RetentionRule.objects.get(kind="audit_log"))
    later = timezone.localdate() + dt.timedelta(days=5 * 366 + 1)
    assert purge.purge_audit(audit_term, later) >= len(kept)
    assert not AuditEvent.objects.filter(_about(employee.pk, user.pk)).exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_portal_shows_the_persons_own_records_as_theirs(mfa_client, employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(employee_eva)
    client.get(reverse("portal:who_saw_my_file"))
    own = AuditEvent.objects.filter(actor=employee_eva).first()
    assert own is not None
    assert own.actor_label == f"werknemer #{employee_eva.pk}"
    page = client.get(reverse("portal:who_saw_my_file"), {"include_self": "on"}).content.decode()
    assert "jijzelf" in page
