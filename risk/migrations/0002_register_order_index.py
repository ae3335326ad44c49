from django.db import migrations, models


class Migration(migrations.Migration):
    """The register's default order read off an index; it also serves what the old
    (organisation, residual_score) index did."""

    dependencies = [
        ("risk", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="risk",
            name="risk_risk_organis_a9231a_idx",
        ),
        migrations.AddIndex(
            model_name="risk",
            index=models.Index(
                fields=["organisation", "-residual_score", "-inherent_score", "id"], name="risk_register_order"
            ),
        ),
    ]
