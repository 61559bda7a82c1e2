"""Seed the retention schedule from the seeds (000, 002, 003, 004) and domain.md §5, and let the
register of processing cover the legal holds (under the WvP file's activity)."""

from django.db import migrations

RULES = [
    # kind, label, years, months, days, runs_from, otherwise_from, years_if_persistent, until_age, source, note
    ("wvp_file", "Re-integratiedossier (WvP) en verzuimadministratie", 2, 0, 0, "end_of_employment", "case_closed", None, None,
     "Seeds 000, 003; AP Beleidsregels de zieke werknemer (2016)",
     "Zolang het dienstverband loopt: 2 jaar na afsluiting van de zaak. Langer bij een arbeidsconflict, uitkeringsgeschil of blijvende afspraken (bewaarplicht)."),
    ("medical_file", "Medisch dossier", 20, 0, 0, "last_change", "", None, None,
     "WGBO art. 7:454; seed 002",
     "Seed 002 noemt 15 jaar voor begeleiding in opdracht van de werkgever (AP 2016): aan te passen via een wijziging van het schema. Langer bij een beroepsziekte (bewaarplicht)."),
    ("erd_zw", "ERD-dossier Ziektewet", 5, 0, 0, "end_of_employment", "", None, None, "Seed 004", ""),
    ("erd_wga", "ERD-dossier WGA", 10, 0, 0, "end_of_employment", "", None, None, "Seed 004", ""),
    ("pre_employment_exam", "Aanstellingskeuring", 0, 6, 0, "exam_date", "", None, None,
     "Besluit klachtenbehandeling aanstellingskeuringen art. 9; seeds 000, 002", ""),
    ("exposure_carcinogenic", "Blootstelling aan kankerverwekkende of mutagene stoffen", 40, 0, 0, "exposure_end", "", None, None,
     "Arbobesluit art. 4.10c", "Ook vinylchloride, benzeen, asbest, kwarts en lood."),
    ("exposure_biological", "Blootstelling aan biologische agentia", 10, 0, 0, "exposure_end", "", 40, None,
     "Arbobesluit art. 4.90/4.91; seed 002 (10 jaar), seed 000 (40 jaar)",
     "40 jaar bij agentia die blijvende of latente infecties kunnen veroorzaken."),
    ("exposure_radiation", "Blootstelling aan ioniserende straling", 30, 0, 0, "exposure_end", "", None, 75,
     "Besluit basisveiligheidsnormen stralingsbescherming", "En ten minste tot de werknemer 75 jaar is (geweest)."),
    ("rights_request", "Gegevens van een verzoek van een betrokkene", 2, 0, 0, "handled", "", None, None, "domain.md §5", ""),
    ("audit_log", "Logboek (inzage en wijzigingen)", 5, 0, 0, "logged", "", None, None,
     "NEN 7513 (praktijk)", "Nooit langer dan het dossier waarover het gaat."),
    ("roster_upload", "Personeelsbestand dat nooit is ingelezen", 0, 0, 3, "uploaded", "", None, None, "domain.md §5", ""),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("retention", "RetentionRule")
    for kind, label, years, months, days, runs_from, otherwise, persistent, age, source, note in RULES:
        Rule.objects.update_or_create(
            kind=kind,
            defaults={
                "label": label, "years": years, "months": months, "days": days, "runs_from": runs_from,
                "otherwise_from": otherwise, "years_if_persistent": persistent, "until_age": age,
                "source": source, "note": note,
            },
        )
    Activity = apps.get_model("privacy", "ProcessingActivity")
    for activity in Activity.objects.filter(code="wvp-dossier"):
        if "retention.legalhold" not in activity.covers:
            activity.covers = [*activity.covers, "retention.legalhold"]
            activity.save(update_fields=["covers"])


def unseed(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial"), ("privacy", "0004_seed_register")]
    operations = [migrations.RunPython(seed, unseed)]
