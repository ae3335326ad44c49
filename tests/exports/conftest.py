"""Fixtures for exports: the risk and sharing apps' own fixtures, reused, and ways to read
each format back."""

import base64
import contextlib
import csv
import io
import re
import zlib

import openpyxl
import pytest

from accounts.models import Role
from tests.risk.conftest import make_risk, project  # noqa: F401 (fixtures)
from tests.sharing.conftest import admin, indicator, make_lesson, manager  # noqa: F401 (fixtures)


@pytest.fixture
def admin_client(personas):
    return personas.client_for(personas.members[Role.ADMIN])


def content_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))


def read_xlsx(response):
    """(rows of values, workbook) with formulas left as written, so that a live one would show."""
    book = openpyxl.load_workbook(io.BytesIO(content_of(response)), read_only=False)
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet


def pdf_text(response) -> str:
    """The text drawn on a reportlab PDF's pages: its content streams, inflated where compressed."""
    data = content_of(response)
    assert data.startswith(b"%PDF")
    texts = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        chunk = match.group(1).strip()
        if chunk.endswith(b"~>"):  # reportlab's default: ASCII85, then Flate
            chunk = base64.a85decode(chunk, adobe=True) if chunk.startswith(b"<~") else base64.a85decode(chunk[:-2])
        with contextlib.suppress(zlib.error):
            chunk = zlib.decompress(chunk)
        texts.extend(m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", chunk))
    return " ".join(texts)


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    # Background exports' files go to MEDIA_ROOT; tests must not leave them in the work tree.
    settings.MEDIA_ROOT = tmp_path
