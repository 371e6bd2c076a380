"""Every chart of the pages at a stable address of its own: `….svg` is the chart alone (for an
<img>), `….html` a small page with the chart and its table (for an <iframe>), in the language asked
for (`?lang=`, Accept-Language) and the script (`?script=`). A municipality can show its own
timeline or its position among its peers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from registry.analytics import rankings as ranking
from registry.codes import model_code
from registry.dates import as_of_day
from registry.errors import BadParameter
from registry.http import Answers, Conn
from registry.i18n import country_name, gettext, label
from registry.labelling import labelled
from registry.places.repo import get_country
from registry.web import figures
from registry.web.analysis import parse_weights, rankings_data, statistics_data
from registry.web.cohorts import milestone_since, programme_data
from registry.web.compare import chosen_ids, comparison_data
from registry.web.places import municipality_data
from registry.web.render import Text, fmt_number, fmt_percent, model_short, page

AsOf = Annotated[dt.date | None, QueryParameter(description="The day the chart shows")]


def answer(
    request: Request, fig: figures.Figure, page_url: str, columns: list[str], rows: list[list]
) -> Response:
    """The chart alone as SVG, or (….html) a small page holding it and its table."""
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"}
    if request.url.path.endswith(".svg"):
        return Response(fig.svg, media_type="image/svg+xml", headers=headers)
    return page(
        request,
        "embed.html",
        None,
        headers=headers,
        fig=fig,
        page_url=page_url,
        columns=columns,
        rows=rows,
    )


class EmbedPages(Controller):
    path = "/embed"
    include_in_schema = False

    @get(
        [
            "/municipalities/{municipality_id:str}/timeline.svg",
            "/municipalities/{municipality_id:str}/timeline.html",
        ],
        name="embed-timeline",
    )
    async def timeline(
        self,
        request: Request,
        db: Conn,
        municipality_id: FromPath[str],
        as_of: AsOf = None,
        model: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        profile, spans, _bench = await municipality_data(
            db, request, municipality_id, day, benchmark=False
        )
        code = model_code(model) if model else None
        if code and all(a.model != code for a in profile.adoptions):
            raise BadParameter(
                "model",
                gettext("{name} has no adoption of {model}").format(
                    name=profile.name, model=repr(model)
                ),
            )
        fig = figures.timeline_figure(request, profile, spans, day, model=code, links=False)
        rows = [
            [
                model_short(a.model),
                "" if p.open_start else p.start.isoformat(),
                "" if p.open_end else p.end.isoformat(),
                label("status", p.status) or p.status,
                label("basis", p.basis) or p.basis,
            ]
            for a in profile.adoptions
            if not code or a.model == code
            for p in spans.get((profile.id, a.model, a.id), [])
            if p.reason != "no_evidence_yet"
        ]
        return answer(
            request,
            fig,
            f"/municipalities/{profile.id}",
            [gettext("Model"), gettext("From"), gettext("To"), gettext("Status"), gettext("Basis")],
            rows,
        )

    @get(
        [
            "/municipalities/{municipality_id:str}/benchmark.svg",
            "/municipalities/{municipality_id:str}/benchmark.html",
        ],
        name="embed-benchmark",
    )
    async def benchmark(
        self, request: Request, db: Conn, municipality_id: FromPath[str], as_of: AsOf = None
    ) -> Response:
        profile, _spans, bench = await municipality_data(
            db, request, municipality_id, as_of_day(as_of)
        )
        if bench is None:
            raise BadParameter(
                "municipality",
                gettext("no peers can be chosen for {name}").format(name=profile.name),
            )
        fig = figures.benchmark_figure(request, profile.id, profile.name, bench)
        rows = [
            [model_short(m.model), f"{m.holders_in_group} / {m.group_size}", m.summary]
            for m in bench.models
        ]
        return answer(
            request,
            fig,
            f"/municipalities/{profile.id}",
            [
                gettext("Model"),
                gettext("Holders among it and its peers"),
                gettext("Where it stands"),
            ],
            rows,
        )

    @get(["/compare/timeline.svg", "/compare/timeline.html"], name="embed-compare")
    async def compare(
        self,
        request: Request,
        db: Conn,
        ids: Annotated[str, QueryParameter(max_length=4000)],
        as_of: AsOf = None,
        model: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        result, spans, years = await comparison_data(db, request, chosen_ids(ids, None), day)
        code = model_code(model) if model else (result.models[0] if result.models else None)
        if code is None or code not in result.models:
            raise BadParameter(
                "model", gettext("none of them has adopted {model}").format(model=repr(model))
            )
        fig = figures.compare_figure(request, result, spans, code, day, years)
        rows = [
            [
                c.name,
                *[
                    (x.status_label or x.status, x.basis_label or x.basis)
                    for x in c.models
                    if x.model == code
                ][0],
            ]
            if any(x.model == code for x in c.models)
            else [c.name, "—", ""]
            for c in result.municipalities
        ]
        return answer(
            request,
            fig,
            f"/compare?ids={','.join(c.id for c in result.municipalities)}",
            [gettext("Municipality"), gettext("Status"), gettext("Basis")],
            rows,
        )

    @get(["/statistics/adoption.svg", "/statistics/adoption.html"], name="embed-statistics")
    async def statistics(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        as_of: AsOf = None,
        model: Text = None,
        country: Text = None,
        by: Annotated[str, QueryParameter(pattern="^(year|region|country)$")] = "year",
    ) -> Response:
        day = as_of_day(as_of)
        code, country, _choices, years, regions, countries = await statistics_data(
            db, answers, request, model, country, day
        )
        if by == "region" and regions is None:
            raise BadParameter("by", gettext("by region needs a country with regions"))
        names = (
            {
                r.code: r.label or r.name_local
                for r in labelled(await get_country(db, country)).regions
            }
            if by == "region"
            else {}
        )
        stats = {"year": years, "region": regions, "country": countries}[by]
        # nothing awaited from here on: the answer may be shared (registry/cache.py)
        labelled(stats)
        params = {
            "model": code,
            "country": country,
            "by": by,
            "as_of": request.query_params.get("as_of"),
        }
        scope = (country_name(country) or country) if country else gettext("every country")
        if by == "year":
            fig = figures.stats_figure(request, stats, scope, params)
        else:
            names = (
                names
                if by == "region"
                else {g.group: country_name(g.group) or g.group for g in stats.groups}
            )
            fig = figures.groups_figure(
                request,
                stats,
                names,
                gettext("{model}: holders on {date}").format(
                    model=model_short(code), date=stats.as_of_display
                ),
                params,
            )
        rows = [
            [
                names.get(g.group, g.group),
                fmt_number(g.holders_confirmed),
                fmt_number(g.holders_possible),
                fmt_percent(g.holding_rate_low),
                fmt_percent(g.holding_rate_high),
                fmt_number(g.denominator),
                g.coverage_label or g.coverage,
            ]
            for g in stats.groups
        ]
        return answer(
            request,
            fig,
            f"/statistics?model={code}&country={country or 'all'}",
            [
                gettext("Group"),
                gettext("Holders the evidence confirms"),
                gettext("Holders at most"),
                gettext("Holding rate from"),
                gettext("Holding rate to"),
                gettext("Denominator"),
                gettext("Coverage"),
            ],
            rows,
        )

    @get(
        ["/programmes/{programme_id:str}/funnel.svg", "/programmes/{programme_id:str}/funnel.html"],
        name="embed-funnel",
    )
    async def funnel(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        programme_id: FromPath[str],
        as_of: AsOf = None,
    ) -> Response:
        programme, progress = await programme_data(
            db, answers, request, programme_id, as_of_day(as_of)
        )
        labelled(programme)
        # nothing awaited from here on: the answer may be shared (registry/cache.py)
        labelled(progress)
        fig = figures.funnel_figure(request, progress, programme.name)
        rows = [
            [m.name, m.stage_label or m.stage, milestone_since(m) or "", m.next_due_display or ""]
            for m in progress.members
        ]
        return answer(
            request,
            fig,
            f"/programmes/{programme_id}",
            [
                gettext("Member"),
                gettext("Furthest milestone"),
                gettext("Since"),
                gettext("Next due"),
            ],
            rows,
        )

    @get(["/rankings.svg", "/rankings.html"], name="embed-rankings")
    async def rankings(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        as_of: AsOf = None,
        country: Text = None,
        model: Text = None,
        kind: Text = None,
        weights: Text = None,
        window_years: Annotated[int, QueryParameter(ge=1, le=50)] = ranking.DEFAULT_WINDOW_YEARS,
    ) -> Response:
        chosen = parse_weights(request, weights)
        result = await rankings_data(
            db,
            answers,
            request,
            country=country,
            model=model,
            kind=kind,
            window_years=window_years,
            weights=chosen,
            day=as_of_day(as_of),
            limit=20,
        )
        # nothing awaited from here on: the answer may be shared (registry/cache.py)
        labelled(result)
        params = {
            "country": country,
            "model": model,
            "kind": kind,
            "window_years": window_years,
            "weights": ",".join(f"{k}:{v:g}" for k, v in chosen.items()),
            "as_of": request.query_params.get("as_of"),
        }
        fig = figures.ranking_figure(request, result, params)
        rows = [[str(i.rank), i.name, fmt_number(round(i.score, 1))] for i in result.items]
        return answer(
            request,
            fig,
            "/rankings",
            [gettext("Rank"), gettext("Municipality"), gettext("Score")],
            rows,
        )
