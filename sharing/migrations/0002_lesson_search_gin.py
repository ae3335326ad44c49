"""The GIN index behind the library's full-text search, on PostgreSQL only.

SQLite (the no-services default) has no tsvector or GIN; there the library falls back to
a plain text match on `search_document`, so the index is simply not created.
"""

from django.db import migrations

INDEX = "sharing_lesson_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON sharing_lesson USING gin (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
