"""Database triggers that refuse UPDATE and DELETE on the audit event table.

PostgreSQL: one row-level trigger refuses both. TRUNCATE is left to the database owner (it is
how a test database is emptied); it removes every row, which verification then reports as
rows cut from the end against the head row.

SQLite: UPDATE is refused outright. DELETE is refused except for the row with the lowest seq,
so that rows can only leave from the oldest end (a retention purge, or the `DELETE FROM` with
which Django empties a test database); verification reports a chain that does not start at
seq 1. Both are defences in depth: verification does not rely on them.
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'core_auditevent is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    WHEN OLD.seq > (SELECT MIN(seq) FROM core_auditevent)
    BEGIN
        SELECT RAISE(ABORT, 'core_auditevent is append-only: DELETE refused');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
]

POSTGRESQL_UP = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse()",
]

UP = {"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}
DOWN = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
