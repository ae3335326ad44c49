"""Reading and checking an upload of actual values or aspirations.

A file is checked whole before anything is written: every bad line is reported with its
number and the reason, and the import stops there. Only a file with no bad line reaches
`services.measurements_import`'s write step. The file is read twice (check, then write)
so that a million-row file never has to sit in memory as objects.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from accounts.models import Organisation
from portfolio import periods
from portfolio.models import Aspiration, Indicator, Measurement

ACTUAL_COLUMNS = ["ons_code", "indicator_code", "period", "value"]
ASPIRATION_COLUMNS = ["ons_code", "indicator_code", "period", "aspiration"]
EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_LISTED_ERRORS = 1000
# Values beyond DecimalField(max_digits=16, decimal_places=4).
MAX_ABS_VALUE = Decimal("1e12")


class FileRefused(ValueError):
    """A file Lantern will not read at all, with the reason in plain English."""


def check_upload(name: str, head: bytes, size: int) -> None:
    """Refuses a file by size, extension or content before it is read."""
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileRefused(_("The selected file must be a CSV or an XLSX"))
    if size == 0:
        raise FileRefused(_("The selected file is empty"))
    if size > MAX_UPLOAD_BYTES:
        raise FileRefused(_("The selected file must be smaller than 20 MB"))
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix == ".xlsx" and not is_zip:
        raise FileRefused(_("The selected file is not a real XLSX file: save it again from your spreadsheet program"))
    if suffix == ".csv":
        if is_zip or b"\x00" in head:
            raise FileRefused(_("The selected file is not a CSV: save it as ‘CSV UTF-8’ and try again"))
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # The head may end mid-character; only an error before its last 3 bytes is real.
            if error.start < len(head) - 3:
                raise FileRefused(_("The selected file must be saved as ‘CSV UTF-8’")) from None


def _check_xlsx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(_("The selected file is not a real XLSX file")) from None
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("The selected file is not a real XLSX file"))
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileRefused(_("The selected file is too large once unpacked"))


def read_rows(path: Path) -> Iterator[tuple[int, list]]:
    """(line number, cells) for every line of a CSV or the first sheet of an XLSX, header first."""
    if path.suffix.lower() == ".xlsx":
        _check_xlsx(path)
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                yield number, ["" if cell is None else cell for cell in row]
        finally:
            workbook.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            try:
                for number, row in enumerate(csv.reader(handle), start=1):
                    yield number, row
            except UnicodeDecodeError:
                raise FileRefused(_("The selected file must be saved as ‘CSV UTF-8’")) from None


@dataclass
class Checked:
    """What checking a file found."""

    model: type | None = None
    row_count: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    organisation_ids: set[int] = field(default_factory=set)
    created: int = 0
    updated: int = 0

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append((line, reason))


@dataclass(frozen=True)
class Row:
    line: int
    organisation_id: int
    indicator_id: int
    period: str
    period_index: int
    value: Decimal


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _width(cells: list) -> int:
    """How many fields a line has, not counting empty ones at its end (an XLSX sheet pads
    every row to its widest, and a trailing comma adds nothing)."""
    width = len(cells)
    while width and _text(cells[width - 1]) == "":
        width -= 1
    return width


def _number(cell) -> Decimal:
    if isinstance(cell, bool):
        raise InvalidOperation
    if isinstance(cell, int | float):
        value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    else:
        text = str(cell).strip().replace(",", "")
        if text.endswith("%"):
            text = text[:-1]
        value = Decimal(text)
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise InvalidOperation
    return value.quantize(Decimal("0.0001"))


class Reader:
    """Checks (and then yields) the rows of one file for one uploader."""

    def __init__(self, path: Path, *, organisation: Organisation | None):
        # `organisation` is the uploader's; None (the command line) or a sector body may load
        # any organisation's figures, anyone else only their own.
        self.path = path
        self.own_organisation = organisation
        self.any_organisation = organisation is None or organisation.kind == Organisation.Kind.SECTOR_BODY
        self.organisations = dict(Organisation.objects.filter(ons_code__isnull=False).values_list("ons_code", "id"))
        # The catalogue's codes, and each organisation's own (which its rows alone may name);
        # retired indicators take no new figures.
        self.indicators = {i.code.upper(): i for i in Indicator.objects.catalogue().live()}
        self.own_indicators = {
            (i.organisation_id, i.code.upper()): i
            for i in Indicator.objects.filter(organisation__isnull=False).live()
            if self.any_organisation or i.organisation_id == organisation.pk
        }

    @staticmethod
    def model_for(header: list) -> type | None:
        """Measurement or Aspiration, by the file's column names; None when they are wrong."""
        names = [_text(cell).lower() for cell in header]
        if names[:4] == ACTUAL_COLUMNS:
            return Measurement
        if names[:4] == ASPIRATION_COLUMNS:
            return Aspiration
        return None

    def rows(self, checked: Checked, progress: Callable[[int], None] | None = None) -> Iterator[Row]:
        """Good rows; bad ones go to `checked.errors`."""
        seen: dict[tuple[int, int, int], int] = {}
        lines = read_rows(self.path)
        try:
            _line, header = next(lines)
        except StopIteration:
            checked.add_error(1, _("the file is empty"))
            return
        checked.model = self.model_for(header)
        self.columns = _width(header)
        if checked.model is None:
            checked.add_error(
                1,
                _(
                    "the first line must be the column names ons_code,indicator_code,period,value (actual values) "
                    "or ons_code,indicator_code,period,aspiration (aspirations)"
                ),
            )
            return
        for line, cells in lines:
            if not any(_text(cell) for cell in cells):
                continue
            checked.row_count += 1
            if progress and checked.row_count % 10_000 == 0:
                progress(checked.row_count)
            row = self._check(line, cells, checked, seen)
            if row is not None:
                yield row

    def _check(self, line, cells, checked, seen) -> Row | None:
        reasons = []
        # A line must have the header's fields: an extra one is most often a decimal comma
        # ("40,5") or a thousands separator written without quotes, and reading the first four
        # would store 40 and drop the rest without a word.
        if _width(cells) > self.columns:
            reasons.append(
                _(
                    "the line has %(fields)s fields but the first line has %(columns)s column names: "
                    "write a number with a decimal point and no commas, or put it in quotes"
                )
                % {"fields": _width(cells), "columns": self.columns}
            )
        elif len(cells) < len(ACTUAL_COLUMNS):  # a CSV line short of fields (an XLSX row is never short)
            # Columns named after the four (a note, say) may be left off; the four may not.
            reasons.append(
                _("the line has %(fields)s fields but needs %(needed)s")
                % {"fields": len(cells), "needed": len(ACTUAL_COLUMNS)}
            )
        cells = list(cells) + [""] * (4 - len(cells))
        ons_code, code, period_text, value_cell = (cells[0], cells[1], cells[2], cells[3])
        ons_code, code, period_text = _text(ons_code).upper(), _text(code).upper(), _text(period_text)
        organisation_id = self.organisations.get(ons_code)
        if not ons_code:
            reasons.append(_("enter an ONS code"))
        elif organisation_id is None:
            reasons.append(_("ONS code %(code)s is not a known organisation") % {"code": repr(ons_code)})
        elif not self.any_organisation and organisation_id != self.own_organisation.pk:
            reasons.append(
                _("ONS code %(code)s is another organisation's: you can only import your own figures")
                % {"code": ons_code}
            )
        indicator = self.indicators.get(code) or self.own_indicators.get((organisation_id, code))
        if not code:
            reasons.append(_("enter an indicator code"))
        elif indicator is None:
            reasons.append(
                _("indicator code %(code)s is not in the catalogue or among the organisation's own indicators in use")
                % {"code": repr(code)}
            )
        period = None
        try:
            period = periods.parse(period_text)
        except periods.PeriodError as error:
            reasons.append(str(error))
        if period and indicator and period.frequency != indicator.frequency:
            if indicator.frequency == "quarterly":
                reason = _("%(code)s is reported quarterly, but period %(period)s is a financial year")
            else:
                reason = _("%(code)s is reported once a year, but period %(period)s is a quarter")
            reasons.append(reason % {"code": indicator.code, "period": period})
        value = None
        if _text(value_cell) == "":
            reasons.append(_("enter a number"))
        else:
            try:
                value = _number(value_cell)
            except (InvalidOperation, ValueError):
                reasons.append(_("%(value)s is not a number") % {"value": repr(_text(value_cell))})
        if not reasons:
            key = (organisation_id, indicator.pk, period.index)
            first = seen.get(key)
            if first is not None:
                reasons.append(_("the same organisation, indicator and period as line %(line)s") % {"line": first})
            else:
                seen[key] = line
        if reasons:
            checked.add_error(line, "; ".join(reasons))
            return None
        checked.organisation_ids.add(organisation_id)
        return Row(line, organisation_id, indicator.pk, period.label, period.index, value)


def check(path: Path, *, organisation: Organisation | None, progress=None) -> Checked:
    """Reads the whole file and lists every bad line; writes nothing."""
    checked = Checked()
    for _row in Reader(path, organisation=organisation).rows(checked, progress):
        pass
    return checked


def csv_text(rows: list[list]) -> str:
    """A CSV of `rows` (tests and demo files)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def estimate_rows(path: Path) -> int:
    """Roughly how many lines a file has, for the progress bar."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            return workbook.worksheets[0].max_row or 0
        finally:
            workbook.close()
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
