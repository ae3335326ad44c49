"""Is a PDF usable by a screen reader? The checks a tagged PDF must pass, read with pypdf.

`pdfua_findings` runs the PDF/UA-1 checker from PyPI (pdfua, requirements-dev) where it is
installed; `tagging_faults` checks, with pypdf alone, what PDF/UA asks of a tagged file and that
checker leaves to veraPDF: every piece of text is inside marked content (tagged or an
artifact), tables have header cells, and every font is embedded. Neither is a full PDF/UA
validation (veraPDF is not on PyPI or in Debian).
"""

import io
import os

from pypdf import PdfReader
from pypdf.generic import ContentStream

TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}


def roles(reader: PdfReader) -> list[str]:
    """The structure elements' roles, in reading order."""
    found: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/Type") == "/StructElem" or "/S" in node:
            found.append(str(node["/S"])[1:])
        if "/K" in node and node.get("/Type") != "/MCR":
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


def tagging_faults(data: bytes) -> list[str]:
    """What stops a screen reader using the PDF; empty when it is tagged throughout."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    faults = []
    if not root.get("/MarkInfo", {}).get("/Marked", False):
        faults.append("the catalog does not say the file is tagged (/MarkInfo /Marked true)")
    if not str(root.get("/Lang", "")).startswith("en"):
        faults.append("no document language (/Lang)")
    if not (reader.metadata and reader.metadata.title):
        faults.append("no document title")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        faults.append("the viewer is not told to show the title (DisplayDocTitle)")
    if "/StructTreeRoot" not in root:
        return [*faults, "no structure tree"]
    found = roles(reader)
    if "H1" not in found:
        faults.append("no H1 heading in the structure tree")
    if "Table" in found and "TH" not in found:
        faults.append("a table without header cells (TH)")
    for number, page in enumerate(reader.pages, start=1):
        if "/StructParents" not in page:
            faults.append(f"page {number} has no /StructParents")
        depth, untagged = 0, 0
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in TEXT_SHOWING and depth == 0:
                untagged += 1
        if untagged:
            faults.append(f"page {number} has {untagged} pieces of text that are neither tagged nor artifacts")
        if depth:
            faults.append(f"page {number} has unbalanced marked content")
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                faults.append(f"page {number}: font {name} ({font.get('/BaseFont')}) is not embedded")
    return faults


def pdfua_findings(data: bytes, tmp_path) -> list[str] | None:
    """The PDF/UA-1 checker's errors and warnings, or None where it is not installed."""
    try:
        import pdfua
    except ImportError:
        # CI installs requirements-dev.txt, so there the checker must run.
        if os.environ.get("CI"):
            raise
        return None
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    return [
        f"{finding.rule_id}: {finding.message}"
        for finding in report.findings
        if finding.severity.name in ("ERROR", "WARNING")
    ]
