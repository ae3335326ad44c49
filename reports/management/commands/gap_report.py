"""Prints an organisation's current gap report as CSV (the same columns as the page's download)."""

import csv

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from portfolio import queries


class Command(BaseCommand):
    help = "Prints the current gap report of the organisation with ONS_CODE as CSV."

    def add_arguments(self, parser):
        parser.add_argument("ons_code", metavar="ONS_CODE")

    def handle(self, *args, ons_code, **options):
        organisation = Organisation.objects.filter(ons_code=ons_code).first()
        if organisation is None:
            raise CommandError(f"No organisation with ONS code {ons_code}")
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(queries.CSV_COLUMNS)
        writer.writerows(queries.gap_report_csv_rows(organisation=organisation))
