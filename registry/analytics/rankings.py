"""A transparent ranking: four components from what the evidence confirms within a stated window,
their weights, and the models whose status on the day no evidence reaches, shown rather than scored
as absence."""

from __future__ import annotations

import datetime as dt
import math

import asyncpg

from registry.analytics import schemas as s
from registry.db import fetch_planned, queries
from registry.errors import BadParameter
from registry.i18n import gettext, label

RANKING_VERSION = "registry-ranking/2.0"
COMPONENTS = ("breadth", "continuity", "recognition", "engagement")
DEFAULT_WEIGHTS = {"breadth": 0.4, "continuity": 0.3, "recognition": 0.15, "engagement": 0.15}
DEFAULT_WINDOW_YEARS = 10


def parse_weights(raw: str | None) -> dict[str, float]:
    """'breadth:2,continuity:1' -> weights; components not named weigh 0. None -> the defaults."""
    if raw is None:
        return dict(DEFAULT_WEIGHTS)
    weights = dict.fromkeys(COMPONENTS, 0.0)
    for part in raw.split(","):
        name, sep, value = part.partition(":")
        name = name.strip()
        if name not in weights or not sep:
            raise BadParameter(
                "weights",
                f"{part!r}: write component:weight with components {', '.join(COMPONENTS)}",
            )
        try:
            weight = float(value)
        except ValueError:
            raise BadParameter("weights", f"{part!r}: the weight is not a number") from None
        if not math.isfinite(weight) or weight < 0:
            raise BadParameter("weights", f"{part!r}: weights are finite and not negative")
        weights[name] = weight
    if sum(weights.values()) <= 0:
        raise BadParameter("weights", "at least one weight must be above 0")
    return weights


async def rankings(
    conn: asyncpg.Connection,
    *,
    country: str | None,
    model: str | None,
    kind: str | None,
    population_min: int | None,
    population_max: int | None,
    as_of: dt.date,
    window_years: int,
    weights: dict[str, float],
    limit: int,
    offset: int,
    hide: str,
    tier: str = "municipality",
) -> s.Rankings:
    """`tier`: municipalities (the local governments rates count) unless another tier is asked
    for."""
    if (
        population_min is not None
        and population_max is not None
        and population_min > population_max
    ):
        raise BadParameter("population_min", "is above population_max")
    rows = await fetch_planned(
        conn,
        queries.rankings,
        country,
        model,
        kind,
        population_min,
        population_max,
        as_of,
        window_years,
        weights["breadth"],
        weights["continuity"],
        weights["recognition"],
        weights["engagement"],
        limit,
        offset,
        hide,
        tier,
    )
    if rows:
        ranked_total, unranked = rows[0]["ranked_total"], rows[0]["unranked_without_records"]
    else:  # past the last page, or nothing ranked: still say how large the scope is
        ranked_total = 0 if offset == 0 else offset
        unranked = (
            await conn.fetchval(
                queries.rankings_scope_size,
                country,
                model,
                kind,
                population_min,
                population_max,
                tier,
            )
            - ranked_total
        )
    items = [
        s.RankedMunicipality(
            rank=r["rank"],
            id=r["id"],
            name_local=r["name_local"],
            name_latin=r["name_latin"],
            country=r["country"],
            kind=r["kind"],
            population=r["population"],
            score=float(r["score"]),
            components={c: float(r[c]) for c in COMPONENTS},
            scaled={c: float(r[f"{c}_scaled"]) for c in COMPONENTS},
            unknown=list(r["unknown"]),
        )
        for r in rows
    ]
    method = s.Method(
        name="ranking",
        version=RANKING_VERSION,
        description=gettext(
            "score = 100 × Σ(weight × scaled component) / Σ weights. The components count what "
            "the evidence "
            "confirms (evidenced or inferred, docs/status-rules.md) in the window of window_years "
            "up to as_of: "
            "breadth = models held on some day of the window (certified, label valid or "
            "self-assessed); continuity "
            "= years of the longest continuous certification confirmed in the window, to its last "
            "confirmed day or "
            "as_of; recognition = awards and labels in the window; engagement = self-assessments "
            "and external "
            "feedback in the window. Each component is scaled to 0–1 by dividing by its largest "
            "value among the "
            "ranked municipalities. Ties share a rank (competition ranking 1, 2, 2, 4), then "
            "order by id. A model "
            "whose status on as_of no evidence reaches is listed under unknown, and it is not "
            "scored as absent: what the evidence confirms of it in the window still counts in the "
            "components. Municipalities "
            "without any adoption or award are not ranked (unranked_without_records)."
        ),
        parameters={
            "weights": weights,
            "window_years": window_years,
            "country": country,
            "model": model,
            "kind": kind,
            "population_min": population_min,
            "population_max": population_max,
            "tier": tier,
        },
    )
    components = [
        s.Component(code=c, label=label("component", c) or c, weight=weights[c]) for c in COMPONENTS
    ]
    return s.Rankings(
        as_of=as_of,
        method=method,
        components=components,
        ranked_total=ranked_total,
        unranked_without_records=unranked,
        items=items,
    )


RANKING_COLUMNS = [
    "method_version",
    "as_of",
    "rank",
    "id",
    "name_local",
    "country",
    "kind",
    "population",
    "score",
    *COMPONENTS,
    *(f"{c}_scaled" for c in COMPONENTS),
    "unknown",
]


def ranking_rows(result: s.Rankings) -> list[dict]:
    return [
        {
            "method_version": result.method.version,
            "as_of": result.as_of,
            "rank": i.rank,
            "id": i.id,
            "name_local": i.name_local,
            "country": i.country,
            "kind": i.kind,
            "population": i.population,
            "score": i.score,
            **i.components,
            **{f"{k}_scaled": v for k, v in i.scaled.items()},
            "unknown": i.unknown,
        }
        for i in result.items
    ]
