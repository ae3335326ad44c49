"""Interrupted imports recorded before their files were kept for a limited time: their message
now says for how long (portfolio.services.INTERRUPTED), so that "Try again" still finds them."""

from django.db import migrations

OLD = (
    "The import stopped before it finished, because the server running it stopped. "
    "Nothing from the file was imported. Try again: the file is kept until it has been imported."
)
NEW = (
    "The import stopped before it finished, because the server running it stopped. "
    "Nothing from the file was imported. Try again: the file is kept for 7 days."
)


def forwards(apps, schema_editor):
    apps.get_model("portfolio", "ImportJob").objects.filter(failure=OLD).update(failure=NEW)


def backwards(apps, schema_editor):
    apps.get_model("portfolio", "ImportJob").objects.filter(failure=NEW).update(failure=OLD)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0006_history_user_without_constraint")]

    operations = [migrations.RunPython(forwards, backwards)]
