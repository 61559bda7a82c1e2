"""Indexes for the employee list and its search at scale (issue 12), on PostgreSQL only.

- trigram indexes (pg_trgm) on ``UPPER(surname)`` and ``UPPER(first_names)``: Django's ``icontains``
  is ``UPPER(col) LIKE UPPER('%term%')``, which no b-tree can answer;
- ``UPPER(initials)`` and ``UPPER(personnel_number)`` for the exact (``iexact``) matches;
- ``(surname, first_names, id)``: the list's order, so a page reads its rows in order and stops.

SQLite (development, tests) gets none of them: the state of the models does not change.
"""

from django.db import migrations

INDEXES = [
    ("registry_employee", "employee_surname_trgm", "USING gin (UPPER(surname) gin_trgm_ops)"),
    ("registry_employee", "employee_first_names_trgm", "USING gin (UPPER(first_names) gin_trgm_ops)"),
    ("registry_employee", "employee_initials_upper", "(UPPER(initials))"),
    ("registry_employee", "employee_name_order", "(surname, first_names, id)"),
    ("registry_employment", "employment_personnel_number_upper", "(UPPER(personnel_number))"),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_organisation")]
    operations = [migrations.RunPython(create, drop)]
