"""Trigram index for partial, accent-insensitive name search on PostgreSQL.

`search_name` already holds folded text, so a plain LIKE '%term%' is accent- and
case-insensitive and the GIN trigram index serves it. SQLite scans instead (correct, slower).
Creating the extension needs a role allowed to do so; see docs/operations.md.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS people_person_search_name_trgm
    ON people_person USING gin (search_name gin_trgm_ops);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_person_search_name_trgm;")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
