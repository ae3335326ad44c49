"""pg_trgm, and a trigram index on ideas' titles for duplicate hints (issue 21), on PostgreSQL only.

pg_trgm is a trusted extension from PostgreSQL 13, so the database's owner creates it: no
superuser step on a fresh machine. TrigramExtension, like every CreateExtension, does nothing
on SQLite, where duplicate hints use the whole-word fallback; the index is skipped there too.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "innovation_idea_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON innovation_idea USING gin (title gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("innovation", "0007_idea_list_order")]

    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index, elidable=False)]
