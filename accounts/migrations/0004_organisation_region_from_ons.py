"""Gives every existing authority its region, from its ONS code (accounts/data/regions.csv)."""

from django.db import migrations


def fill_regions(apps, schema_editor):
    from accounts.regions import region_by_ons_code

    Organisation = apps.get_model("accounts", "Organisation")
    regions = region_by_ons_code()
    for organisation in Organisation.objects.filter(region="", ons_code__in=list(regions)):
        organisation.region = regions[organisation.ons_code]
        organisation.save(update_fields=["region"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_organisation_region")]

    operations = [migrations.RunPython(fill_regions, migrations.RunPython.noop)]
