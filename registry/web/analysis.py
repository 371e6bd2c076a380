"""The statistics page (a country × model view of adoption over the years, by region, and across
countries) and the rankings page (the method in words, weights a reader can change, and the
components behind each score)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from registry.analytics import rankings as ranking
from registry.analytics import schemas as s
from registry.analytics import statistics
from registry.cache import VersionedCache
from registry.codes import check_country, check_model
from registry.dates import as_of_day
from registry.errors import BadParameter
from registry.http import Answers, Conn, sees_private
from registry.i18n import country_name, gettext, label
from registry.labelling import labelled
from registry.labels import LABELS
from registry.places.repo import get_country
from registry.status.store import audience
from registry.web import figures, repo
from registry.web.render import Text, model_short, page

AsOf = Annotated[dt.date | None, QueryParameter(description="The day the answer is computed on")]
DEFAULT_MODEL = "ISO9001"
PAGE_SIZE = 50


async def adoption(
    db: asyncpg.Connection,
    answers: VersionedCache,
    model: str,
    countries: list[str] | None,
    by: str,
    day: dt.date,
    hide: str,
    include_empty: bool = False,
) -> s.AdoptionStats:
    """GET /v1/stats/adoption's answer, reused while the data does not change."""

    async def compute() -> s.AdoptionStats:
        lifecycle = (await answers.get(db, ("web-choices",), lambda: repo.choices(db))).lifecycle(
            model
        )
        return await statistics.adoption_stats(
            db,
            model=model,
            lifecycle=lifecycle or "certification",
            countries=countries,
            by=by,
            period_from=None,
            period_to=None,
            as_of=day,
            include_empty=include_empty,
            hide=hide,
        )

    return await answers.get(
        db, ("web-stats", model, tuple(countries or ()), by, day, include_empty, hide), compute
    )


async def statistics_data(
    db: asyncpg.Connection,
    answers: VersionedCache,
    request: Request,
    model: str | None,
    country: str | None,
    day: dt.date,
):
    """The checked choices and the answers the statistics page shows: by year, by region (a country
    with regions) and by country (every country with a roster)."""
    code = await check_model(db, model or DEFAULT_MODEL)
    country = None if country in (None, "", "all") else await check_country(db, country)
    hide = audience(sees_private(request))
    choices = await answers.get(db, ("web-choices",), lambda: repo.choices(db))
    years = await adoption(db, answers, code, [country] if country else None, "year", day, hide)
    regions = (
        await adoption(db, answers, code, [country], "region", day, hide, include_empty=True)
        if country and choices.has_regions(country)
        else None
    )
    countries = await adoption(db, answers, code, None, "country", day, hide, include_empty=True)
    return code, country, choices, years, regions, countries


def caveats(stats: s.AdoptionStats) -> list[str]:
    """The coverage of a statistics answer in words: why a rate is missing, where."""
    notes = []
    for g in stats.groups:
        if g.coverage in ("complete", "awards_counted"):
            continue
        where = gettext("{group}: {coverage}").format(
            group=g.group, coverage=g.coverage_label or g.coverage
        )
        if g.incomplete_countries:
            where += " — " + gettext("incomplete rosters: {countries}").format(
                countries=", ".join(country_name(c) or c for c in g.incomplete_countries)
            )
        if g.undated_adopters:
            where += " — " + gettext("adopters whose evidence is undated: {n}").format(
                n=g.undated_adopters
            )
        notes.append(where)
    return notes


def parse_weights(request: Request, weights: str | None) -> dict[str, float]:
    """The weights from the form's four fields (or the API's `weights=component:weight,…`)."""
    fields = {c: request.query_params.get(c) for c in ranking.COMPONENTS}
    if weights is not None or not any(v not in (None, "") for v in fields.values()):
        return ranking.parse_weights(weights)
    chosen = {}
    for component, raw in fields.items():
        try:
            value = float(raw) if raw not in (None, "") else 0.0
        except ValueError:
            raise BadParameter(
                component, gettext("{value} is not a number").format(value=repr(raw))
            ) from None
        if not math.isfinite(value) or value < 0:
            raise BadParameter(component, gettext("a weight is a number from 0 up"))
        chosen[component] = value
    if sum(chosen.values()) <= 0:
        raise BadParameter("weights", gettext("at least one weight must be above 0"))
    return chosen


async def rankings_data(
    db: asyncpg.Connection,
    answers: VersionedCache,
    request: Request,
    *,
    country: str | None,
    model: str | None,
    kind: str | None,
    window_years: int,
    weights: dict[str, float],
    day: dt.date,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> s.Rankings:
    if kind is not None and kind not in LABELS["municipality_kind"]:
        raise BadParameter(
            "kind", gettext("unknown kind of local government {kind}").format(kind=repr(kind))
        )
    hide = audience(sees_private(request))

    async def compute() -> s.Rankings:
        return await ranking.rankings(
            db,
            country=await check_country(db, country),
            model=await check_model(db, model),
            kind=kind,
            population_min=None,
            population_max=None,
            as_of=day,
            window_years=window_years,
            weights=weights,
            limit=limit,
            offset=offset,
            hide=hide,
        )

    key = (
        "web-rankings",
        country and country.upper(),
        model,
        kind,
        window_years,
        tuple(sorted(weights.items())),
        day,
        offset,
        limit,
        hide,
    )
    return await answers.get(db, key, compute)


class AnalysisPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/statistics", name="statistics")
    async def statistics_page(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        as_of: AsOf = None,
        model: Text = None,
        country: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        code, country, choices, years, regions, countries = await statistics_data(
            db, answers, request, model, country, day
        )
        names = (
            {
                r.code: r.label or r.name_local
                for r in labelled(await get_country(db, country)).regions
            }
            if regions is not None
            else {}
        )
        # nothing awaited from here to the page: the answers may be shared (registry/cache.py)
        scope = (country_name(country) or country) if country else gettext("every country")
        params = {"model": code, "country": country, "as_of": request.query_params.get("as_of")}
        labelled(years)
        chart = figures.stats_figure(request, years, scope, {**params, "by": "year"})
        region_chart = None
        if regions is not None:
            labelled(regions)
            region_chart = figures.groups_figure(
                request,
                regions,
                names,
                gettext("{model} in {scope}: holders by region on {date}").format(
                    model=model_short(code), scope=scope, date=regions.as_of_display
                ),
                {**params, "by": "region"},
            )
        labelled(countries)
        across = figures.groups_figure(
            request,
            countries,
            {g.group: country_name(g.group) or g.group for g in countries.groups},
            gettext("{model} across countries: holders on {date}").format(
                model=model_short(code), date=countries.as_of_display
            ),
            {"model": code, "by": "country", "as_of": request.query_params.get("as_of")},
        )
        return page(
            request,
            "statistics.html",
            "statistics",
            model=code,
            country=country or "",
            scope=scope,
            choices=choices,
            years=years,
            regions=regions,
            countries=countries,
            chart=chart,
            region_chart=region_chart,
            across=across,
            as_of=day,
            caveats=caveats(years),
            region_caveats=caveats(regions) if regions else [],
            country_caveats=caveats(countries),
            region_names=names,
            model_label=label("model", code) or code,
            country_names={g.group: country_name(g.group) or g.group for g in countries.groups},
        )

    @get("/rankings", name="rankings")
    async def rankings_page(
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
        start: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> Response:
        day = as_of_day(as_of)
        chosen = parse_weights(request, weights)
        result = await rankings_data(
            db,
            answers,
            request,
            country=country or None,
            model=model or None,
            kind=kind or None,
            window_years=window_years,
            weights=chosen,
            day=day,
            offset=start,
        )
        choices = await answers.get(db, ("web-choices",), lambda: repo.choices(db))
        # nothing awaited from here to the page: the answer may be shared (registry/cache.py)
        labelled(result)
        weights_text = ",".join(f"{k}:{v:g}" for k, v in chosen.items())
        params = {
            "country": country or None,
            "model": model or None,
            "kind": kind or None,
            "window_years": window_years,
            "weights": weights_text,
            "as_of": request.query_params.get("as_of"),
        }
        chart = figures.ranking_figure(request, result, params) if result.items else None
        return page(
            request,
            "rankings.html",
            "rankings",
            r=result,
            chart=chart,
            weights=chosen,
            weights_text=weights_text,
            country=(country or "").upper(),
            model=model or "",
            kind=kind or "",
            window_years=window_years,
            start=start,
            page_size=PAGE_SIZE,
            choices=choices,
            as_of=day,
            kinds=list(LABELS["municipality_kind"]),
            params=params,
        )
