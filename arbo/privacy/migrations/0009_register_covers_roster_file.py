"""The register of processing covers the uploaded roster file itself (issue 11's ``RosterImportFile``,
kept encrypted until the worker has read it into runs of rows): the same activity as the upload,
the registration of employees."""

from django.db import migrations

CODE = "registratie-werknemers"
MODEL = "registry.rosterimportfile"


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
    dependencies = [("privacy", "0008_register_covers_roster_rows"), ("registry", "0009_roster_upload_file")]
    operations = [migrations.RunPython(cover, uncover)]
