"""Lessons are written in Markdown; this is the one place it becomes HTML.

markdown-it-py's "js-default" preset leaves raw HTML out (its "default" preset would pass
`<script>` straight through); nh3 then keeps only the tags, attributes and link schemes a
lesson needs, so whatever a writer types, the page gets no script, no event handler and no
`javascript:` link. Templates mark the result safe only through `render_markdown`.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("js-default")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# GOV.UK typography, added by the sanitiser itself so that the writer cannot set classes.
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h2": {"class": "govuk-heading-m"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "a": {"class": "govuk-link"},
    "table": {"class": "govuk-table"},
    "blockquote": {"class": "govuk-inset-text"},
}


def _html(text: str) -> str:
    tokens = _markdown.parse(text or "")
    for token in tokens:
        # The page has the only h1; a writer's "# Heading" becomes the level below it.
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
    return _markdown.renderer.render(tokens, _markdown.options, {})


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page, a feed or an email."""
    html = _html(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values=GOVUK_CLASSES,
        strip_comments=True,
        # Links go to other sites or email; a relative link has no place in a lesson read anywhere.
        url_relative="deny",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it against the allowlist above
