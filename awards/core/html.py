"""User-written rich text: a small safe subset of HTML, everything else removed (nh3 / Ammonia)."""

import nh3

TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "h3", "h4", "blockquote", "a", "table",
        "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}}


def sanitize(html: str | None) -> str:
    """Keep paragraphs, lists, emphasis, headings, tables and http(s)/mailto links; drop scripts, styles,
    event handlers and every other attribute. Plain text (no tags) keeps its line breaks as <br>."""
    text = (html or "").strip()
    if text and "<" not in text:
        text = "<p>" + "</p><p>".join(part.replace("\n", "<br>") for part in text.split("\n\n")) + "</p>"
    return nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")
