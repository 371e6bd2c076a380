"""The charts of the pages, from the answers they show: each a Figure with its SVG, its caption and
its stable addresses (registry/web/embed.py serves them alone, as SVG and as a small HTML page)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from litestar import Request

from registry.analytics import schemas as s
from registry.dates import parse_partial
from registry.i18n import current, display_date, gettext, label
from registry.labels import LABELS
from registry.places.schemas import Municipality
from registry.web import charts
from registry.web.render import CARRIED, fmt_number, fmt_percent, model_short
from registry.web.repo import Period


@dataclass
class Figure:
    uid: str
    svg: str
    caption: str
    svg_url: str
    html_url: str
    snippet: str


def figure(request: Request, uid: str, svg: str, caption: str, path: str, params: dict) -> Figure:
    """A chart with its addresses: `path`.svg and `path`.html with the page's parameters and
    language."""
    carried = {k: v for k in CARRIED if (v := request.query_params.get(k))}
    query = urlencode(
        {
            **{k: v for k, v in params.items() if v not in (None, "")},
            "lang": current().tag,
            **carried,
        }
    )
    base = str(request.base_url).rstrip("/")
    svg_url, html_url = f"{path}.svg?{query}", f"{path}.html?{query}"
    found = re.search(r'height="([0-9]+)"', svg)
    height = found.group(1) if found else "400"
    snippet = (
        f'<iframe src="{base}{html_url}" title="{caption}" width="820" '
        f'height="{int(float(height)) + 120}" '
        f'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )
    return Figure(uid, svg, caption, svg_url, html_url, snippet.replace("\n", " "))


def status_words() -> tuple[dict[str, str], dict[str, str]]:
    statuses = {code: label("status", code) or code for code in LABELS["status"]}
    statuses["_event"] = gettext("Dated event")
    bases = {code: label("basis", code) or code for code in LABELS["basis"]}
    return statuses, bases


def _day(text: str) -> dt.date | None:
    """Where a dated event sits on a timeline: the middle of the days its date can mean."""
    try:
        when = parse_partial(text)
    except ValueError:
        return None
    if when.start is None or when.end is None:
        return None
    return when.start + (when.end - when.start) / 2


def adoption_rows(
    profile: Municipality, spans: dict[tuple[str, str, int], list[Period]], model: str | None = None
) -> list[charts.TimelineRow]:
    rows = []
    for a in profile.adoptions:
        if model and a.model != model:
            continue
        events: list[tuple[dt.date, str, str | None]] = []
        for e in a.events:
            day = _day(e.date) if e.date else None
            if day is not None:
                events.append(
                    (
                        day,
                        f"{e.type_label or e.type} — {e.date_display or e.date}",
                        f"#event-{e.id}",
                    )
                )
        name = model_short(a.model) + (f" ({a.scope})" if a.scope else "")
        rows.append(charts.TimelineRow(name, spans.get((profile.id, a.model, a.id), []), events))
    return rows


def timeline_figure(
    request: Request,
    profile: Municipality,
    spans: dict,
    as_of: dt.date,
    *,
    model: str | None = None,
    links: bool = False,
) -> Figure:
    statuses, bases = status_words()
    rows = adoption_rows(profile, spans, model)
    title = gettext("{name}: adoptions over the years").format(name=profile.name)
    description = gettext(
        "One bar per adoption: its status in each period, solid where the evidence shows it, "
        "hatched where it is inferred, a dashed outline where no evidence reaches; diamonds "
        "mark dated events. The same periods are listed in the table below the chart."
    )
    svg = charts.timeline(
        rows,
        uid=f"tl-{profile.id}",
        title=title,
        description=description,
        language=current().tag,
        as_of=as_of,
        as_of_label=display_date(as_of.isoformat()) or "",
        status_labels=statuses,
        basis_labels=bases,
        links=links,
    )
    return figure(
        request,
        f"tl-{profile.id}",
        svg,
        title,
        f"/embed/municipalities/{profile.id}/timeline",
        {"model": model, "as_of": request.query_params.get("as_of")},
    )


def compare_figure(
    request: Request,
    comparison: s.Comparison,
    spans: dict,
    model: str,
    as_of: dt.date,
    years: tuple[int, int] | None = None,
) -> Figure:
    statuses, bases = status_words()
    rows = []
    for c in comparison.municipalities:
        periods = [
            p
            for (mid, code, _), found in spans.items()
            if mid == c.id and code == model
            for p in found
        ]
        rows.append(charts.TimelineRow(c.name, periods, href=f"/municipalities/{c.id}"))
    title = gettext("{model}: the municipalities compared over the years").format(
        model=model_short(model)
    )
    description = gettext(
        "One bar per municipality on a common axis: the status in each period, solid where the "
        "evidence shows it, hatched where it is inferred, a dashed outline where no evidence "
        "reaches. The table above gives each municipality's status on the day."
    )
    uid = f"cmp-{model}"
    svg = charts.timeline(
        rows,
        uid=uid,
        title=title,
        description=description,
        language=current().tag,
        as_of=as_of,
        as_of_label=display_date(as_of.isoformat()) or "",
        status_labels=statuses,
        basis_labels=bases,
        years=years,
        links=False,
    )
    ids = ",".join(c.id for c in comparison.municipalities)
    return figure(
        request,
        uid,
        svg,
        title,
        "/embed/compare/timeline",
        {"ids": ids, "model": model, "as_of": request.query_params.get("as_of")},
    )


def benchmark_figure(request: Request, profile_id: str, name: str, bench: s.Benchmark) -> Figure:
    rows = [
        (
            model_short(m.model),
            m.target_holding,
            m.peers_holding,
            m.peers_unknown,
            m.peers,
            m.summary,
        )
        for m in bench.models
    ]
    title = gettext("{name} among its peers").format(name=name)
    description = gettext(
        "For each model: the municipality (a square) and each of its peers (a circle); filled "
        "where the evidence confirms it holds the model on the day, grey where no evidence "
        "reaches the day, hollow where it does not hold it."
    )
    words = {
        "target": name,
        "hold": gettext("holds it"),
        "unknown": gettext("no evidence reaches the day"),
        "not": gettext("does not hold it"),
    }
    svg = charts.peer_dots(
        rows,
        uid=f"bm-{profile_id}",
        title=title,
        description=description,
        language=current().tag,
        labels=words,
    )
    return figure(
        request,
        f"bm-{profile_id}",
        svg,
        title,
        f"/embed/municipalities/{profile_id}/benchmark",
        {"as_of": request.query_params.get("as_of")},
    )


def stats_words() -> dict[str, str]:
    return {
        "confirmed": gettext("Holders the evidence confirms"),
        "band": gettext("Up to those who may hold it (no evidence reaches the day)"),
        "cumulative": gettext("Adopters so far (first adoption on or before)"),
    }


def stats_figure(request: Request, stats: s.AdoptionStats, scope_name: str, params: dict) -> Figure:
    rate = bool(stats.groups) and all(g.holding_rate_low is not None for g in stats.groups)
    model = model_short(stats.model)
    if rate:
        points = [
            (int(g.group), g.holding_rate_low, g.holding_rate_high, g.adopter_rate)
            for g in stats.groups
        ]
        fmt = fmt_percent
        title = gettext(
            "{model} in {scope}: share of local governments holding it, by year"
        ).format(model=model, scope=scope_name)
    else:
        points = [
            (int(g.group), g.holders_confirmed, g.holders_possible, g.cumulative_adopters)
            for g in stats.groups
        ]
        fmt = fmt_number
        title = gettext("{model} in {scope}: local governments holding it, by year").format(
            model=model, scope=scope_name
        )
    description = gettext(
        "Per year: a solid line for the holders the evidence confirms, a hatched band up to "
        "those who may hold it, and a dotted line for the adopters so far. The table below "
        "gives every number with its denominator."
    )
    uid = f"st-{stats.model}"
    svg = charts.series(
        points,
        uid=uid,
        title=title,
        description=description,
        language=current().tag,
        rate=rate,
        labels=stats_words(),
        fmt=fmt,
    )
    sizes = sorted({g.denominator for g in stats.groups})
    # the roster the counts are out of, under the chart (a range when it changed over the years)
    if sizes:
        span = (
            fmt_number(sizes[0])
            if len(sizes) == 1
            else f"{fmt_number(sizes[0])}–{fmt_number(sizes[-1])}"
        )
        title += f" ({gettext('Denominator')}: {span})"
    return figure(request, uid, svg, title, "/embed/statistics/adoption", params)


def groups_figure(
    request: Request, stats: s.AdoptionStats, names: dict[str, str], title: str, params: dict
) -> Figure:
    """Groups (regions or countries) side by side: their holding rates as intervals where the
    rosters allow a rate, else their holder counts."""
    rate = all(g.holding_rate_low is not None for g in stats.groups)
    rows = []
    for g in stats.groups:
        if rate:
            low, high = g.holding_rate_low, g.holding_rate_high
            text = fmt_percent(low) if low == high else f"{fmt_percent(low)}–{fmt_percent(high)}"
        else:
            low, high = g.holders_confirmed, g.holders_possible
            text = f"{fmt_number(low)}–{fmt_number(high)} / {fmt_number(g.denominator)}"
        rows.append((names.get(g.group, g.group), low, high, text))
    description = gettext(
        "One bar per group: solid up to the holders the evidence confirms, hatched up to those "
        "who may hold it. The table below gives the counts, the denominators and the coverage."
    )
    uid = f"gr-{stats.by}-{stats.model}"
    svg = charts.ranges(
        rows,
        uid=uid,
        title=title,
        description=description,
        language=current().tag,
        peak=None,
        fmt=fmt_percent if rate else fmt_number,
        labels=stats_words(),
    )
    return figure(request, uid, svg, title, "/embed/statistics/adoption", params)


def funnel_figure(request: Request, progress: s.ProgrammeProgress, name: str) -> Figure:
    stages = [(f.stage_label or f.stage, f.reached) for f in progress.funnel]
    title = gettext("{programme}: how far the members have come").format(programme=name)
    description = gettext(
        "One bar per milestone, as long as the number of members who have reached it. The table "
        "below lists who is at which milestone since when."
    )
    uid = f"fn-{progress.programme_id}"
    svg = charts.funnel(
        stages,
        progress.enrolled,
        uid=uid,
        title=title,
        description=description,
        language=current().tag,
        of_label=lambda n, total: gettext("{n} of {total}").format(
            n=fmt_number(n), total=fmt_number(total)
        ),
    )
    return figure(
        request,
        uid,
        svg,
        title,
        f"/embed/programmes/{progress.programme_id}/funnel",
        {"as_of": request.query_params.get("as_of")},
    )


def ranking_figure(request: Request, ranking: s.Rankings, params: dict, top: int = 20) -> Figure:
    weights = {c.code: c.weight for c in ranking.components}
    total = sum(weights.values()) or 1
    components = [(c.code, c.label) for c in ranking.components]
    rows = [
        (
            f"{r.rank}. {r.name}",
            [100 * weights[code] * r.scaled[code] / total for code, _ in components],
            r.score,
        )
        for r in ranking.items[:top]
    ]
    title = gettext("Ranking: the scores and what they are made of")
    description = gettext(
        "One bar per municipality, as long as its score (0–100), divided into the weighted "
        "components. The table below gives every component."
    )
    svg = charts.stacked(
        rows,
        components,
        uid="rk",
        title=title,
        description=description,
        language=current().tag,
        fmt=lambda v: fmt_number(round(v, 1)),
    )
    return figure(request, "rk", svg, title, "/embed/rankings", params)
