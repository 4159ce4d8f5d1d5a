"""Server-rendered SVG charts for the reports dashboard: pure functions returning escaped SVG markup.

Every chart is a set of horizontal bars (long Vietnamese labels stay readable on a phone), each bar with its
label written above it and its value written after it, so nothing is told by colour alone. The SVG carries
role="img", an aria-label and a <title>; the page follows each chart with its data table. No script, no style
attribute (the CSP forbids both): sizes come from the viewBox and presentation attributes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 400  # viewBox units; the SVG scales to its container (a phone shows it at ~0.9, text at ~13px)
FONT = 15
LABEL_HEIGHT = 21  # a label line above its bars
BAR_HEIGHT = 18
BAR_GAP = 4  # between the bars of one row (paired series)
ROW_GAP = 10
HEADING_HEIGHT = 26
LABEL_CHARS = 48  # longer labels are shortened with "…" (the full text is in the bar's <title> and the table)
TEXT = "#212529"
AXIS = "#6c757d"
TRACK = "#e9ecef"
# bar colours, each at least 3:1 against white (WCAG non-text contrast)
BLUE = "#1f5fa6"
ORANGE = "#9a4a00"
RED = "#a4161a"
GREEN = "#2b6a2f"
GREY = "#595959"
LEVEL_COLOURS = {"grassroots": BLUE, "provincial": ORANGE, "national": RED}


@dataclass(frozen=True)
class _Bar:
    value: float
    colour: str
    text: str  # written after the bar


@dataclass(frozen=True)
class _Row:
    label: str
    bars: tuple[_Bar, ...] = ()
    heading: bool = False


def _decimal_comma() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "vi"


def number(value: float) -> str:
    """12, 12,5 (Vietnamese) or 12.5 (English): at most one decimal."""
    text = f"{value:.1f}".removesuffix(".0") if isinstance(value, float) else str(value)
    return text.replace(".", ",") if _decimal_comma() else text


def percent(share: float) -> str:
    """A share 0..1 as a percentage: 0.6 → 60%, 1/3 → 33,3%."""
    return number(round(share * 100, 1)) + "%"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def empty(title: str) -> Markup:
    """What a chart without data shows: a sentence, no SVG."""
    return Markup('<p class="chart-empty text-muted"><span class="fw-semibold">{}</span>: {}</p>').format(
        title, _("Chưa có số liệu."))


def _render(rows: Sequence[_Row], *, title: str, description: str, max_value: float, reserve: int) -> Markup:
    """Lay out the rows top to bottom; bar lengths scale to max_value over WIDTH - reserve units.

    Plain f-strings with every text escaped (issue 21): Markup.format escaped each number too and was a fifth of
    the dashboard's time."""
    track = WIDTH - reserve
    parts: list[str] = []
    y = 0
    for row in rows:
        if row.heading:
            y += HEADING_HEIGHT
            parts.append(f'<text class="chart-heading" x="0" y="{y - 8}" font-size="{FONT + 1}" font-weight="bold" '
                         f'fill="{TEXT}">{escape(row.label)}</text>')
            continue
        tooltip = escape(", ".join([str(row.label), *(str(bar.text) for bar in row.bars)]))
        parts.append(f'<g class="chart-row"><title>{tooltip}</title>')
        y += LABEL_HEIGHT
        label = escape(_short(str(row.label)))
        parts.append(f'<text x="0" y="{y - 5}" font-size="{FONT}" fill="{TEXT}">{label}</text>')
        for i, bar in enumerate(row.bars):
            if i:
                y += BAR_GAP
            share = min(max(bar.value / max_value, 0.0), 1.0) if max_value > 0 else 0.0
            length = round(track * share, 1)
            parts.append(f'<rect class="chart-track" x="0" y="{y}" width="{track}" height="{BAR_HEIGHT}" '
                         f'fill="{escape(TRACK)}"/>'
                         f'<rect class="chart-bar" x="0" y="{y}" width="{length:g}" height="{BAR_HEIGHT}" '
                         f'fill="{escape(bar.colour)}" data-value="{escape(bar.value)}"/>'
                         f'<text class="chart-value" x="{track + 6}" y="{y + BAR_HEIGHT - 4}" font-size="{FONT}" '
                         f'fill="{TEXT}">{escape(bar.text)}</text>')
            y += BAR_HEIGHT
        y += ROW_GAP
        parts.append("</g>")
    height = max(y, 1)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
            f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title><desc>{escape(description)}</desc>')
    return Markup(head + "".join(parts) + "</svg>")


def _scale(values: Sequence[float], max_value: float | None) -> float:
    return max_value if max_value is not None else max(values, default=0)


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str, unit_label: str = "", max_value: float | None = None,
              colour: str = BLUE, fmt: Callable[[float], str] = number) -> Markup:
    """One bar per (label, value); bars scale to max_value (default: the largest value)."""
    if not rows:
        return empty(title)
    scale = _scale([v for _label, v in rows], max_value)
    body = [_Row(label, (_Bar(value, colour, fmt(value)),)) for label, value in rows]
    return _render(body, title=title, description=_describe(unit_label, scale, fmt), max_value=scale, reserve=64)


def grouped_bar_chart(groups: Sequence[tuple[str, Sequence[tuple[str, float]]]], *, title: str,
                      unit_label: str = "", max_value: float | None = None,
                      colours: Sequence[str] = (BLUE, ORANGE, RED, GREEN, GREY)) -> Markup:
    """Bars under a written heading per group (the award types by level), each group in its own colour."""
    groups = [(name, rows) for name, rows in groups if rows]
    if not groups:
        return empty(title)
    scale = _scale([v for _name, rows in groups for _label, v in rows], max_value)
    body: list[_Row] = []
    for i, (name, rows) in enumerate(groups):
        colour = colours[i % len(colours)]
        body.append(_Row(name, heading=True))
        body.extend(_Row(label, (_Bar(value, colour, number(value)),)) for label, value in rows)
    return _render(body, title=title, description=_describe(unit_label, scale, number), max_value=scale, reserve=64)


def hbar_shares(rows: Sequence[tuple[str, float]], *, title: str, colour: str = GREEN) -> Markup:
    """Shares 0..1 as bars on a 0–100% scale, each labelled with its percentage."""
    if not rows:
        return empty(title)
    body = [_Row(label, (_Bar(share, colour, percent(share)),)) for label, share in rows]
    return _render(body, title=title, description=_("Thang đo từ 0 đến %(max)s.", max=percent(1.0)), max_value=1.0,
                   reserve=64)


def paired_bar_chart(rows: Sequence[tuple[str, float, float]], *, title: str, series: tuple[str, str],
                     unit_label: str = "", max_value: float | None = None,
                     colours: tuple[str, str] = (GREY, BLUE)) -> Markup:
    """Two bars per row (expected vs registered, norm vs actual), each value written with its series name."""
    if not rows:
        return empty(title)
    scale = _scale([v for _label, a, b in rows for v in (a, b)], max_value)
    body = [_Row(label, (_Bar(a, colours[0], f"{series[0]}: {number(a)}"),
                         _Bar(b, colours[1], f"{series[1]}: {number(b)}")))
            for label, a, b in rows]
    return _render(body, title=title, description=_describe(unit_label, scale, number), max_value=scale,
                   reserve=176)


def _describe(unit_label: str, scale: float, fmt: Callable[[float], str]) -> str:
    if unit_label:
        return _("Đơn vị tính: %(unit)s; thang đo từ 0 đến %(max)s.", unit=unit_label, max=fmt(scale))
    return _("Thang đo từ 0 đến %(max)s.", max=fmt(scale))
