"""Lesson Markdown: what a writer types can format the text, and can never run code."""

from html.parser import HTMLParser

import pytest

from sharing.markdown import render_markdown

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '"><img src=x onerror=alert(1)>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](%6A%61%76%61script:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](javascript:alert(1))",
    '![pic](x "onerror=alert(1)")',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick=alert(1)>x</p>",
    "<a href=# onmouseover=alert(1)>x</a>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)//-->",
    "<object data=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    '[x](https://ok.example" onmouseover="alert(1))',
    "<<script>script>alert(1)<</script>/script>",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _parsed(html: str):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_no_payload_survives_as_script_handler_or_javascript_link(payload):
    html = str(render_markdown(payload))
    assert "<script" not in html.lower()
    for tag, attrs in _parsed(html):
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "img", "meta"}
        for name, value in attrs:
            assert not name.lower().startswith("on"), html
            assert name.lower() != "style", html
            if name.lower() in {"href", "src"}:
                assert value.lower().startswith(("http://", "https://", "mailto:")), html


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_payloads_survive_only_as_visible_text(payload):
    # What a writer typed is shown, escaped, so a reader sees exactly what was written.
    html = str(render_markdown(payload))
    for _tag, attrs in _parsed(html):
        for name, value in attrs:
            assert "javascript:" not in (value or "").lower()
            assert name[:2].lower() != "on"


def test_markdown_formats_headings_lists_links_and_emphasis_in_govuk_style():
    html = str(render_markdown("# What we tried\n\n- one\n- **two**\n\n[Report](https://example.org/r)"))
    assert '<h2 class="govuk-heading-m">What we tried</h2>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "<strong>two</strong>" in html
    assert 'href="https://example.org/r"' in html
    assert "nofollow" in html


def test_writer_cannot_set_their_own_classes_or_ids():
    html = str(render_markdown('<p class="govuk-error" id="main-content">x</p>'))
    for _tag, attrs in _parsed(html):
        assert ("id", "main-content") not in attrs
        assert ("class", "govuk-error") not in attrs


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""
