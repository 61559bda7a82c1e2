"""Say on the schedule which records the self-insurer kinds cover (issue 14): the rows were seeded
without a note, when no record was marked as a self-insurer's file yet. A note the privacy officer
has written since is left as it is."""

from django.db import migrations

NOTE = (
    "Een verzuimzaak die de arbodienst als dossier van de werkgever als eigenrisicodrager ({scheme}) "
    "heeft gemarkeerd. Gaat pas als de zaak gesloten is en het dienstverband bij die werkgever zo lang "
    "geleden eindigde; tot dan geldt de termijn van het re-integratiedossier niet."
)


def add_notes(apps, schema_editor):
    Rule = apps.get_model("retention", "RetentionRule")
    for kind, scheme in (("erd_zw", "Ziektewet"), ("erd_wga", "WGA")):
        Rule.objects.filter(kind=kind, note="").update(note=NOTE.format(scheme=scheme))


class Migration(migrations.Migration):
    dependencies = [("retention", "0002_seed_schedule")]
    operations = [migrations.RunPython(add_notes, migrations.RunPython.noop)]
