"""Loads the shared indicator catalogue (portfolio.catalogue). Safe to run twice."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portfolio.catalogue import catalogue_load
from portfolio.models import Indicator


class Command(BaseCommand):
    help = "Loads the shared catalogue of local-government performance indicators. Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        added, updated = catalogue_load(Indicator)
        self.stdout.write(f"{added} indicators added, {updated} updated.")
