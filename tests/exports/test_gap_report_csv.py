"""The gap report has one CSV: the report page's download, `manage.py gap_report` and the
reports page's export share its columns, and none lets a typed formula run in a spreadsheet."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from portfolio import gaps
from tests.exports.conftest import read_csv
from tests.exports.test_exports import take
from tests.portfolio.conftest import indicators, measure  # noqa: F401 (fixture)

FORMULA = '=cmd|" /C calc"!A0'


def _report_with_a_formula_in_an_indicator_code(personas, indicators):  # noqa: F811
    council = personas.council
    council.ons_code = "E07000001"
    council.save()
    recycling = indicators["recycling"]
    recycling.code = FORMULA
    recycling.save()
    measure(council, recycling, "2025-Q1", 70)
    measure(council, recycling, "2025-Q2", 70, aspiration=80)
    gaps.gap_reports_build()


def test_the_page_download_and_the_reports_export_have_the_same_columns_and_neutralise_formulas(
    personas,
    indicators,  # noqa: F811
    capsys,
):
    _report_with_a_formula_in_an_indicator_code(personas, indicators)
    admin = personas.client_for(personas.members[Role.ADMIN])

    page = list(csv.reader(io.StringIO(admin.get(reverse("portfolio:report-csv")).content.decode())))
    export = read_csv(take(admin, "gap-report", "csv"))
    call_command("gap_report", "E07000001")
    command = list(csv.reader(io.StringIO(capsys.readouterr().out)))

    assert page[0] == export[0] == command[0]
    assert page == export == command
    assert page[1][1] == "'" + FORMULA
