"""Seed the recipients' profiles (seeds 000, 002, 003 §7, 004): what each kind may receive, on which ground.

Data, not code: the privacy officer may change a profile later; these are the seeds' minimum.
"""

from django.db import migrations

PERSON = ["person.name", "person.address", "person.bsn"]

PROFILES = [
    {
        "kind": "re_integratie",
        "items": PERSON + ["absence.incapacity", "absence.reintegration"],
        "ground": "overeenkomst",
        "legal_basis": "Seed 003 §7.6: naam en adres, BSN, de arbeidsongeschiktheidsgegevens en het re-integratiebeeld, niets anders (opdracht van de werkgever).",
    },
    {
        "kind": "uwv",
        "items": PERSON + ["person.birth_date", "employment", "absence.incapacity", "absence.reintegration"],
        "ground": "wet",
        "legal_basis": "Wet verbetering poortwachter, Ziektewet en WIA: het re-integratieverslag en de gegevens die het UWV vraagt.",
    },
    {
        "kind": "verzuimverzekeraar",
        "items": ["person.name", "person.bsn", "person.birth_date", "employment", "absence.incapacity"],
        "ground": "overeenkomst",
        "legal_basis": "Verzuimverzekering van de werkgever: alleen verzuimgegevens, nooit medische gegevens.",
    },
    {
        "kind": "medisch_adviseur",
        "items": ["person.name", "person.birth_date", "absence.incapacity", "absence.reintegration", "medical.notes"],
        "ground": "toestemming",
        "legal_basis": "Medische gegevens alleen van arts tot arts en met uitdrukkelijke toestemming van de werknemer.",
    },
    {
        "kind": "behandelaar",
        "items": ["person.name", "person.birth_date", "absence.reintegration", "medical.notes"],
        "ground": "toestemming",
        "legal_basis": "Seed 003: overleg met behandelaars alleen met uitdrukkelijke toestemming van de werknemer.",
    },
    {
        "kind": "advocaat",
        "items": PERSON + ["absence.incapacity", "absence.reintegration"],
        "ground": "toestemming",
        "legal_basis": "Alleen op verzoek en met schriftelijke toestemming van de werknemer.",
    },
    {
        "kind": "arbodienst",
        "items": PERSON + ["person.birth_date", "employment", "absence.incapacity", "absence.reintegration", "journal", "medical.notes", "prevention"],
        "ground": "overeenkomst",
        "legal_basis": "Overdracht van de dossiers bij een wisseling van arbodienst; het medische deel alleen van arts tot arts.",
    },
    {
        "kind": "ondernemingsraad",
        "items": [],
        "ground": "wet",
        "legal_basis": "Wet op de ondernemingsraden: alleen groepscijfers, nooit gegevens over één persoon.",
        "person_packages": False,
    },
]


def seed(apps, schema_editor):
    Profile = apps.get_model("consent", "RecipientProfile")
    for spec in PROFILES:
        Profile.objects.get_or_create(kind=spec["kind"], defaults=spec)


def unseed(apps, schema_editor):
    apps.get_model("consent", "RecipientProfile").objects.filter(kind__in=[p["kind"] for p in PROFILES]).delete()


NEW_COVERS = ["consent.disclosure", "consent.visitation", "consent.visitationobjection"]


def cover(apps, schema_editor):
    """The register of processing's consent activity covers the disclosures and visitations too."""
    Activity = apps.get_model("privacy", "ProcessingActivity")
    for activity in Activity.objects.filter(code="toestemming-en-verstrekking"):
        activity.covers = sorted(set(activity.covers) | set(NEW_COVERS))
        activity.save(update_fields=["covers"])


def uncover(apps, schema_editor):
    Activity = apps.get_model("privacy", "ProcessingActivity")
    for activity in Activity.objects.filter(code="toestemming-en-verstrekking"):
        activity.covers = [c for c in activity.covers if c not in NEW_COVERS]
        activity.save(update_fields=["covers"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_disclosures_and_visitation"), ("privacy", "0004_seed_register")]
    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(cover, uncover)]
