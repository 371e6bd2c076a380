"""The SVG canvas the charts draw on (registry/web/charts.py): shapes, text, legends, colours, all
escaped, with a title on every mark for screen readers and tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

WIDTH = 800
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"
INK, MUTED, GRID = "#1f2328", "#57606a", "#d0d7de"
STATUS_COLOURS = {
    "certified": "#1b6e3a",
    "label_valid": "#0f6b66",
    "self_assessed": "#4d7a1f",
    "in_implementation": "#2458a6",
    "self_declared": "#6b4fa0",
    "suspended": "#a35200",
    "withdrawn": "#b0262d",
    "expired": "#8a3b3b",
    "inactive": "#6e5a44",
    "unknown": "#6e7781",
}
SERIES = ("#2458a6", "#1b6e3a", "#a35200", "#6b4fa0", "#b0262d", "#0f6b66")


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def text_width(text: str, size: float = 12) -> float:
    """A generous estimate of a text's width: layout only (legends wrap on it)."""
    return len(text) * size * 0.6


class Canvas:
    """An SVG document built in parts; `uid` keeps its pattern ids apart from other charts on the
    same page."""

    def __init__(self, uid: str, title: str, description: str, language: str) -> None:
        self.uid, self.title, self.description, self.language = uid, title, description, language
        self.defs: list[str] = []
        self.parts: list[str] = []
        self._patterns: set[str] = set()

    def hatch(self, colour: str) -> str:
        """The id of a diagonal hatch in `colour`: what is inferred rather than shown."""
        pid = f"{self.uid}-h{colour.lstrip('#')}"
        if pid not in self._patterns:
            self._patterns.add(pid)
            self.defs.append(
                f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
                f'<rect width="3" height="6" fill="{colour}"/></pattern>'
            )
        return f"url(#{pid})"

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 12,
        anchor: str = "start",
        fill: str = INK,
        weight: str = "normal",
    ) -> None:
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"'
            f"{' font-weight=' + chr(34) + weight + chr(34) if weight != 'normal' else ''}>"
            f"{esc(text)}</text>"
        )

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        *,
        stroke: str | None = None,
        dash: str | None = None,
        title: str | None = None,
    ) -> None:
        attrs = f'x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"'
        if stroke:
            attrs += f' stroke="{stroke}" stroke-width="1"'
        if dash:
            attrs += f' stroke-dasharray="{dash}"'
        self.parts.append(
            f"<rect {attrs}>{f'<title>{esc(title)}</title>' if title else ''}</rect>"
            if title
            else f"<rect {attrs}/>"
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: str = GRID,
        *,
        dash: str | None = None,
        width: float = 1,
    ) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{dashes}/>'
        )

    def svg(self, height: float) -> str:
        uid = esc(self.uid)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 '
            f'{WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" lang="{esc(self.language)}" '
            f'xml:lang="{esc(self.language)}" '
            f'aria-labelledby="{uid}-t {uid}-d" font-family="{esc(FONT)}">'
            f'<title id="{uid}-t">{esc(self.title)}</title><desc '
            f'id="{uid}-d">{esc(self.description)}</desc>'
            f'<defs>{"".join(self.defs)}</defs><rect width="{WIDTH}" height="{height:.0f}" '
            f'fill="#fff"/>'
            f"{''.join(self.parts)}</svg>"
        )


@dataclass
class Legend:
    """Swatches and their words, wrapped onto as many rows as they need."""

    # (fill, label, stroke dash)
    items: list[tuple[str, str, str | None]] = field(default_factory=list)

    def add(self, fill: str, label: str, dash: str | None = None) -> None:
        if all(item[1] != label for item in self.items):
            self.items.append((fill, label, dash))

    def draw(self, canvas: Canvas, y: float, left: float = 12) -> float:
        """Draws from `y` down; returns the y below the legend."""
        x = left
        for fill, label, dash in self.items:
            width = 22 + text_width(label) + 14
            if x + width > WIDTH - 8 and x > left:
                x, y = left, y + 20
            canvas.rect(x, y - 10, 14, 12, fill, stroke=INK if dash is None else MUTED, dash=dash)
            canvas.text(x + 20, y, label, fill=INK)
            x += width
        return y + 14
