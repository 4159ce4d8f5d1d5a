"""The user guide (docs/guide/*.md, Vietnamese) as pages of the app: the same files the repository shows.

Only the small part of Markdown the guide uses is understood — headings, paragraphs, lists, **bold**, `code`, links
to other guide pages, pictures from docs/guide/img — so no Markdown library is needed; all text is escaped."""

import re
from pathlib import Path

from markupsafe import Markup, escape

from awards.core.text import fold

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
PAGES = ("can-bo-don-vi", "thanh-vien-hoi-dong", "thuong-truc", "thu-ky-don-vi", "cong-chung", "quan-tri")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(img/([a-z0-9-]+\.png)\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([a-z0-9-]+)\.md(#[a-z0-9-]+)?\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_ITEM = re.compile(r"^(?:[-*]|\d+\.)\s+")


def source(name: str) -> str | None:
    """The Markdown of one guide page (README for the index), or None when the guide is not shipped."""
    path = GUIDE / ("README.md" if name == "index" else f"{name}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else None


def image_path(name: str) -> Path | None:
    path = GUIDE / "img" / name
    return path if re.fullmatch(r"[a-z0-9-]+\.png", name) and path.is_file() else None


def _inline(text: str, url_for_page, url_for_image) -> str:
    """Escape, then turn the guide's code spans, pictures, page links and bold into HTML. A code span is shown
    as written: nothing inside it (`**`, `[a](b.md)`) is read as Markdown."""
    parts = _CODE.split(text)  # odd items are the insides of `code` spans
    return "".join(f"<code>{escape(part)}</code>" if i % 2 else _markup(part, url_for_page, url_for_image)
                   for i, part in enumerate(parts))


def _markup(text: str, url_for_page, url_for_image) -> str:
    html = str(escape(text))
    html = _IMAGE.sub(lambda m: f'<img class="img-fluid border rounded my-2" src="{url_for_image(m[2])}" '
                                f'alt="{m[1]}" loading="lazy">', html)
    html = _LINK.sub(lambda m: f'<a href="{url_for_page("index" if m[2] == "README" else m[2])}{m[3] or ""}">'
                               f'{m[1]}</a>', html)
    return _BOLD.sub(r"<strong>\1</strong>", html)


def render(markdown: str, url_for_page, url_for_image) -> tuple[str, Markup]:
    """(title, body HTML) of a guide page: the first `# ` heading is the title, lower headings become h2–h4."""
    title, blocks, paragraph, items, ordered = "", [], [], [], False

    def flush():
        nonlocal paragraph, items
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph), url_for_page, url_for_image)}</p>")
        if items:
            tag = "ol" if ordered else "ul"
            blocks.append(f"<{tag}>" + "".join(f"<li>{_inline(i, url_for_page, url_for_image)}</li>" for i in items)
                          + f"</{tag}>")
        paragraph, items = [], []

    for line in markdown.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if heading:
            flush()
            level = len(heading[1])
            if level == 1 and not title:
                title = heading[2]
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", fold(heading[2])).strip("-")
                blocks.append(f'<h{level + 1} class="h{level + 3} mt-4" id="{slug}">'
                              f'{_inline(heading[2], url_for_page, url_for_image)}</h{level + 1}>')
        elif _ITEM.match(stripped):
            if paragraph:
                flush()
            ordered = stripped[0].isdigit()
            items.append(_ITEM.sub("", stripped))
        elif not stripped:
            flush()
        elif items:
            items[-1] += " " + stripped
        else:
            paragraph.append(stripped)
    flush()
    return title, Markup("\n".join(blocks))
