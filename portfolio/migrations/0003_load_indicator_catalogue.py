from django.db import migrations


def load(apps, schema_editor):
    from portfolio.catalogue import catalogue_load

    catalogue_load(apps.get_model("portfolio", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0002_measurements_aspirations_gap_reports")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
