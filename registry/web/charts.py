"""Charts as SVG, drawn on the server from the same answers the pages show as tables (no chart
library, nothing fetched by the browser). Every chart is an `<svg role="img">` with a title and a
description, its words already in the reader's language; its table equivalent is on the page beside
it. Colours hold 3:1 against white (WCAG 2.1 non-text contrast) and never carry meaning alone: the
basis of a status is also a fill pattern, each bar and marker has a <title>, and the table says
everything the chart shows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from registry.web.canvas import (
    GRID,
    INK,
    MUTED,
    SERIES,
    STATUS_COLOURS,
    WIDTH,
    Canvas,
    Legend,
    esc,
    text_width,
)
from registry.web.repo import Period

# ---------------------------------------------------------------- timelines


@dataclass
class TimelineRow:
    label: str
    periods: list[Period]
    # (day, title, link)
    events: list[tuple[dt.date, str, str | None]] = field(default_factory=list)
    href: str | None = None


def year_range(rows: Sequence[TimelineRow], as_of: dt.date) -> tuple[int, int]:
    """From the year of the earliest evidence to the year of `as_of` (or of the latest change of
    state, if later, at most three years on)."""
    starts = [p.start.year for r in rows for p in r.periods if not p.open_start]
    starts += [day.year for r in rows for day, _, _ in r.events]
    ends = [p.start.year for r in rows for p in r.periods if not p.open_start]
    first = min(starts, default=as_of.year - 5)
    last = min(max([as_of.year, *ends]), as_of.year + 3)
    return min(first, last - 1), last


def _ticks(first: int, last: int) -> list[int]:
    years = last - first + 1
    step = 1 if years <= 16 else 2 if years <= 32 else 5 if years <= 80 else 10
    return [y for y in range(first, last + 2) if y % step == 0 or step == 1]


def _runs(periods: Sequence[Period], x) -> list[tuple[str, float, float]]:
    """The runs of one status the evidence supports (evidenced or inferred), as x ranges."""
    runs: list[tuple[str, float, float]] = []
    for p in periods:
        if p.basis == "unknown":
            continue
        x0, x1 = x(p.start), x(p.end)
        if runs and runs[-1][0] == p.status and abs(runs[-1][2] - x0) < 0.01:
            runs[-1] = (p.status, runs[-1][1], x1)
        else:
            runs.append((p.status, x0, x1))
    return runs


def timeline(
    rows: Sequence[TimelineRow],
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    as_of: dt.date,
    as_of_label: str,
    status_labels: dict[str, str],
    basis_labels: dict[str, str],
    years: tuple[int, int] | None = None,
    links: bool = False,
    label_width: int = 170,
) -> str:
    """One horizontal bar per row over a common year axis: each period coloured by its status and
    filled by its basis (solid: evidenced; hatched: inferred; a dashed outline: unknown), each dated
    event a diamond."""
    first, last = years or year_range(rows, as_of)
    start, end = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    left, right, top, row_h = label_width, WIDTH - 16, 10, 30
    span_days = (end - start).days

    def x(day: dt.date) -> float:
        day = min(max(day, start), end)
        return left + (right - left) * (day - start).days / span_days

    canvas = Canvas(uid, title, description, language)
    legend = Legend()
    for year in _ticks(first, last):
        canvas.line(x(dt.date(year, 1, 1)), top, x(dt.date(year, 1, 1)), top + row_h * len(rows))
    for i, row in enumerate(rows):
        y = top + i * row_h
        label = (
            row.label
            if text_width(row.label) < label_width - 12
            else row.label[: int((label_width - 24) / 7.2)] + "…"
        )
        if links and row.href:
            canvas.add(f'<a href="{esc(row.href)}">')
            canvas.text(8, y + 19, label, fill="#0b57a4")
            canvas.add("</a>")
        else:
            canvas.text(8, y + 19, label)
        for p in row.periods:
            if (
                p.end <= start
                or p.start >= end
                or (p.status == "unknown" and p.reason == "no_evidence_yet")
            ):
                continue
            x0, x1 = x(p.start), x(p.end)
            colour = STATUS_COLOURS.get(p.status, MUTED)
            words = (
                f"{status_labels.get(p.status, p.status)} — {basis_labels.get(p.basis, p.basis)}"
            )
            if p.basis == "unknown":
                canvas.rect(x0, y + 11, x1 - x0, 10, "#fff", stroke=MUTED, dash="3 2", title=words)
                legend.add("#fff", basis_labels.get("unknown", "unknown"), "3 2")
                continue
            fill = colour if p.basis == "evidenced" else canvas.hatch(colour)
            canvas.rect(x0, y + 7, max(x1 - x0, 1.5), 18, fill, title=words)
            legend.add(colour, status_labels.get(p.status, p.status))
        # one outline per run of a status, whatever its basis
        for status, x0, x1 in _runs(row.periods, x):
            canvas.rect(
                x0, y + 7, max(x1 - x0, 1.5), 18, "none", stroke=STATUS_COLOURS.get(status, MUTED)
            )
        for day, words, link in row.events:
            cx, cy = x(day), y + 6
            marker = (
                f'<path d="M{cx:.1f} {cy - 5:.1f} L{cx + 5:.1f} {cy:.1f} L{cx:.1f} {cy + 5:.1f} '
                f'L{cx - 5:.1f} {cy:.1f} Z" fill="{INK}" stroke="#fff" stroke-width="1">'
                f"<title>{esc(words)}</title></path>"
            )
            canvas.add(f'<a href="{esc(link)}">{marker}</a>' if links and link else marker)
    bottom = top + row_h * max(len(rows), 1)
    canvas.line(left, bottom, right, bottom, INK)
    for year in _ticks(first, last):
        if year <= last:
            canvas.text(x(dt.date(year, 1, 1)) + 2, bottom + 15, str(year), size=11, fill=MUTED)
    if start <= as_of < end:
        canvas.line(x(as_of), top - 4, x(as_of), bottom, INK, dash="4 3")
        canvas.text(
            min(x(as_of) + 3, right - text_width(as_of_label, 11)),
            bottom + 30,
            as_of_label,
            size=11,
        )
    legend.add(INK, basis_labels.get("evidenced", "evidenced"))
    legend.items.append((canvas.hatch(INK), basis_labels.get("inferred", "inferred"), None))
    below = legend.draw(canvas, bottom + 52) + 8
    if not any(row.events for row in rows):
        return canvas.svg(below - 4)
    canvas.add(f'<path d="M19 {below - 4:.1f} l6 -6 l6 6 l-6 6 z" fill="{INK}"/>')
    canvas.text(34, below, status_labels.get("_event", "event"))
    return canvas.svg(below + 10)


# ---------------------------------------------------------------- adoption over the years


def _nice(value: float) -> float:
    """A round maximum for an axis at or above value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= value)


def series(
    points: Sequence[tuple[int, float | None, float | None, float | None]],
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    rate: bool,
    labels: dict[str, str],
    fmt,
) -> str:
    """Per year: the holders as bounds (a band from those the evidence confirms to those who may
    hold), and the cumulative adopters as a line; counts, or shares of the denominator when
    `rate`."""
    left, right, top, bottom = 64, WIDTH - 20, 16, 250
    canvas = Canvas(uid, title, description, language)
    values = [v for p in points for v in p[1:] if v is not None]
    peak = _nice(max(values, default=0) or (0.01 if rate else 1))
    if not rate:
        peak = max(peak, 1)
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + (right - left) * i / n if len(points) > 1 else (left + right) / 2

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / peak

    for k in range(5):
        v = peak * k / 4
        canvas.line(left, y(v), right, y(v))
        canvas.text(left - 6, y(v) + 4, fmt(v), size=11, anchor="end", fill=MUTED)
    step = max(1, math.ceil(len(points) / 16))
    for i, p in enumerate(points):
        if i % step == 0 or i == len(points) - 1:
            canvas.text(x(i), bottom + 16, str(p[0]), size=11, anchor="middle", fill=MUTED)
    canvas.line(left, bottom, right, bottom, INK)
    band = [(i, p[1], p[2]) for i, p in enumerate(points) if p[1] is not None and p[2] is not None]
    if band:
        upper = " ".join(f"{x(i):.1f},{y(hi):.1f}" for i, _, hi in band)
        lower = " ".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _ in reversed(band))
        canvas.add(
            f'<polygon points="{upper} {lower}" fill="{canvas.hatch("#1b6e3a")}" '
            f'fill-opacity="0.55" '
            f'stroke="none"><title>{esc(labels["band"])}</title></polygon>'
        )
        canvas.add(
            f'<polyline points="{" ".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _ in band)}" '
            f'fill="none" '
            f'stroke="#1b6e3a" stroke-width="2.5"/>'
        )
        canvas.add(
            f'<polyline points="{upper}" fill="none" stroke="#1b6e3a" stroke-width="1.5" '
            f'stroke-dasharray="5 3"/>'
        )
    line = [(i, p[3]) for i, p in enumerate(points) if p[3] is not None]
    if line:
        canvas.add(
            f'<polyline points="{" ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in line)}" '
            f'fill="none" '
            f'stroke="#2458a6" stroke-width="2" stroke-dasharray="2 3"/>'
        )
    for i, p in enumerate(points):
        if p[1] is not None:
            canvas.add(
                f'<circle cx="{x(i):.1f}" cy="{y(p[1]):.1f}" r="3" '
                f'fill="#1b6e3a"><title>{esc(p[0])}: '
                f"{esc(fmt(p[1]))}–{esc(fmt(p[2] if p[2] is not None else p[1]))}</title></circle>"
            )
        if p[3] is not None:
            canvas.add(
                f'<rect x="{x(i) - 3:.1f}" y="{y(p[3]) - 3:.1f}" width="6" height="6" '
                f'fill="#2458a6">'
                f"<title>{esc(p[0])}: {esc(fmt(p[3]))}</title></rect>"
            )
    legend = Legend()
    legend.add("#1b6e3a", labels["confirmed"])
    legend.items.append((canvas.hatch("#1b6e3a"), labels["band"], None))
    legend.add("#2458a6", labels["cumulative"])
    return canvas.svg(legend.draw(canvas, bottom + 44) + 8)


def ranges(
    rows: Sequence[tuple[str, float | None, float | None, str]],
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    peak: float | None,
    fmt,
    labels: dict[str, str],
    label_width: int = 190,
) -> str:
    """One bar per group: solid to the lower bound, hatched to the upper; `text` at the end of each
    row."""
    left, right, top, row_h = label_width, WIDTH - 150, 8, 26
    canvas = Canvas(uid, title, description, language)
    top_value = peak or _nice(max((r[2] or 0 for r in rows), default=0) or 1)
    for i, (label, low, high, text) in enumerate(rows):
        y = top + i * row_h
        canvas.text(8, y + 17, label if text_width(label) < label_width - 12 else label[:24] + "…")
        canvas.rect(left, y + 5, right - left, 16, "#f6f8fa", stroke=GRID)
        if low is not None:
            canvas.rect(
                left,
                y + 5,
                (right - left) * low / top_value,
                16,
                "#1b6e3a",
                title=f"{label}: {text}",
            )
        if high is not None and low is not None and high > low:
            canvas.rect(
                left + (right - left) * low / top_value,
                y + 5,
                (right - left) * (high - low) / top_value,
                16,
                canvas.hatch("#1b6e3a"),
                stroke="#1b6e3a",
                title=f"{label}: {text}",
            )
        canvas.text(right + 8, y + 17, text, size=11, fill=INK if low is not None else MUTED)
    bottom = top + row_h * max(len(rows), 1)
    canvas.line(left, bottom + 2, right, bottom + 2, INK)
    canvas.text(left, bottom + 16, fmt(0), size=11, fill=MUTED)
    canvas.text(right, bottom + 16, fmt(top_value), size=11, anchor="end", fill=MUTED)
    legend = Legend()
    legend.add("#1b6e3a", labels["confirmed"])
    legend.items.append((canvas.hatch("#1b6e3a"), labels["band"], None))
    return canvas.svg(legend.draw(canvas, bottom + 40) + 8)


# ---------------------------------------------------------------- funnel, peers, ranking


def funnel(
    stages: Sequence[tuple[str, int]],
    total: int,
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    of_label,
) -> str:
    """A programme's cohort: one bar per milestone, as long as the members who reached it."""
    left, right, top, row_h = 230, WIDTH - 130, 8, 34
    canvas = Canvas(uid, title, description, language)
    for i, (label, reached) in enumerate(stages):
        y = top + i * row_h
        width = (right - left) * (reached / total if total else 0)
        canvas.text(8, y + 21, label)
        canvas.rect(left, y + 6, right - left, 22, "#f6f8fa", stroke=GRID)
        canvas.rect(
            left + (right - left - width) / 2,
            y + 6,
            width,
            22,
            SERIES[i % len(SERIES)],
            title=f"{label}: {of_label(reached, total)}",
        )
        canvas.text(right + 8, y + 21, of_label(reached, total), size=12)
    return canvas.svg(top + row_h * max(len(stages), 1) + 10)


def peer_dots(
    rows: Sequence[tuple[str, bool, int, int, int, str]],
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    labels: dict[str, str],
) -> str:
    """Per model, the municipality and its peers as dots: the municipality a square, holders filled,
    peers no evidence reaches on the day grey, the others hollow. rows: (model, target holds, peers
    holding, peers unknown, peers, summary)."""
    left, top, row_h, gap = 150, 8, 34, 22
    canvas = Canvas(uid, title, description, language)
    for i, (model, target_holds, holding, unknown, peers, summary) in enumerate(rows):
        y = top + i * row_h + 17
        canvas.text(8, y + 4, model)
        fill = "#1b6e3a" if target_holds else "#fff"
        canvas.rect(left - 7, y - 7, 14, 14, fill, stroke=INK, title=summary)
        kinds = (
            ["hold"] * holding + ["unknown"] * unknown + ["not"] * max(peers - holding - unknown, 0)
        )
        for j, kind in enumerate(kinds):
            cx = left + gap * (j + 1.2)
            if cx > WIDTH - 12:
                break
            colour = {"hold": "#1b6e3a", "unknown": "#8c959f", "not": "#fff"}[kind]
            canvas.add(
                f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="7" fill="{colour}" stroke="{INK}">'
                f"<title>{esc(labels[kind])}</title></circle>"
            )
    bottom = top + row_h * max(len(rows), 1)
    legend = Legend()
    legend.add("#fff", labels["target"])
    legend.add("#1b6e3a", labels["hold"])
    legend.add("#8c959f", labels["unknown"])
    legend.add("#fff", labels["not"], "2 0")
    return canvas.svg(legend.draw(canvas, bottom + 20) + 8)


def stacked(
    rows: Sequence[tuple[str, list[float], float]],
    components: Sequence[tuple[str, str]],
    *,
    uid: str,
    title: str,
    description: str,
    language: str,
    fmt,
) -> str:
    """A ranking: one bar per municipality, its score as the stacked weighted components (0–100)."""
    left, right, top, row_h = 210, WIDTH - 60, 8, 24
    canvas = Canvas(uid, title, description, language)
    colours = {code: SERIES[i % len(SERIES)] for i, (code, _) in enumerate(components)}
    for i, (label, parts, score) in enumerate(rows):
        y = top + i * row_h
        canvas.text(8, y + 16, label if text_width(label) < left - 16 else label[:30] + "…")
        x: float = left
        for (code, name), value in zip(components, parts, strict=True):
            width = (right - left) * value / 100
            if width > 0:
                canvas.rect(
                    x, y + 4, width, 16, colours[code], title=f"{label}: {name} {fmt(value)}"
                )
                x += width
        canvas.text(x + 6, y + 16, fmt(score), size=11)
    bottom = top + row_h * max(len(rows), 1)
    canvas.line(left, bottom + 2, right, bottom + 2, INK)
    legend = Legend()
    for code, name in components:
        legend.add(colours[code], name)
    return canvas.svg(legend.draw(canvas, bottom + 24) + 8)
