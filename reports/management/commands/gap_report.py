"""Prints an organisation's current gap report as CSV (the same file as the page's download)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from reports import gap_report


class Command(BaseCommand):
    help = "Prints the current gap report of the organisation with ONS_CODE as CSV."

    def add_arguments(self, parser):
        parser.add_argument("ons_code", metavar="ONS_CODE")

    def handle(self, *args, ons_code, **options):
        organisation = Organisation.objects.filter(ons_code=ons_code).first()
        if organisation is None:
            raise CommandError(f"No organisation with ONS code {ons_code}")
        for chunk in gap_report.gap_report_csv(organisation=organisation):
            self.stdout.write(chunk, ending="")
