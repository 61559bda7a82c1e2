"""The register of processing covers the roster upload's stored rows (issue 12's ``RosterImportRows``):
the same activity as the upload itself, the registration of employees."""

from django.db import migrations

CODE = "registratie-werknemers"
MODEL = "registry.rosterimportrows"


def cover(apps, schema_editor):
    for activity in apps.get_model("privacy", "ProcessingActivity").objects.filter(code=CODE):
        if MODEL not in activity.covers:
            activity.covers = [*activity.covers, MODEL]
            activity.save(update_fields=["covers"])


def uncover(apps, schema_editor):
    for activity in apps.get_model("privacy", "ProcessingActivity").objects.filter(code=CODE):
        activity.covers = [model for model in activity.covers if model != MODEL]
        activity.save(update_fields=["covers"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0007_rights_applicants"), ("registry", "0008_roster_import_rows")]
    operations = [migrations.RunPython(cover, uncover)]
