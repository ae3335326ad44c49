"""The gap report's CSV as the report page's download and `manage.py gap_report` give it.

One row shape (portfolio.exports.GAP_COLUMNS and gap_rows), the same as the reports page's
"gap-report" export, written by reports.writers, which neutralises a cell a spreadsheet would
read as a formula: indicator codes and names are typed by admins. Unlike the reports page's
files it has no byte-order mark, as scripts read it.
"""

from collections.abc import Iterator

from accounts.models import Organisation
from portfolio import exports as portfolio_exports
from reports import writers


def gap_report_csv(*, organisation: Organisation, group: str | None = None) -> Iterator[str]:
    """The organisation's current gap report as CSV text, chunk by chunk (just the header before the
    first), positioned within the comparison group named, else the organisation's default."""
    rows = portfolio_exports.gap_rows(portfolio_exports.gap_select(organisation=organisation, user=None, group=group))
    yield from writers.csv_chunks(portfolio_exports.GAP_COLUMNS, rows, bom=False)
