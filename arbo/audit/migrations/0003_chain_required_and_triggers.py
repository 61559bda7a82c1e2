"""The hash chain, step 2: seq/prev_hash/hash required, and (PostgreSQL) the append-only triggers.

The triggers (documented in docs/privacy.md):

- ``audit_auditevent``: UPDATE is refused; DELETE is refused except for rows below the
  transaction-local setting ``arbo.audit_purge_before`` (set by
  ``arbo.audit.retention.purge_audit_before``), and a DELETE statement must leave no row older
  than the rows it deleted (a purge takes the oldest end only).
- ``audit_auditchainhead``: UPDATE and DELETE are refused.
- ``audit_auditchainstate``: DELETE is refused, and ``last_seq`` never moves backwards.
- TRUNCATE of any of the three is refused unless the whole audit trail (log, state and heads)
  is emptied in the same statement, which is what Django's ``flush`` does between tests.

A superuser or the table owner can still disable triggers; ``verify_audit`` is what detects that.
"""

from django.db import migrations, models

CREATE = r"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING HINT = 'Old rows are removed with arbo.audit.retention.purge_audit_before only.';
END
$$;

CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
            AND OLD.seq < coalesce(nullif(current_setting('arbo.audit_purge_before', true), ''), '0')::bigint THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING HINT = 'Old rows are removed with arbo.audit.retention.purge_audit_before only.';
END
$$;

CREATE FUNCTION audit_state_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.last_seq >= OLD.last_seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING HINT = 'Old rows are removed with arbo.audit.retention.purge_audit_before only.';
END
$$;

CREATE FUNCTION audit_check_purge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_auditevent WHERE seq < (SELECT max(seq) FROM purged)) THEN
        RAISE EXCEPTION 'the audit log is append-only: a purge must delete from the oldest end';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION audit_check_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_auditevent) OR EXISTS (SELECT 1 FROM audit_auditchainhead)
            OR EXISTS (SELECT 1 FROM audit_auditchainstate WHERE last_seq > 0) THEN
        RAISE EXCEPTION 'the audit log is append-only: TRUNCATE % refused', TG_TABLE_NAME
            USING HINT = 'Only the whole audit trail (log, chain state and heads) can be emptied at once.';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
CREATE TRIGGER audit_event_purge_oldest AFTER DELETE ON audit_auditevent
    REFERENCING OLD TABLE AS purged FOR EACH STATEMENT EXECUTE FUNCTION audit_check_purge();
CREATE TRIGGER audit_head_append_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_state_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainstate
    FOR EACH ROW EXECUTE FUNCTION audit_state_guard();
CREATE TRIGGER audit_event_no_truncate AFTER TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_check_truncate();
CREATE TRIGGER audit_head_no_truncate AFTER TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_check_truncate();
CREATE TRIGGER audit_state_no_truncate AFTER TRUNCATE ON audit_auditchainstate
    FOR EACH STATEMENT EXECUTE FUNCTION audit_check_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_purge_oldest ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_append_only ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_state_forward_only ON audit_auditchainstate;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_state_no_truncate ON audit_auditchainstate;
DROP FUNCTION IF EXISTS audit_event_guard();
DROP FUNCTION IF EXISTS audit_state_guard();
DROP FUNCTION IF EXISTS audit_refuse_change();
DROP FUNCTION IF EXISTS audit_check_purge();
DROP FUNCTION IF EXISTS audit_check_truncate();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_hash_chain"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["seq"]},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.BinaryField(editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.BinaryField(editable=False, max_length=32),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
