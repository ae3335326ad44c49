"""For "tried elsewhere" (issue 21): an index on the lesson's service, and, on PostgreSQL only, a
trigram index on its names-removed title (the first line of `search_document`): sharing.relevance.lesson_title() is exactly
this expression, so `%` (trigram_similar) on it uses the index. Needs pg_trgm, created by
innovation's migration 0008; on SQLite nothing is created.
"""

from django.db import migrations, models

INDEX = "sharing_lesson_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON sharing_lesson "
            "USING gin ((split_part(search_document, E'\\n', 1)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0005_lesson_newest_and_library_order"),
        ("innovation", "0008_trigram_extension_and_idea_title_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.AddIndex(
            model_name="lesson", index=models.Index(fields=["service"], name="lesson_service_idx")
        ),
    ]
