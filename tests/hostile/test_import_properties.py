"""Property tests on the CSV importer: whatever the bytes, the upload check and the whole-file
check either refuse the file with a message or list every bad line by number, never crash,
and never write a row; wrong encodings (UTF-16, Latin-1) and formula cells are refused clearly."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio import imports
from portfolio.models import Aspiration, Measurement

HEADER = "ons_code,indicator_code,period,value\r\n"
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "1e400", "NaN", "-0", "9" * 40, "'; DROP TABLE x;--",
                     "2025-Q5", "2025/27", "../../etc/passwd", "<script>alert(1)</script>"]),
)  # fmt: skip
lines = st.lists(st.lists(cells, min_size=0, max_size=6), max_size=12)


def _write(data: bytes) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115 - removed by the caller
    handle.write(data)
    handle.close()
    return Path(handle.name)


def _check(data: bytes, organisation) -> imports.Checked | str:
    try:
        imports.check_upload("upload.csv", data[:4096], len(data))
    except imports.FileRefused as refused:
        return str(refused)
    path = _write(data)
    try:
        return imports.check(path, organisation=organisation)
    except imports.FileRefused as refused:
        return str(refused)
    finally:
        path.unlink()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=lines)
def test_any_csv_is_refused_or_checked_line_by_line_and_nothing_is_written(personas, rows):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    before = (Measurement.objects.count(), Aspiration.objects.count())
    result = _check((HEADER + buffer.getvalue()).encode(), personas.council)
    assert (Measurement.objects.count(), Aspiration.objects.count()) == before
    if isinstance(result, str):
        assert result  # a message, not an empty refusal
        return
    for line, reason in result.errors:
        assert isinstance(line, int) and line >= 1 and reason
    if rows and any(any(c.strip() for c in row) for row in rows):
        # Nothing in this alphabet names a real authority and indicator: every non-blank line is wrong.
        assert result.error_count >= 1


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_the_importer(personas, data):
    result = _check(data, personas.council)
    assert isinstance(result, str | imports.Checked)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-16", "not a CSV"), ("latin-1", "CSV UTF-8")],
)
def test_a_file_in_the_wrong_encoding_is_refused_with_what_to_do(personas, encoding, expected):
    data = (HEADER + "E07000001,PI-1,2025-Q1,1\r\nÉcole,Café,2025-Q1,£5\r\n" * 400).encode(encoding)
    result = _check(data, personas.council)
    assert isinstance(result, str) and expected in result, result


@pytest.mark.django_db
def test_formula_cells_and_huge_numbers_are_bad_lines_not_values(personas):
    data = (HEADER + '=HYPERLINK("http://evil"),PI-1,2025-Q1,1\r\nE07000001,PI-1,2025-Q1,1e400\r\n').encode()
    result = _check(data, personas.council)
    assert isinstance(result, imports.Checked)
    assert {line for line, _ in result.errors} == {2, 3}
