"""Tagged PDF from reportlab, so that a screen reader can use every PDF Lantern makes.

The accessibility regulations (PSBAR 2018, WCAG 2.2 AA) cover the documents a council
publishes, committee packs and registers included. A PDF is usable by a screen reader only
when it is *tagged*: each piece of text on a page is marked as content of an element of a
structure tree (Document > H1, P, Table > TR > TH/TD), the catalog says it is marked, and
the document has a language and a title the viewer shows. reportlab writes none of that, so
this module adds it around reportlab's own layout:

- `TaggedDocument` lays the story out in a `TaggedFrame`, which wraps what each paragraph
  draws in a marked-content sequence (`/P <</MCID n>> BDC … EMC`) tied to a structure element
  whose role comes from the paragraph's style (`roles`: a title → H1, a section → H2 …);
- every table gets a `_TableTags` as reportlab's own table render callback: each cell is a TH
  (header rows, with Scope Column; a row-header column, with Scope Row) or a TD in a TR, and
  the header rows repeated on a later page are header cells again, and the backgrounds and
  rules are artifacts;
- page furniture (footers, page numbers) drawn by onPage is a pagination artifact;
- `TaggedCanvas` numbers the marked content per page and, when saved, writes the structure
  tree, its parent tree, /MarkInfo, /StructParents and /Tabs on each page, and XMP metadata
  with the title and the PDF/UA identification; `TaggedDocument` sets /Lang and
  DisplayDocTitle.

Text is set in embedded fonts (`stylesheet`; Liberation Sans, or the Bitstream Vera that ships
with reportlab): PDF/UA needs every font embedded, and the 14 standard fonts (Helvetica) never are.
"""

import os
from collections.abc import Callable
from html import escape

import reportlab
from django.utils import translation
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import XMP, PDFArray, PDFDictionary, PDFName
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, SimpleDocTemplate, Table

SANS = "LanternSans"
SANS_BOLD = "LanternSans-Bold"
SANS_ITALIC = "LanternSans-Italic"
SANS_BOLD_ITALIC = "LanternSans-BoldItalic"
_FONT_FILES = {SANS: "Vera.ttf", SANS_BOLD: "VeraBd.ttf", SANS_ITALIC: "VeraIt.ttf", SANS_BOLD_ITALIC: "VeraBI.ttf"}
# reportlab's sample styles name the standard fonts; each becomes its embedded twin.
_EMBEDDED = {
    "Helvetica": SANS,
    "Helvetica-Bold": SANS_BOLD,
    "Helvetica-Oblique": SANS_ITALIC,
    "Helvetica-BoldOblique": SANS_BOLD_ITALIC,
    "Times-Roman": SANS,
    "Times-Bold": SANS_BOLD,
    "Times-Italic": SANS_ITALIC,
    "Times-BoldItalic": SANS_BOLD_ITALIC,
    "Courier": SANS,
    "Courier-Bold": SANS_BOLD,
}
ARTIFACT = "/Artifact BMC"
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
END = "EMC"


# Liberation Sans (Debian's fonts-liberation, which .ci/run installs) has Helvetica's widths, so
# the pages keep the layout they were designed with; reportlab's own Vera is the fallback.
_LIBERATION = "/usr/share/fonts/truetype/liberation"
_LIBERATION_FILES = {
    SANS: "LiberationSans-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
    SANS_ITALIC: "LiberationSans-Italic.ttf",
    SANS_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


def _font_paths() -> dict[str, str]:
    liberation = {name: os.path.join(_LIBERATION, file) for name, file in _LIBERATION_FILES.items()}
    if all(os.path.isfile(path) for path in liberation.values()):
        return liberation
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return {name: os.path.join(folder, file) for name, file in _FONT_FILES.items()}


def fonts_register() -> None:
    """Registers the embedded fonts once, as a family, so that <b> and <i> in a paragraph work."""
    if SANS in pdfmetrics.getRegisteredFontNames():
        return
    for name, path in _font_paths().items():
        pdfmetrics.registerFont(TTFont(name, path))
    for bold, italic, name in [(0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC), (1, 1, SANS_BOLD_ITALIC)]:
        addMapping(SANS, bold, italic, name)


def embedded(font_name: str) -> str:
    """The embedded font to use where a standard font is named."""
    return _EMBEDDED.get(font_name, font_name)


def stylesheet() -> StyleSheet1:
    """reportlab's sample styles, set in the embedded fonts."""
    fonts_register()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if hasattr(style, "fontName"):
            style.fontName = embedded(style.fontName)
    return sheet


class _Element:
    """A structure element: its role, and its kids (elements, or (page, MCID) marked content)."""

    def __init__(self, role: str, parent: "_Element | None" = None, attributes: dict | None = None):
        self.role, self.attributes, self.kids = role, attributes, []
        if parent is not None:
            parent.kids.append(self)


class TaggedCanvas(Canvas):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fonts_register()
        self.tag_root = _Element("Document")
        self.tag_roles: dict[str, str] = {}
        self._page_marks: list[_Element] = []  # this page's elements, by MCID
        self._parent_tree: list[list[_Element]] = []  # every finished page's

    def tag_open(self, element: _Element) -> str:
        """The operator that starts marked content of `element` on this page (MCID numbered here)."""
        mcid = len(self._page_marks)
        self._page_marks.append(element)
        element.kids.append((len(self._parent_tree), mcid))
        return f"/{element.role} <</MCID {mcid}>> BDC"

    def showPage(self):
        self._parent_tree.append(self._page_marks)
        self._page_marks = []
        super().showPage()
        page = self._doc.Pages.pages[-1]
        # reportlab writes only the page keys it lists; these two say where its tags are and
        # that the reading (and tabbing) order is the structure's.
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = len(self._parent_tree) - 1
        page.Tabs = PDFName("S")

    def save(self):
        if len(self._code):
            self.showPage()
        self._structure_write()
        super().save()

    def _structure_write(self) -> None:
        doc = self._doc
        pages = [doc.Reference(page) for page in doc.Pages.pages]
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root)
        refs: dict[int, object] = {}

        def write(element: _Element, parent_ref) -> object:
            entry = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(element.role), "P": parent_ref})
            ref = doc.Reference(entry)
            refs[id(element)] = ref
            if element.attributes:
                entry["A"] = PDFDictionary(element.attributes)
            kids = []
            for kid in element.kids:
                if isinstance(kid, tuple):
                    page, mcid = kid
                    kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": pages[page], "MCID": mcid}))
                else:
                    kids.append(write(kid, ref))
            # One kid is written on its own, as most tools write it (and some checkers expect).
            entry["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
            return ref

        root["K"] = write(self.tag_root, root_ref)
        nums: list = []
        for page, marks in enumerate(self._parent_tree):
            nums.extend([page, PDFArray([refs[id(element)] for element in marks])])
        root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        root["ParentTreeNextKey"] = len(self._parent_tree)
        catalog = doc.Catalog
        catalog.StructTreeRoot = root
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        title = doc.info.title or ""
        author = doc.info.author or ""
        catalog.Metadata = XMP(creator=lambda _doc: _xmp(title=title, author=author))


def _xmp(*, title: str, author: str) -> bytes:
    # The title a PDF/UA reader takes is XMP's dc:title; pdfuaid:part says which PDF/UA it claims.
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:format>application/pdf</dc:format>
<pdf:Producer>Lantern</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


class _TableTags:
    """reportlab's table render callback (`_renderCB`, which its splits pass on to every part):
    one Table element for the whole table, however many pages it runs over."""

    def __init__(self, table: Table, canv: TaggedCanvas):
        self.element = _Element("Table", canv.tag_root)
        self.header_rows = table.repeatRows if isinstance(table.repeatRows, int) else 0
        self.row_headers = getattr(table, "tag_row_headers", False)
        self.rows: dict[int, _Element] = {}
        self.next_row = 0
        self.parts = 0
        self.part_rows: list[int | None] = []
        self.row: int | None = None
        self.tr: _Element | None = None
        self.column_header = False

    def __call__(self, table: Table, event: str, *args):
        code = table.canv._code
        if event == "startTable":
            # A later part starts with the header rows again: they are header cells there too
            # (None below), so a reader who jumps to that page hears what the columns are.
            repeated = table.repeatRows if self.parts and isinstance(table.repeatRows, int) else 0
            body = len(table._cellvalues) - repeated
            self.part_rows = [None] * repeated + list(range(self.next_row, self.next_row + body))
            self.next_row += body
            self.parts += 1
        elif event in ("startBG", "startLines"):
            code.append(ARTIFACT)
        elif event in ("endBG", "endLines"):
            code.append(END)
        elif event == "startRow":
            self.row = self.part_rows[args[0]]
            if self.row is None:
                self.tr, self.column_header = _Element("TR", self.element), True
            else:
                self.tr = self.rows.get(self.row) or self.rows.setdefault(self.row, _Element("TR", self.element))
                self.column_header = self.row < self.header_rows
        elif event == "startCell":
            if self.column_header or (self.row_headers and args[1] == 0):
                scope = "Column" if self.column_header else "Row"
                cell = _Element("TH", self.tr, {"O": PDFName("Table"), "Scope": PDFName(scope)})
            else:
                cell = _Element("TD", self.tr)
            code.append(table.canv.tag_open(cell))
        elif event == "endCell":
            code.append(END)


class TaggedFrame(Frame):
    """A frame whose paragraphs are tagged as they are drawn, and whose tables tag themselves."""

    def _table_tags(self, flowable, canv) -> None:
        if isinstance(flowable, Table) and getattr(flowable, "_renderCB", None) is None:
            flowable._renderCB = _TableTags(flowable, canv)
            # Text put straight into a cell is set in the cell's font: an embedded one too.
            for row in flowable._cellStyles:
                for style in row:
                    style.fontname = embedded(style.fontname)

    def split(self, flowable, canv):
        self._table_tags(flowable, canv)
        return super().split(flowable, canv)

    def _add(self, flowable, canv, trySplit=0):
        if isinstance(flowable, Table):
            self._table_tags(flowable, canv)
            return super()._add(flowable, canv, trySplit)
        start = len(canv._code)
        drawn = super()._add(flowable, canv, trySplit)
        if drawn and len(canv._code) > start:
            if isinstance(flowable, Paragraph):
                role = canv.tag_roles.get(flowable.style.name, "P")
                canv._code.insert(start, canv.tag_open(_Element(role, canv.tag_root)))
            else:
                # Drawn but not text (a rule, a box): decoration, which a reader skips.
                canv._code.insert(start, ARTIFACT)
            canv._code.append(END)
        return drawn

    add = _add


def _pagination(draw: Callable | None) -> Callable:
    def drawn_as_artifact(canvas, document):
        if draw is not None:
            canvas._code.append(PAGINATION)
            draw(canvas, document)
            canvas._code.append(END)

    return drawn_as_artifact


def language() -> str:
    """The PDF's language tag: the language it is being written in, Welsh or British English."""
    return "cy" if (translation.get_language() or "").startswith("cy") else "en-GB"


class TaggedDocument(SimpleDocTemplate):
    """A SimpleDocTemplate whose PDF is tagged. `roles` maps paragraph style names to structure
    roles (H1…H6; any other paragraph is a P); give a `title`, which the viewer shows."""

    def __init__(self, filename, *, roles: dict[str, str], **kwargs):
        fonts_register()
        kwargs.setdefault("lang", language())
        kwargs.setdefault("displayDocTitle", True)
        kwargs.setdefault("initialFontName", SANS)
        super().__init__(filename, **kwargs)
        self.tag_roles = roles

    def _canvas(self, *args, **kwargs) -> TaggedCanvas:
        canvas = TaggedCanvas(*args, **kwargs)
        canvas.tag_roles = self.tag_roles
        return canvas

    def build(self, flowables, onFirstPage=None, onLaterPages=None):
        self._calc()
        frame = TaggedFrame(self.leftMargin, self.bottomMargin, self.width, self.height, id="normal")
        self.addPageTemplates(
            [
                PageTemplate(id="First", frames=frame, onPage=_pagination(onFirstPage), pagesize=self.pagesize),
                PageTemplate(id="Later", frames=frame, onPage=_pagination(onLaterPages), pagesize=self.pagesize),
            ]
        )
        BaseDocTemplate.build(self, flowables, canvasmaker=self._canvas)
