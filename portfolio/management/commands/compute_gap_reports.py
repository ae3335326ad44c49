"""Recomputes gap reports now: for the organisations named by ONS code, or for all."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from portfolio import services


class Command(BaseCommand):
    help = "Recomputes the gap reports of the organisations named by ONS code (every organisation when none)."

    def add_arguments(self, parser):
        parser.add_argument("ons_codes", nargs="*", metavar="ONS_CODE")

    def handle(self, *args, ons_codes, **options):
        organisation_ids = None
        if ons_codes:
            found = dict(Organisation.objects.filter(ons_code__in=ons_codes).values_list("ons_code", "pk"))
            missing = sorted(set(ons_codes) - set(found))
            if missing:
                raise CommandError(f"No organisation with ONS code {', '.join(missing)}")
            organisation_ids = list(found.values())
        count = services.gap_reports_compute(organisation_ids=organisation_ids)
        self.stdout.write(f"{count} gap report(s) computed.")
