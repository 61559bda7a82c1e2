"""Retention fixtures: the backup drill's empty restore target (a new database of the suite's kind)."""

from tests.operations.test_backup import restore_target  # noqa: F401 - a fixture, used by test_backup.py


def seed_schedule() -> None:
    """The schedule as the data migration seeds it: a transactional test starts from a flushed
    database (pytest-django empties every table after one), without the seeded rows."""
    import importlib

    from django.apps import apps

    from arbo.retention.models import RetentionRule

    if not RetentionRule.objects.exists():
        importlib.import_module("arbo.retention.migrations.0002_seed_schedule").seed(apps, None)
