"""Imports actual values or aspirations from a CSV or XLSX file, as the browser import does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio import imports, services


class Command(BaseCommand):
    help = (
        "Checks FILE (CSV or XLSX; columns ons_code,indicator_code,period,value or ...,aspiration) whole, "
        "lists every bad line, and imports it only if every line is good. An operator may load any organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}")
        if file.suffix.lower() not in imports.EXTENSIONS:
            raise CommandError("The file must be a CSV or an XLSX")
        try:
            checked = services.measurements_import(
                path=file, organisation=None, actor=None, reason=f"import_measurements {file.name}"
            )
        except imports.FileRefused as refused:
            raise CommandError(str(refused)) from None
        if checked.error_count:
            for line, reason in checked.errors:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(f"Nothing imported: {checked.error_count} bad line(s) in {checked.row_count}.")
        self.stdout.write(
            f"Imported {checked.row_count} line(s): {checked.created} new value(s), {checked.updated} changed."
        )
