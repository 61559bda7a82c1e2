"""The access package in PDF, JSON and FHIR: every canary of the person, none of anyone else's."""

from __future__ import annotations

import base64
import io
import json

import pytest
from pypdf import PdfReader

from arbo.privacy.rights import fhir, package
from tests.privacy.canaries import write_canaries

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for name, contents in reader.attachments.items():
        text += "\n" + name + "\n" + "\n".join(c.decode(errors="replace") for c in contents)
    return text


def bundle_text(bundle: dict) -> str:  # type: ignore[type-arg]
    text = json.dumps(bundle, ensure_ascii=False)
    for entry in bundle["entry"]:
        for content in entry["resource"].get("content", []):
            text += "\n" + base64.b64decode(content["attachment"]["data"]).decode(errors="replace")
    return text


def json_text(data: dict) -> str:  # type: ignore[type-arg]
    text = json.dumps(data, ensure_ascii=False)
    for record in data["records"]:
        for f in record["files"]:
            text += "\n" + base64.b64decode(f["content_base64"]).decode(errors="replace")
    return text


def package_texts(built: package.Package) -> dict[str, str]:
    """The package as JSON, FHIR (validated) and PDF, each as searchable text."""
    bundle = fhir.as_bundle(built)
    fhir.validate(bundle)
    return {
        "json": json_text(json.loads(json.dumps(package.as_json(built)))),
        "fhir": bundle_text(bundle),
        "pdf": pdf_text(package.as_pdf(built)),
    }


def assert_only_these_canaries(built: package.Package, mine: dict[str, str], *others: dict[str, str]) -> None:
    """Every form of the package carries each of ``mine`` and none of ``others``."""
    for form, text in package_texts(built).items():
        assert [w for w, c in mine.items() if c not in text] == [], form
        for theirs in others:
            assert [w for w, c in theirs.items() if c in text] == [], form


def test_every_form_carries_every_canary_of_the_person_and_none_of_anyone_else(
    employee_of_a, employee_of_b, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    mine = write_canaries(employee_of_a, doctor_bram)
    theirs = write_canaries(employee_of_b, doctor_bram)
    assert_only_these_canaries(package.build(employee_of_a), mine, theirs)


def test_the_bundle_has_the_resource_types_of_the_file(employee_of_a, employee_eva, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    write_canaries(employee_of_a, doctor_bram)
    bundle = fhir.as_bundle(package.build(employee_of_a))
    fhir.validate(bundle)
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Encounter", "Condition", "DocumentReference", "AuditEvent"} <= types
    (condition,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert condition["code"]["coding"][0]["system"] == fhir.ICD10


def test_withheld_records_are_left_out_with_their_reason(employee_of_a, employee_eva, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    full = package.build(employee_of_a)
    note = next(r for r in full.records if r.kind == "medical.medicalnote")
    built = package.build(employee_of_a, withheld={package.record_key(note): "Gaat over een familielid."})
    data = package.as_json(built)
    assert canaries["note"] not in json_text(data)
    assert data["withheld"][0]["reason"] == "Gaat over een familielid."


def test_every_field_that_reaches_a_package_reads_as_words_not_column_names(
    employee_of_a, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    """Every classified field of every app has a readable label: an explicit verbose name, an
    entry of the app's ``SUBJECT_FIELD_LABELS`` or of ``lib.subject.COMMON_FIELD_LABELS``."""
    from django.apps import apps

    from arbo.lib.subject import COMMON_FIELD_LABELS
    from arbo.medical import models as medical
    from arbo.prevention import models as prevention
    from arbo.privacy.register.coverage import classification

    app_labels = {**medical.SUBJECT_FIELD_LABELS, **prevention.SUBJECT_FIELD_LABELS}
    internal = ("_hash", "bsn_index", "wrapped_key", "master_key_id", "last_changed")
    unlabelled = []
    for label, fields in classification().items():
        if label.endswith("datakey") or label == "medical.consultationslot":
            continue  # keys and the doctor's agenda never reach the package
        model = apps.get_model(label)
        for name in fields:
            if name.endswith(internal):
                continue
            field = model._meta.get_field(name)
            explicit = str(getattr(field, "verbose_name", name)) != name.replace("_", " ")
            if not explicit and name not in app_labels.get(label, {}) and name not in COMMON_FIELD_LABELS:
                unlabelled.append(f"{label}.{name}")
    assert unlabelled == []

    write_canaries(employee_of_a, doctor_bram)
    built = package.build(employee_of_a)
    labels = {label for r in built.records for label in r.fields}
    assert {"tekst", "ICD-10-code", "wat wel kan", "uitslagen", "stof of agens"} <= labels
    assert {"werkgever", "verzuimgeval", "gemeld door", "afdeling"} <= labels
    assert [label for label in labels if "_" in label or "encrypted" in label] == []
    column_names = {"employer", "case", "author", "department", "reported at", "created by", "done by"}
    assert labels & column_names == set()


@pytest.mark.parametrize(
    ("language", "titles", "section"),
    [
        ("nl", ("Verzuimmelding", "Consult", "Medische aantekening", "Dienstverband"), "Medisch dossier"),
        ("en", ("Sickness report", "Consultation", "Medical note", "Employment"), "Medical record"),
    ],
)
def test_records_carry_human_titles_in_the_persons_language(
    employee_of_a, employee_eva, doctor_bram, language, titles, section
) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps
    from django.utils import translation

    write_canaries(employee_of_a, doctor_bram)
    with translation.override(language):
        built = package.build(employee_of_a)
        data = package.as_json(built)
        text = pdf_text(package.as_pdf(built))
    json_titles = {r["title"] for r in data["records"]}
    for title in titles:
        assert title in json_titles, title
        assert title in text, title
    assert section in text
    # No record is titled with a bare Django model name ("sick period", "absence case" ...).
    for record in built.records:
        model = apps.get_model(record.kind)
        if "verbose_name" not in model._meta.original_attrs:
            assert record.title != str(model._meta.verbose_name), record.kind


def test_the_fml_reads_as_rubrics_and_levels_not_json(employee_of_a, employee_eva, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from arbo.medical.keys import seal
    from arbo.medical.models import FunctionalAbilities

    document = {
        "persoonlijk": {"level": "geen", "note": ""},
        "dynamisch": {"level": "beperkt", "note": "Niet meer dan 10 kg tillen"},
        "werktijden": {"level": "sterk", "note": "Hoogstens 4 uur per dag"},
        "remarks": "Over zes weken opnieuw beoordelen",
    }
    FunctionalAbilities.objects.create(
        employee=employee_of_a,
        assessed_on=timezone.localdate(),
        author=doctor_bram,
        content_encrypted=seal(employee_of_a, json.dumps(document)),
    )
    built = package.build(employee_of_a)
    (fml,) = [r for r in built.records if r.kind == "medical.functionalabilities"]
    assert fml.fields["IV. Dynamische handelingen"] == "beperkt — Niet meer dan 10 kg tillen"
    assert fml.fields["VI. Werktijden"] == "sterk beperkt — Hoogstens 4 uur per dag"
    assert fml.fields["I. Persoonlijk functioneren"] == "geen beperking"
    text = pdf_text(package.as_pdf(built))
    assert "Niet meer dan 10 kg tillen" in text
    assert "Over zes weken opnieuw beoordelen" in text
    assert '"level"' not in text
    assert "{" not in text
