"""The register of processing gains the handling of data-subject rights requests (issue 13)."""

from django.db import migrations

ACTIVITY = {
    "code": "rechten-betrokkenen",
    "name": "Verzoeken van betrokkenen (inzage, correctie, verwijdering, beperking, bezwaar)",
    "name_en": "Data-subject requests (access, rectification, erasure, restriction, objection)",
    "purpose": "Het behandelen van verzoeken van betrokkenen over hun eigen gegevens, binnen de wettelijke termijn.",
    "purpose_en": "Handling the requests of data subjects about their own data within the statutory term.",
    "legal_ground": "legal_obligation",
    "legal_basis": "AVG art. 12 tot en met 22; WGBO art. 7:454 tot en met 7:456.",
    "legal_basis_en": "GDPR art. 12 to 22; Medical Treatment Contracts Act art. 7:454 to 7:456.",
    "data_subjects": "Werknemers, oud-werknemers, sollicitanten en hun vertegenwoordigers",
    "data_subjects_en": "Employees, former employees, applicants and their representatives",
    "data_description": (
        "Het verzoek, de identiteitscontrole (alleen soort document, wie en wanneer; de kopie wordt direct "
        "na de controle vernietigd), de termijnen, de beslissing, beperkingen, bezwaren en eigen verklaringen."
    ),
    "data_description_en": (
        "The request, the identity check (only the kind of document, by whom and when; the copy is destroyed "
        "right after the check), the terms, the decision, restrictions, objections and own statements."
    ),
    "categories": ["B", "C", "D"],
    "covers": [
        "privacy.rightsrequest",
        "privacy.identitycopy",
        "privacy.restriction",
        "privacy.objection",
        "privacy.subjectstatement",
        "privacy.rightssignal",
    ],
    "origin": "De betrokkene of diens vertegenwoordiger",
    "origin_en": "The data subject or their representative",
    "recipients": "De privacy officer en de behandelend bedrijfsarts; de betrokkene zelf.",
    "recipients_en": "The privacy officer and the treating company doctor; the data subject.",
    "retention": "2 jaar na afhandeling; de kopie van het identiteitsbewijs tot de controle is vastgelegd.",
    "retention_en": "2 years after handling; the copy of the identity document until the check is recorded.",
    "retention_rule": "privacy.rightsrequest",
}


def seed(apps, schema_editor):
    Activity = apps.get_model("privacy", "ProcessingActivity")
    first = Activity.objects.order_by("-order").first()
    security = first.security_measures if first else ""
    Activity.objects.update_or_create(
        code=ACTIVITY["code"],
        defaults={**ACTIVITY, "order": (first.order + 1) if first else 1, "security_measures": security},
    )


def unseed(apps, schema_editor):
    apps.get_model("privacy", "ProcessingActivity").objects.filter(code=ACTIVITY["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_rights")]
    operations = [migrations.RunPython(seed, unseed)]
