"""The three older consents become kinds of the one register: one ``Consent`` per existing row,
linked from it (``register_entry`` / ``outcome_consent``), with who, how, when and any withdrawal
copied; and the register of processing gains the activity that covers consents and recipients.

Idempotent: rows already linked are skipped.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def _name(person):
    return " ".join(p for p in [person.first_names or person.initials, person.tussenvoegsel, person.surname] if p)


def backfill(apps, schema_editor):
    Consent = apps.get_model("consent", "Consent")
    InformationConsent = apps.get_model("medical", "InformationConsent")
    EmployerReportConsent = apps.get_model("medical", "EmployerReportConsent")
    PreEmploymentExam = apps.get_model("prevention", "PreEmploymentExam")

    for row in InformationConsent.objects.filter(register_entry__isnull=True).select_related("practitioner"):
        given_at = timezone.make_aware(dt.datetime.combine(row.given_on, dt.time(0)))
        if row.withdrawn_at is not None and row.withdrawn_at < given_at:
            given_at = row.withdrawn_at
        row.register_entry = Consent.objects.create(
            kind="informatie_uitwisseling", employee_id=row.employee_id, practitioner_id=row.practitioner_id,
            purpose=f"Informatie-uitwisseling met {row.practitioner.name}"[:300], scope=["C"], how="mondeling",
            given_by=row.given_by, given_at=given_at, withdrawn_at=row.withdrawn_at,
            recorded_by_id=row.recorded_by_id, category="C",
        )
        row.save(update_fields=["register_entry"])

    for row in EmployerReportConsent.objects.filter(register_entry__isnull=True).select_related("employee"):
        row.register_entry = Consent.objects.create(
            kind="verslag_werkgever", employee_id=row.employee_id,
            purpose="Eén verslag van het spreekuur naar de werkgever", scope=[f"medical.advice:{row.advice_id}"],
            how=row.how, given_by=_name(row.employee)[:200], given_at=row.given_at,
            recorded_by_id=row.recorded_by_id, category="B",
        )
        row.save(update_fields=["register_entry"])

    exams = PreEmploymentExam.objects.filter(
        outcome_consent__isnull=True, outcome_release_consented_at__isnull=False
    ).select_related("applicant")
    for exam in exams:
        exam.outcome_consent = Consent.objects.create(
            kind="uitslag_keuring", applicant_id=exam.applicant_id, employer_id=exam.employer_id,
            purpose="De uitslag van de aanstellingskeuring naar de werkgever", scope=[f"prevention.exam:{exam.pk}"],
            how="mondeling", given_by=_name(exam.applicant)[:200], given_at=exam.outcome_release_consented_at,
            recorded_by_id=exam.examining_doctor_id, category="C",
        )
        exam.save(update_fields=["outcome_consent"])


def unlink(apps, schema_editor):
    InformationConsent = apps.get_model("medical", "InformationConsent")
    for row in InformationConsent.objects.filter(register_entry__isnull=False).select_related("register_entry"):
        row.withdrawn_at = row.register_entry.withdrawn_at
        row.register_entry = None
        row.save(update_fields=["withdrawn_at", "register_entry"])
    apps.get_model("medical", "EmployerReportConsent").objects.update(register_entry=None)
    apps.get_model("prevention", "PreEmploymentExam").objects.update(outcome_consent=None)
    apps.get_model("consent", "Consent").objects.all().delete()


ACTIVITY = {
    "code": "toestemming-en-verstrekking",
    "order": 90,
    "name": "Toestemmingen en verstrekkingen aan derden",
    "name_en": "Consents and disclosures to third parties",
    "purpose": (
        "Vastleggen waarvoor een werknemer of sollicitant toestemming gaf en weer introk, en gegevens alleen "
        "verstrekken aan ontvangers (UWV, verzekeraar, re-integratiebedrijf, behandelaar, advocaat, andere "
        "arbodienst) voor zover wet, overeenkomst of toestemming dat toestaat, met een register van elke verstrekking."
    ),
    "purpose_en": (
        "Recording what an employee or applicant consented to and withdrew, and disclosing data only to "
        "recipients (UWV, insurer, re-integration company, practitioner, lawyer, another arbodienst) as far as "
        "law, contract or consent allows, with a register of every disclosure."
    ),
    "legal_ground": "legal_obligation",
    "legal_basis": "AVG art. 6 en 9; Wet verbetering poortwachter; WBP-gedragscode bedrijfsartsen (NVAB).",
    "legal_basis_en": "GDPR art. 6 and 9; Gatekeeper Improvement Act; professional code of company doctors (NVAB).",
    "data_subjects": "Werknemers van klanten en sollicitanten",
    "data_subjects_en": "Employees of client employers and applicants",
    "data_description": (
        "Toestemmingen (doel, ontvanger, reikwijdte, wijze, datum, geldigheid, intrekking); ontvangende "
        "organisaties met contactgegevens; per verstrekking: wie, aan wie, wat, op welke grond, wanneer."
    ),
    "data_description_en": (
        "Consents (purpose, recipient, scope, manner, date, validity, withdrawal); recipient organisations with "
        "contact details; per disclosure: who, to whom, what, on which ground, when."
    ),
    "categories": ["A", "B", "C", "D"],
    "covers": ["consent.consent", "registry.organisation"],
    "origin": "De werknemer of sollicitant zelf en de arbodienst",
    "origin_en": "The employee or applicant and the arbodienst",
    "recipients": "De ontvanger van elke verstrekking, alleen wat het profiel van die ontvanger toestaat.",
    "recipients_en": "The recipient of each disclosure, only what that recipient's profile allows.",
    "retention": "Zolang het dossier waar de toestemming of verstrekking bij hoort.",
    "retention_en": "As long as the file the consent or disclosure belongs to.",
    "retention_rule": "",
}


def add_activity(apps, schema_editor):
    Activity = apps.get_model("privacy", "ProcessingActivity")
    security = Activity.objects.values_list("security_measures", flat=True).first() or ""
    Activity.objects.get_or_create(code=ACTIVITY["code"], defaults={**ACTIVITY, "security_measures": security})


def remove_activity(apps, schema_editor):
    apps.get_model("privacy", "ProcessingActivity").objects.filter(code=ACTIVITY["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_consent_register"),
        ("medical", "0004_consent_register_entry"),
        ("prevention", "0002_consent_register_entry"),
        ("privacy", "0004_seed_register"),
    ]
    operations = [migrations.RunPython(backfill, unlink), migrations.RunPython(add_activity, remove_activity)]
