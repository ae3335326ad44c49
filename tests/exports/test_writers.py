"""The one formula-injection helper, and the writers that use it, read back by their readers."""

import csv
import io
from decimal import Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import writers

TRIGGERED = st.builds(lambda t, rest: t + rest, st.sampled_from(writers.TRIGGERS), st.text(max_size=20))


@given(text=TRIGGERED)
def test_a_string_starting_with_a_trigger_gets_a_leading_apostrophe(text):
    assert writers.cell(text) == "'" + text


@given(number=st.one_of(st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=2)))
def test_numbers_stay_numbers_even_when_negative(number):
    assert writers.cell(number) == number


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(TRIGGERED, min_size=1, max_size=5))
def test_no_csv_cell_read_back_starts_with_a_bare_trigger(texts):
    body = "".join(writers.csv_chunks(["a"], [[t] for t in texts]))
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))[1:]
    # csv turns a lone CR or LF into a line break inside quotes; each cell still starts with the apostrophe.
    assert all(row[0].startswith("'") for row in rows)


@settings(max_examples=10, deadline=None)
@given(texts=st.lists(TRIGGERED.filter(lambda t: "\0" not in t), min_size=1, max_size=5))
def test_an_xlsx_read_back_holds_no_formula(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    count = writers.xlsx_write(str(path), title="T", columns=["a", "n"], rows=[[t, Decimal("-1.5")] for t in texts])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert count == len(texts)
    assert not [c for c in cells if c.data_type == "f"]
    assert all(c.value.startswith("'") for c in cells if c.column == 1)
    assert all(c.value == -1.5 for c in cells if c.column == 2)


def test_pdf_cells_are_text_not_markup(tmp_path):
    path = tmp_path / "t.pdf"
    writers.pdf_write(str(path), title="<b>T", subtitle="s", columns=["a"], rows=[['<font color="red">x</font>']])
    assert path.read_bytes().startswith(b"%PDF")
