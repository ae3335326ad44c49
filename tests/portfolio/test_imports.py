"""Importing actual values and aspirations: checked whole, every bad line listed, all or nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Organisation
from portfolio import imports, services
from portfolio.models import Aspiration, Measurement, MeasurementChange, ValueSource
from tests.factories import OrganisationFactory

HEADER = ["ons_code", "indicator_code", "period", "value"]


@pytest.fixture
def places(personas, indicators):
    personas.council.ons_code = "E07000001"
    personas.council.save()
    neighbour = OrganisationFactory(ons_code="E07000002")
    network = OrganisationFactory(ons_code=None, kind=Organisation.Kind.SECTOR_BODY)
    return {"own": personas.council, "neighbour": neighbour, "network": network}


def write(tmp_path: Path, rows, name="figures.csv") -> Path:
    path = tmp_path / name
    path.write_text(imports.csv_text(rows), encoding="utf-8")
    return path


def run(path, organisation, actor=None):
    return services.measurements_import(path=path, organisation=organisation, actor=actor, reason="test")


def test_a_good_file_is_imported_with_who_imported_it(tmp_path, places, personas):
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45.5"], ["e07000001", "ni191", "2025-Q1", 400]])
    admin = personas.members["admin"].user
    checked = run(path, places["own"], admin)
    assert (checked.error_count, checked.created) == (0, 2)
    value = Measurement.objects.get(indicator__code="NI192")
    assert (value.period, value.value) == ("2025-Q1", Decimal("45.5"))
    assert (value.source.user, value.source.reason) == (admin, "test")


def test_every_bad_line_is_listed_with_its_number_and_nothing_is_written(tmp_path, places):
    path = write(
        tmp_path,
        [
            HEADER,
            ["E07000001", "NI192", "2025-Q1", "45"],  # 2: good
            ["E07000001", "NI192", "2025-Q1", "46"],  # 3: duplicate of 2
            ["E99999999", "NI192", "2025-Q1", "45"],  # 4: unknown organisation
            ["E07000001", "NOPE", "2025-Q1", "45"],  # 5: unknown indicator
            ["E07000001", "NI192", "2025-Q5", "45"],  # 6: bad period
            ["E07000001", "NI154", "2025-Q1", "45"],  # 7: a quarter for an annual indicator
            ["E07000001", "NI192", "2025-Q2", "lots"],  # 8: not a number
            ["E07000002", "NI192", "2025-Q1", "45"],  # 9: another organisation's row
            [],  # 10: blank lines are skipped
            ["E07000001", "NI154", "2024/25", "120"],  # 11: good
        ],
    )
    checked = run(path, places["own"])
    lines = [line for line, _ in checked.errors]
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    reasons = dict(checked.errors)
    assert "line 2" in reasons[3]
    assert "E99999999" in reasons[4]
    assert "NOPE" in reasons[5]
    assert "2025-Q5" in reasons[6]
    assert "once a year" in reasons[7]
    assert "'lots' is not a number" in reasons[8]
    assert "another organisation's" in reasons[9]
    assert not Measurement.objects.exists()


def test_a_sector_body_may_import_any_organisations_figures(tmp_path, places):
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45"], ["E07000002", "NI192", "2025-Q1", "50"]])
    assert run(path, places["network"]).error_count == 0
    assert Measurement.objects.count() == 2


def test_reimporting_replaces_values_and_keeps_who_changed_what(tmp_path, places, personas):
    admin = personas.members["admin"].user
    run(write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45"]]), places["own"], admin)
    checked = run(write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "47.25"]]), places["own"], admin)
    assert (checked.created, checked.updated) == (0, 1)
    value = Measurement.objects.get()
    assert value.value == Decimal("47.25")
    first, second = ValueSource.objects.order_by("pk")
    assert value.source == second
    assert [(c.previous_value, c.previous_source, c.source) for c in value.changes.all()] == [
        (Decimal("45"), first, second)
    ]


# Provenance without a second row per value: every value carries the import that set it (who,
# when, why, which upload); a value an import changes keeps its previous figure, with who set it
# and when, in one change row; a new value and an unchanged one write no change row. On
# PostgreSQL the clean file takes the COPY path and the one with a blank line the Python
# checker's; on SQLite both take the batch path. The outcome is the same.
FILES = {
    "clean": lambda rows: [HEADER, *rows],
    "blank-line": lambda rows: [HEADER, [], *rows],
}


@pytest.mark.parametrize("shape", FILES)
def test_new_values_carry_their_import_and_keep_no_earlier_figure(tmp_path, places, personas, shape):
    admin = personas.members["admin"].user
    rows = [["E07000001", "NI192", "2025-Q1", "45"], ["E07000001", "NI191", "2025-Q1", "12"]]
    before = timezone.now()
    run(write(tmp_path, FILES[shape](rows)), places["own"], admin)
    source = ValueSource.objects.get()
    assert (source.user, source.reason, source.import_job) == (admin, "test", None)
    assert before <= source.created_at <= timezone.now()
    assert set(Measurement.objects.values_list("source", flat=True)) == {source.pk}
    assert not MeasurementChange.objects.exists()


@pytest.mark.parametrize("shape", FILES)
def test_a_changed_value_keeps_its_previous_figure_who_set_it_and_when(tmp_path, places, personas, shape):
    admin, manager = personas.members["admin"].user, personas.members["manager"].user
    first_rows = [["E07000001", "NI192", "2025-Q1", "45"], ["E07000001", "NI191", "2025-Q1", "12"]]
    run(write(tmp_path, FILES[shape](first_rows)), places["own"], admin)
    first = ValueSource.objects.get()
    set_at = Measurement.objects.get(indicator__code="NI192").updated_at
    changed_rows = [["E07000001", "NI192", "2025-Q1", "46.5"], ["E07000001", "NI191", "2025-Q1", "12.0000"]]
    checked = run(write(tmp_path, FILES[shape](changed_rows)), places["own"], manager)
    assert (checked.created, checked.updated) == (0, 1)
    second = ValueSource.objects.exclude(pk=first.pk).get()
    assert second.user == manager
    changed = Measurement.objects.get(indicator__code="NI192")
    assert (changed.value, changed.source) == (Decimal("46.5"), second)
    change = MeasurementChange.objects.get()
    assert (change.figure, change.previous_value, change.previous_source) == (changed, Decimal("45"), first)
    assert (change.previous_set_at, change.source, change.changed_at) == (set_at, second, second.created_at)
    unchanged = Measurement.objects.get(indicator__code="NI191")
    assert (unchanged.value, unchanged.source) == (Decimal("12"), first)  # 12.0000 is the same figure


@pytest.mark.parametrize("shape", FILES)
def test_reimporting_the_same_file_writes_nothing(tmp_path, places, personas, shape):
    admin = personas.members["admin"].user
    rows = [["E07000001", "NI192", "2025-Q1", "45"], ["E07000001", "NI191", "2025-Q1", "12"]]
    path = write(tmp_path, FILES[shape](rows))
    run(path, places["own"], admin)
    state = list(Measurement.objects.order_by("pk").values_list("pk", "value", "source", "updated_at"))
    checked = run(path, places["own"], personas.members["manager"].user)
    assert (checked.error_count, checked.created, checked.updated) == (0, 0, 0)
    assert list(Measurement.objects.order_by("pk").values_list("pk", "value", "source", "updated_at")) == state
    assert ValueSource.objects.count() == 1 and not MeasurementChange.objects.exists()


@pytest.mark.parametrize("shape", FILES)
def test_an_import_that_fails_while_writing_leaves_nothing_written(tmp_path, places, personas, shape, monkeypatch):
    admin = personas.members["admin"].user
    run(write(tmp_path, FILES[shape]([["E07000001", "NI192", "2025-Q1", "45"]])), places["own"], admin)
    state = list(Measurement.objects.values_list("pk", "value", "source", "updated_at"))

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    # The last step inside the import's transaction, after every value is written.
    monkeypatch.setattr(services.measurements.gap_reports, "gap_report_job_after_import", fail)
    rows = [["E07000001", "NI192", "2025-Q1", "50"], ["E07000001", "NI191", "2025-Q1", "12"]]
    with pytest.raises(RuntimeError):
        run(write(tmp_path, FILES[shape](rows)), places["own"], admin)
    assert list(Measurement.objects.values_list("pk", "value", "source", "updated_at")) == state
    assert ValueSource.objects.count() == 1 and not MeasurementChange.objects.exists()


def test_a_changed_aspiration_keeps_its_previous_figure(tmp_path, places, personas):
    header = ["ons_code", "indicator_code", "period", "aspiration"]
    run(write(tmp_path, [header, ["E07000001", "NI192", "2025-Q4", "60"]]), places["own"])
    run(write(tmp_path, [header, ["E07000001", "NI192", "2025-Q4", "65"]]), places["own"])
    aspiration = Aspiration.objects.get()
    assert aspiration.value == Decimal("65")
    assert [c.previous_value for c in aspiration.changes.all()] == [Decimal("60")]
    assert not MeasurementChange.objects.exists()


def test_aspirations_are_recognised_by_their_column(tmp_path, places):
    path = write(
        tmp_path, [["ons_code", "indicator_code", "period", "aspiration"], ["E07000001", "NI192", "2025/26", 1]]
    )
    # NI192 is quarterly: an annual period is refused, and the file is known to be aspirations.
    checked = run(path, places["own"])
    assert checked.model is Aspiration and checked.error_count == 1
    path = write(
        tmp_path, [["ons_code", "indicator_code", "period", "aspiration"], ["E07000001", "NI192", "2025-Q4", 60]]
    )
    assert run(path, places["own"]).error_count == 0
    assert Aspiration.objects.get().value == Decimal("60")


def test_a_file_with_the_wrong_columns_is_refused_at_line_1(tmp_path, places):
    checked = run(
        write(tmp_path, [["org", "code", "when", "value"], ["E07000001", "NI192", "2025-Q1", 1]]), places["own"]
    )
    assert checked.errors == [
        (
            1,
            "the first line must be the column names ons_code,indicator_code,period,value (actual values) "
            "or ons_code,indicator_code,period,aspiration (aspirations)",
        )
    ]


def test_an_empty_file_is_refused_at_line_1(tmp_path, places):
    path = tmp_path / "figures.csv"
    path.write_text("", encoding="utf-8")
    assert imports.check(path, organisation=places["own"]).errors == [(1, "the file is empty")]


def test_aspirations_may_have_a_note_column_after_the_four(tmp_path, places):
    header = ["ons_code", "indicator_code", "period", "aspiration", "note"]
    path = write(tmp_path, [header, ["E07000001", "NI192", "2025-Q4", 60, "stretch"]])
    checked = imports.check(path, organisation=places["own"])
    assert (checked.model, checked.errors) == (Aspiration, [])


def test_an_xlsx_file_is_read_like_a_csv(tmp_path, places):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["E07000001", "NI192", "2025-Q1", 45.5])
    sheet.append(["E07000001", "NI191", "2025-Q1", "many"])
    path = tmp_path / "figures.xlsx"
    workbook.save(path)
    checked = run(path, places["own"])
    assert checked.errors == [(3, "'many' is not a number")]
    sheet.delete_rows(3)
    workbook.save(path)
    assert run(path, places["own"]).error_count == 0
    assert Measurement.objects.get().value == Decimal("45.5")


@pytest.mark.parametrize(
    ("name", "head", "size", "message"),
    [
        ("figures.txt", b"a,b", 3, "The selected file must be a CSV or an XLSX"),
        ("figures.csv", b"", 0, "The selected file is empty"),
        ("figures.csv", b"a,b", 21 * 1024 * 1024, "The selected file must be smaller than 20 MB"),
        ("figures.csv", b"a,b", imports.MAX_UPLOAD_BYTES + 1, "The selected file must be smaller than 20 MB"),
        (
            "figures.xlsx",
            b"ons_code,indicator_code",
            30,
            "The selected file is not a real XLSX file: save it again from your spreadsheet program",
        ),
        ("figures.csv", b"PK\x03\x04rest", 30, "The selected file is not a CSV: save it as ‘CSV UTF-8’ and try again"),
        (
            "figures.csv",
            b"\xff\xfe\x00o\x00n",
            30,
            "The selected file is not a CSV: save it as ‘CSV UTF-8’ and try again",
        ),
        ("figures.csv", b"ons_code\xe9,bad", 30, "The selected file must be saved as ‘CSV UTF-8’"),
        # A bad byte four from the end is real, not a character cut off by the end of the head.
        ("figures.csv", b"ons_code,\xe9abc", 30, "The selected file must be saved as ‘CSV UTF-8’"),
    ],
)
def test_uploads_are_refused_by_size_extension_and_content_saying_why(name, head, size, message):
    with pytest.raises(imports.FileRefused) as refused:
        imports.check_upload(name, head, size)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("name", "head", "size"),
    [
        ("figures.csv", b"ons_code,indicator_code", imports.MAX_UPLOAD_BYTES),  # exactly 20 MB is allowed
        ("FIGURES.CSV", b"ons_code,indicator_code", 30),
        ("figures.xlsx", b"PK\x03\x04rest", 30),
        # The head read to check a file may end part-way through a character (here "é", "€" and an emoji).
        ("figures.csv", "ons_code,caf\u00e9".encode()[:-1], 30),
        ("figures.csv", "ons_code,\u20ac".encode()[:-1], 30),
        ("figures.csv", "ons_code,\u20ac".encode()[:-2], 30),
        ("figures.csv", "ons_code,\U0001f600".encode()[:-1], 30),  # 3 of an emoji's 4 bytes
    ],
)
def test_a_good_upload_at_the_edges_is_accepted(name, head, size):
    imports.check_upload(name, head, size)


def test_the_command_lists_bad_lines_and_imports_nothing(tmp_path, places, capsys):
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "x"], ["E07000002", "NI192", "2025-Q9", "1"]])
    with pytest.raises(CommandError, match="2 bad line"):
        call_command("import_measurements", str(path))
    err = capsys.readouterr().err
    assert "line 2:" in err and "line 3:" in err
    assert not Measurement.objects.exists()


def test_the_command_imports_any_organisations_good_file(tmp_path, places, capsys):
    path = write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "4"], ["E07000002", "NI192", "2025-Q1", "5"]])
    call_command("import_measurements", str(path))
    assert "2 new value" in capsys.readouterr().out
    assert Measurement.objects.count() == 2


def test_a_good_file_with_blank_lines_and_extra_columns_is_still_imported(tmp_path, places):
    # On PostgreSQL these send the file from COPY to the line-by-line checker; the result is the same.
    path = write(
        tmp_path,
        [
            HEADER + ["note"],
            ["E07000001", "NI192", "2025-Q1", "45", "checked"],
            [],
            ["E07000001", "NI191", "2025-Q1", "1e2"],
        ],
    )
    checked = run(path, places["own"])
    assert (checked.error_count, checked.created) == (0, 2)
    assert Measurement.objects.get(indicator__code="NI191").value == Decimal("100")


def test_values_are_kept_to_four_decimal_places(tmp_path, places):
    run(write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45.123456"]]), places["own"])
    assert Measurement.objects.get().value == Decimal("45.1235")


# On PostgreSQL a clean CSV takes the COPY path (portfolio.pg_import); anything it doubts goes
# to the Python checker. Either way the outcome for a value must be the Python checker's.
@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("7", Decimal("7")),
        (" 7.25 ", Decimal("7.25")),
        ("+5", Decimal("5")),
        (".5", Decimal("0.5")),
        ("-3.5", Decimal("-3.5")),
        ("1e3", Decimal("1000")),
        ("1,234.5", Decimal("1234.5")),
        ("12%", Decimal("12")),
        ("0.00005", Decimal("0.0000")),  # Python rounds half to even; PostgreSQL would round up
        ("NaN", None),
        ("Infinity", None),
        ("-inf", None),
        ("1e12", None),
        ("0x10", None),
        ("", None),
        ("seven", None),
    ],
)
def test_every_import_path_reads_a_value_as_the_python_checker_does(tmp_path, places, text, stored):
    checked = run(write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", text]]), places["own"])
    if stored is None:
        assert checked.error_count == 1 and not Measurement.objects.exists()
        assert checked.errors[0][0] == 2
    else:
        assert checked.error_count == 0
        assert Measurement.objects.get().value == stored


@pytest.mark.parametrize("period", ["2025-Q1", " 2025-Q1 ", "2025-q1", "2025-Q5", "1899-Q4", "2025/27", "2025/26"])
def test_every_import_path_reads_a_period_as_the_python_checker_does(tmp_path, places, period):
    # NI192 is quarterly: only a well-written quarter is a good line.
    checked = run(write(tmp_path, [HEADER, ["E07000001", "NI192", period, "45"]]), places["own"])
    good = period.strip() == "2025-Q1"
    assert (checked.error_count == 0) == good
    assert Measurement.objects.filter(period="2025-Q1").exists() == good


# A decimal comma written without quotes splits the value in two: "40,5" would be read as 40.
# Both import paths (on PostgreSQL, COPY refuses the line and the Python checker words why)
# refuse the line, naming it, and write nothing; so does a line short of a field.
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("E07000001,NI192,2025-Q2,40,5", "the line has 5 fields but the first line has 4 column names"),
        ("E07000001,NI192,2025-Q2,1,234,5", "the line has 6 fields but the first line has 4 column names"),
        ("E07000001,NI192,2025-Q2", "the line has 3 fields but needs 4"),
    ],
    ids=["decimal-comma", "thousands-separator", "short"],
)
def test_a_line_with_more_or_fewer_fields_than_the_header_is_refused_by_its_number(tmp_path, places, line, reason):
    path = tmp_path / "figures.csv"
    path.write_text(f"ons_code,indicator_code,period,value\nE07000001,NI192,2025-Q1,45\n{line}\n", encoding="utf-8")
    checked = run(path, places["own"])
    assert [number for number, _ in checked.errors] == [3]
    assert checked.errors[0][1].startswith(reason)
    assert not Measurement.objects.exists()


def test_an_empty_field_at_the_end_of_a_line_is_not_an_extra_field(tmp_path, places):
    path = tmp_path / "figures.csv"
    path.write_text("ons_code,indicator_code,period,value\nE07000001,NI192,2025-Q1,45,\n", encoding="utf-8")
    assert run(path, places["own"]).error_count == 0
    assert Measurement.objects.get().value == Decimal("45")


def test_a_clean_file_whose_only_fault_is_a_repeated_value_is_refused(tmp_path, places):
    # On PostgreSQL this file passes every check of the COPY path but the one for repeats.
    rows = [["E07000001", "NI192", "2025-Q1", "45"], ["E07000001", "NI191", "2025-Q1", "4"]]
    checked = run(write(tmp_path, [HEADER, *rows, ["e07000001", "NI192", "2025-Q1", "46"]]), places["own"])
    assert [line for line, _ in checked.errors] == [4]
    assert "line 2" in checked.errors[0][1]
    assert not Measurement.objects.exists()


# The Django admin shows where a value came from and what it was before, and records an
# operator's change like an import's: a source, and the previous figure kept.
def test_an_operators_change_in_the_admin_keeps_the_previous_figure_and_who_set_it(tmp_path, places, personas):
    uploader = personas.members["admin"].user
    run(write(tmp_path, [HEADER, ["E07000001", "NI192", "2025-Q1", "45"]]), places["own"], uploader)
    imported = ValueSource.objects.get()
    value = Measurement.objects.get()
    operator = personas.members["manager"].user
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = personas.client_for(personas.members["manager"])
    url = reverse("admin:portfolio_measurement_change", args=[value.pk])
    form = {
        "organisation": value.organisation_id,
        "indicator": value.indicator_id,
        "period": value.period,
        "period_index": value.period_index,
        "value": "50",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    value.refresh_from_db()
    assert (value.value, value.source.user, value.source.reason) == (Decimal("50"), operator, "Changed in the admin")
    change = MeasurementChange.objects.get()
    assert (change.previous_value, change.previous_source, change.source) == (Decimal("45"), imported, value.source)
    page = client.get(url).content.decode()
    assert "Earlier figures (who changed this value, when and from what)" in page
    # Names as the page escapes them (a generated name may hold an apostrophe).
    assert "<p>45.0000</p>" in page and escape(f"test by {uploader}") in page
    assert escape(f"Changed in the admin by {operator}") in page
    # Saving again without a change records nothing more.
    assert client.post(url, form).status_code == 302
    assert ValueSource.objects.count() == 2 and MeasurementChange.objects.count() == 1


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 but not really a zip", "The selected file is not a real XLSX file"),
        (None, "The selected file is not a real XLSX file"),  # a zip, but no workbook in it
    ],
)
def test_an_xlsx_that_is_not_a_workbook_is_refused_saying_so(tmp_path, content, message):
    path = tmp_path / "figures.xlsx"
    if content is None:
        _zip(path, {"word/document.xml": b"<w/>"})
    else:
        path.write_bytes(content)
    with pytest.raises(imports.FileRefused) as refused:
        list(imports.read_rows(path))
    assert str(refused.value) == message


def test_an_xlsx_is_refused_only_when_it_unpacks_to_more_than_the_limit(tmp_path, monkeypatch):
    path = _zip(tmp_path / "figures.xlsx", {"xl/workbook.xml": b"x" * 100, "xl/other.xml": b"y" * 50})
    monkeypatch.setattr(imports, "MAX_XLSX_UNPACKED_BYTES", 150)
    imports._check_xlsx(path)  # exactly the limit
    monkeypatch.setattr(imports, "MAX_XLSX_UNPACKED_BYTES", 149)
    with pytest.raises(imports.FileRefused) as refused:
        imports._check_xlsx(path)
    assert str(refused.value) == "The selected file is too large once unpacked"


def test_errors_beyond_the_listed_limit_are_counted_but_not_listed(monkeypatch):
    monkeypatch.setattr(imports, "MAX_LISTED_ERRORS", 2)
    checked = imports.Checked()
    for line in (2, 3, 4):
        checked.add_error(line, "bad")
    assert checked.errors == [(2, "bad"), (3, "bad")]
    assert checked.error_count == 3


def test_each_reason_a_line_is_refused_is_given_in_full(tmp_path, places):
    """The words an importer reads for each mistake, exactly (mutation testing, issue 22)."""
    path = write(
        tmp_path,
        [
            HEADER,
            ["", "NI192", "2025-Q1", "45"],  # 2
            ["E07000001", "", "2025-Q1", "45"],  # 3
            ["E07000001", "NI192", "2025/26", "45"],  # 4: a year for a quarterly indicator
            ["E07000001", "NI154", "2025-Q1", "45"],  # 5: a quarter for an annual one
            ["E07000001", "NI192", "2025-Q3", ""],  # 6
            ["E07000001", "NI192", "2025-Q4", "40", "5"],  # 7: a decimal comma written without quotes
            ["E07000001", "NI192"],  # 8: a short line
        ],
    )
    checked = imports.check(path, organisation=places["own"])
    assert checked.errors == [
        (2, "enter an ONS code"),
        (3, "enter an indicator code"),
        (4, "NI192 is reported quarterly, but period 2025/26 is a financial year"),
        (5, "NI154 is reported once a year, but period 2025-Q1 is a quarter"),
        (6, "enter a number"),
        (
            7,
            "the line has 5 fields but the first line has 4 column names: "
            "write a number with a decimal point and no commas, or put it in quotes",
        ),
        (
            8,
            "the line has 2 fields but needs 4; period '' is not written as 2025-Q1 (a quarter) "
            "or 2025/26 (a financial year); enter a number",
        ),
    ]


def test_an_organisations_own_indicator_takes_its_own_figures(tmp_path, places):
    from portfolio.models import Indicator

    Indicator.objects.create(
        organisation=places["own"],
        code="AV-TIPS",
        name="Fly-tips",
        unit="count",
        polarity=-1,
        frequency="quarterly",
        service="waste",
    )
    path = write(tmp_path, [HEADER, ["E07000001", "av-tips", "2025-Q1", "12"]])
    checked = imports.check(path, organisation=places["own"])
    assert (checked.errors, checked.row_count) == ([], 1)
    # Another organisation's own indicator is not this one's to use.
    other = imports.check(
        write(tmp_path, [HEADER, ["E07000002", "AV-TIPS", "2025-Q1", "12"]]), organisation=places["neighbour"]
    )
    assert other.errors == [
        (2, "indicator code 'AV-TIPS' is not in the catalogue or among the organisation's own indicators in use")
    ]


@pytest.mark.parametrize("number", [400, 0.00005, 1.00015, 72.5])
def test_a_number_from_an_xlsx_cell_is_the_figure_its_text_shows(number):
    """A spreadsheet cell holds a binary float; it is stored as the figure written (as from a CSV)."""
    assert imports._number(number) == imports._number(repr(number))


def test_good_lines_are_counted_and_read_with_their_line_numbers_and_empty_lines_skipped(tmp_path, places):
    path = write(
        tmp_path,
        [
            HEADER,
            ["E07000001", "NI192", "2025-Q1", "45"],
            ["", "", "", ""],  # an empty line, as a spreadsheet saves one
            ["E07000001", "NI192", "2025-Q2", "46"],
            ["E07000001", "NI192", "2025-Q3", "47"],
        ],
    )
    checked = imports.Checked()
    rows = list(imports.Reader(path, organisation=places["own"]).rows(checked))
    assert [row.line for row in rows] == [2, 4, 5]
    assert (checked.row_count, checked.errors, checked.organisation_ids) == (3, [], {places["own"].pk})


def test_progress_is_told_every_ten_thousand_lines(tmp_path, places):
    path = write(tmp_path, [HEADER] + [["E07000001", "NI192", "2025-Q1", "45"]] * 20_001)
    told = []
    checked = imports.check(path, organisation=places["own"], progress=told.append)
    assert told == [10_000, 20_000]
    assert checked.row_count == 20_001
    # And with nobody to tell, nothing is told.
    assert imports.check(path, organisation=None).row_count == 20_001


def test_a_whole_number_from_an_xlsx_cell_is_written_without_a_decimal_point():
    assert imports._text(2025.0) == "2025"
    assert imports._text(45.5) == "45.5"
    assert imports._text(" NI192 ") == "NI192"


def test_a_lines_width_leaves_out_empty_fields_at_its_end():
    assert imports._width(["a", "b", "c", "", "", ""]) == 3
    assert imports._width(["a", "", "c", " "]) == 3
    assert imports._width(["", ""]) == 0
