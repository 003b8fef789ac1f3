"""On PostgreSQL the database refuses TRUNCATE of the audit table too.

The row trigger of 0002 stops UPDATE and DELETE, but TRUNCATE fires no row triggers: one
statement could empty the trail. A statement-level trigger closes that for every role,
its owner included. The app's own role is refused TRUNCATE, UPDATE and DELETE on the table
by its grants as well (``core.database_roles``, decision 0017); the trigger is the second
wall, for whoever holds the owner's login.
"""

from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
