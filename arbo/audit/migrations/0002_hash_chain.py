"""The hash chain, step 1: chain state and heads, and seq/prev_hash/hash on every existing row.

Existing rows are sealed in ``id`` order with the current ``AUDIT_HMAC_KEY`` (they were written
before there was a chain). Step 2 (0003) makes the fields required and adds the triggers.
"""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def seal_existing_rows(apps, schema_editor):
    from arbo.audit import chain

    event_model = apps.get_model("audit", "AuditEvent")
    state_model = apps.get_model("audit", "AuditChainState")
    database = schema_editor.connection.alias
    seq, previous, batch = 0, chain.GENESIS, []
    for entry in event_model.objects.using(database).order_by("id").iterator(chunk_size=BATCH):
        seq += 1
        entry.data = chain.plain_json(entry.data)
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = chain.seal(entry)
        batch.append(entry)
        if len(batch) == BATCH:
            event_model.objects.using(database).bulk_update(batch, ["seq", "prev_hash", "hash", "data"])
            batch = []
    event_model.objects.using(database).bulk_update(batch, ["seq", "prev_hash", "hash", "data"])
    state_model.objects.using(database).create(pk=chain.STATE_PK, last_seq=seq, last_hash=previous)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_seq", models.BigIntegerField(default=0)),
                ("last_hash", models.BinaryField(default=b"\x00" * 32, max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField()),
                ("hash", models.BinaryField(max_length=32)),
                (
                    "kind",
                    models.CharField(
                        choices=[("head", "kop"), ("purge", "opschoning")], default="head", max_length=8
                    ),
                ),
                ("recorded_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["seq", "id"],
                "indexes": [models.Index(fields=["kind", "seq"], name="audit_audit_kind_0ae468_idx")],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.BinaryField(editable=False, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.BinaryField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
