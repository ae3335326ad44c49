import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """accounts takes up the Notice model innovation had, on the table innovation's 0004 renamed.

    Nothing is created in the database: the rows are already in accounts_notice. Only the
    index gets the name the model now gives it.
    """

    dependencies = [
        ("accounts", "0005_membership_invitations"),
        ("innovation", "0004_notice_moves_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notice",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=30)),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField()),
                        ("frequency", models.CharField(max_length=12)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notices",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["frequency", "sent_at"], name="innovation__frequen_15807c_idx")],
                    },
                ),
            ],
        ),
        migrations.RenameIndex(
            model_name="notice", new_name="notice_waiting_idx", old_name="innovation__frequen_15807c_idx"
        ),
    ]
