"""Adoption per year or group as bounds: holders the evidence confirms and holders that may hold,
over the roster's denominator; an award scheme's awards counted as awards. `coverage` says why a
rate is missing."""

from __future__ import annotations

import datetime as dt
import re

import asyncpg

from registry.analytics import schemas as s
from registry.dates import parse_partial
from registry.db import fetch_planned, queries
from registry.errors import BadParameter
from registry.i18n import gettext


def parse_countries(raw: str | None) -> list[str] | None:
    if raw is None or raw.strip().lower() in ("", "all"):
        return None
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise BadParameter(
            "country", f"{', '.join(bad)}: use ISO 3166-1 alpha-2 codes, comma-separated, or 'all'"
        )
    return codes


def period_bound(raw: str | None, parameter: str, end: bool) -> dt.date | None:
    if raw is None:
        return None
    try:
        when = parse_partial(raw)
    except ValueError as exc:
        raise BadParameter(parameter, str(exc)) from None
    if when.start is None:
        raise BadParameter(parameter, "give a year, a month or a day")
    return when.end if end else when.start


def _rate(count: int | None, denominator: int, usable: bool) -> float | None:
    return round(count / denominator, 6) if usable and denominator and count is not None else None


async def adoption_stats(
    conn: asyncpg.Connection,
    *,
    model: str,
    lifecycle: str,
    countries: list[str] | None,
    by: str,
    period_from: dt.date | None,
    period_to: dt.date | None,
    as_of: dt.date,
    include_empty: bool,
    hide: str,
    tier: str = "municipality",
) -> s.AdoptionStats:
    """`tier`: which holders are counted — municipalities (the local governments of the rosters,
    sub-units excluded) unless another tier is asked for (every unit of it; its rate only where a
    roster lists it)."""
    period_to = min(period_to or as_of, as_of)
    if period_from is None:
        first_year = await conn.fetchval(queries.adoption_first_year, model, countries, as_of, tier)
        period_from = dt.date(first_year or as_of.year, 1, 1)
    if period_from > period_to:
        raise BadParameter("from", f"{period_from} is after the end of the period ({period_to})")
    if by == "year":
        if period_to.year - period_from.year > 200:
            raise BadParameter("from", "a year series covers at most 200 years")
        rows = await fetch_planned(
            conn,
            queries.adoption_stats_by_year,
            model,
            countries,
            period_from.year,
            period_to.year,
            as_of,
            hide,
            tier,
        )
    else:
        rows = await fetch_planned(
            conn,
            queries.adoption_stats_by_group,
            model,
            countries,
            period_from,
            period_to,
            as_of,
            by,
            include_empty,
            hide,
            tier,
        )
    award = lifecycle == "award"
    groups = []
    for r in rows:
        roster_complete = bool(r["roster_complete"])
        complete = roster_complete and r["undated_adopters"] == 0
        d = r["denominator"]
        confirmed = None if award else r["holders_confirmed"]
        possible = None if award else r["holders_possible"]
        region = (
            s.GroupRegion(
                code=r["grp"],
                kind=r["region_kind"],
                name_local=r["region_name_local"],
                name_latin=r["region_name_latin"],
            )
            if by == "region" and r["region_kind"]
            else None
        )
        groups.append(
            s.StatsGroup(
                group=r["grp"],
                country=r["grp"] if by == "country" else None,
                kind=r["grp"] if by == "kind" else None,
                region=region,
                denominator=d,
                holders_confirmed=confirmed,
                holders_possible=possible,
                holding_rate_low=_rate(confirmed, d, complete),
                holding_rate_high=_rate(possible, d, complete),
                first_adoptions=r["first_adoptions"],
                cumulative_adopters=r["cumulative_adopters"],
                adopter_rate=_rate(r["cumulative_adopters"], d, complete),
                awards=r["awards"] if award else None,
                coverage=(
                    "awards_counted"
                    if award and roster_complete
                    else "complete"
                    if complete
                    else "undated_evidence"
                    if roster_complete
                    else "incomplete_roster"
                ),
                incomplete_countries=sorted(r["incomplete_countries"] or []),
                undated_adopters=r["undated_adopters"],
                holding_on=r["holding_on"],
            )
        )
    method = s.Method(
        name="adoption_statistics",
        description=gettext(
            "denominator: local governments on the roster of the group (sub-units such as "
            "Belgrade's city "
            "municipalities excluded). Holding is given as bounds on as_of (by year: on each "
            "year's last day, or on "
            "as_of in its own year): holders_confirmed are those whose adoption the evidence "
            "shows or lets infer "
            "certified, label-valid or self-assessed (docs/status-rules.md); holders_possible "
            "adds those no evidence "
            "reaches on the day after they held it; the holding rate lies between "
            "holding_rate_low and "
            "holding_rate_high. first_adoptions: those whose first dated evidence (its earliest "
            "possible day) falls "
            "in the period or year; cumulative_adopters: first adoption on or before the period's "
            "end. For an award "
            "scheme, awards counts the awards granted, and adoption means a first award. Rates "
            "are given only where "
            "every roster in the group is complete and every adopter's evidence is dated; "
            "otherwise the counts "
            "stand, the rate is null and coverage says why: 'incomplete_roster', or "
            "'undated_evidence' "
            "(undated_adopters have evidence without a date, so they fall in no year)."
        ),
        parameters={
            "model": model,
            "countries": countries or "all",
            "by": by,
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "as_of": as_of.isoformat(),
            "tier": tier,
        },
    )
    return s.AdoptionStats(
        model=model,
        countries=countries,
        by=by,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        method=method,
        groups=groups,
    )


STATS_COLUMNS = [
    "model",
    "by",
    "group",
    "group_label",
    "denominator",
    "holders_confirmed",
    "holders_possible",
    "holding_rate_low",
    "holding_rate_high",
    "first_adoptions",
    "cumulative_adopters",
    "adopter_rate",
    "awards",
    "coverage",
    "incomplete_countries",
    "undated_adopters",
    "holding_on",
    "as_of",
]


def stats_rows(result: s.AdoptionStats) -> list[dict]:
    """The CSV rows of a labelled answer: `group_label` names the group in the reader's language."""
    return [
        {
            "model": result.model,
            "by": result.by,
            "as_of": result.as_of,
            "group_label": g.country_name or g.kind_label or (g.region.label if g.region else None),
            **{k: getattr(g, k) for k in STATS_COLUMNS if hasattr(g, k)},
        }
        for g in result.groups
    ]
