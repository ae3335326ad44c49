from django.db import migrations, models


class Migration(migrations.Migration):
    """The portfolio's pages read off an index in their own order (newest first)."""

    dependencies = [
        ("innovation", "0002_notice_frequency_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["organisation", "-created_at", "-id"], name="project_portfolio_order"),
        ),
    ]
