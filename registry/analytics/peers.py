"""Peers of a municipality (nearest on population, area and urbanisation; a population band; or
chosen), and where it stands among them for each model."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from registry.analytics import schemas as s
from registry.analytics.common import id_list, resolve_ids
from registry.db import queries
from registry.errors import BadParameter, NotFound, require_printable
from registry.i18n import (
    country_name,
    display_date,
    display_number,
    display_percent,
    gettext,
    label,
    ngettext,
)

# population bands for `by=band` peers: [lower, upper)
POPULATION_BANDS = (0, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 250_000, 1_000_000)


async def _municipality(conn: asyncpg.Connection, municipality_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(
        queries.municipality_basics, require_printable("municipality", municipality_id).lower()
    )
    if row is None:
        raise NotFound("municipality", municipality_id)
    return row


def population_band(population: int) -> tuple[int, int | None]:
    lower = max(b for b in POPULATION_BANDS if b <= population)
    higher = [b for b in POPULATION_BANDS if b > population]
    return lower, (higher[0] if higher else None)


async def find_peers(
    conn: asyncpg.Connection, municipality_id: str, by: str, k: int, scope: str, ids: str | None
) -> s.Peers:
    result = None
    if by == "knn" and not ids:
        # the usual request: the municipality and its indexed search in one round trip
        target = await conn.fetchrow(
            queries.peers_knn_of,
            require_printable("municipality", municipality_id).lower(),
            scope == "country",
            k,
        )
        if target is None:
            raise NotFound("municipality", municipality_id)
        result = target["result"]
    else:
        target = await _municipality(conn, municipality_id)
    if by != "custom" and ids:
        raise BadParameter("ids", "only used with by=custom")
    if by == "band":
        if target["population"] is None:
            raise BadParameter(
                "by",
                f"{target['id']} has no population on record, so it has no population band; "
                "use by=knn or by=custom",
            )
        lower, upper = population_band(target["population"])
        result = await conn.fetchval(queries.peers_band, target["id"], lower, upper)
        description = gettext(
            "Same country ({country}) and kind ({kind}), population from {lower} to {upper}. "
            "Distance is "
            "|ln(peer population / population)|. Units of the same country and kind without a "
            "population are "
            "listed under without_data."
        ).format(
            country=country_name(target["country_code"]),
            kind=label("municipality_kind", target["kind"]),
            lower=display_number(lower),
            upper=gettext("any size")
            if upper is None
            else gettext("below {n}").format(n=display_number(upper)),
        )
        method = s.Method(
            name="band",
            description=description,
            parameters={
                "by": "band",
                "population_from": lower,
                "population_below": upper,
                "bands": list(POPULATION_BANDS),
            },
        )
    else:
        custom = None
        if by == "custom":
            if not ids:
                raise BadParameter("ids", "by=custom needs ids=… (comma-separated)")
            custom = await resolve_ids(conn, id_list(ids, "ids", 1, 200), "ids")
            if target["id"] in custom:
                raise BadParameter("ids", f"{target['id']} cannot be its own peer")
            k = len(custom)
        country = target["country_code"] if (scope == "country" and by == "knn") else None
        # the indexed search (by=knn, above) declines when population is not a feature it can use
        if result is None:
            result = await conn.fetchval(queries.peers_knn_scan, target["id"], country, k, custom)
        used = [f for f, spec in result["features"].items() if spec["used"]]
        where = (
            gettext("the municipalities given")
            if custom
            else gettext("the local governments of {country}").format(country=country_name(country))
            if country
            else gettext("the local governments of every country")
        )
        feature_names = {
            "population": gettext("population"),
            "area": gettext("area"),
            "urbanisation": gettext("urbanisation"),
        }
        # TRANSLATORS: {k} is the number of peers asked for (1 to 200); the form agrees with it.
        description = ngettext(
            "The {k} nearest of {where} on {features}. Features: ln(population), ln(area in km²) "
            "and the degree "
            "of urbanisation (1 city, 2 town, 3 rural), each divided by its standard deviation "
            "among the "
            "candidates and the municipality itself. Distance is the Euclidean distance; "
            "contributions are each "
            "feature's squared standardised difference (they sum to distance²). A feature the "
            "municipality "
            "lacks, or that does not vary, is not used; candidates lacking a used feature are "
            "listed under "
            "without_data.",
            "The {k} nearest of {where} on {features}. Features: ln(population), ln(area in km²) "
            "and the degree "
            "of urbanisation (1 city, 2 town, 3 rural), each divided by its standard deviation "
            "among the "
            "candidates and the municipality itself. Distance is the Euclidean distance; "
            "contributions are each "
            "feature's squared standardised difference (they sum to distance²). A feature the "
            "municipality "
            "lacks, or that does not vary, is not used; candidates lacking a used feature are "
            "listed under "
            "without_data.",
            k,
        ).format(
            k=k,
            where=where,
            features=", ".join(feature_names[f] for f in used) or gettext("no feature"),
        )
        method = s.Method(
            name=by,
            description=description,
            parameters={
                "by": by,
                "k": k,
                "scope": "custom" if custom else scope,
                "features": result["features"],
            },
        )
    result["peers"] = [
        p | {"contributions": {k2: float(v) for k2, v in p["contributions"].items()}}
        for p in result["peers"]
    ]
    return msgspec.convert({"municipality_id": target["id"], "method": method, **result}, s.Peers)


async def benchmark(
    conn: asyncpg.Connection,
    municipality_id: str,
    by: str,
    k: int,
    scope: str,
    ids: str | None,
    as_of: dt.date,
    hide: str,
) -> s.Benchmark:
    peers = await find_peers(conn, municipality_id, by, k, scope, ids)
    peer_ids = [p.id for p in peers.peers]
    rows = await conn.fetch(queries.benchmark_models, peers.municipality_id, peer_ids, as_of, hide)
    models = []
    for r in rows:
        n = r["peers"]
        holders = r["peers_holding"] + (1 if r["target_holding"] else 0)
        earlier = None
        if r["target_adopted"] and n:
            earlier = round((n - r["peers_adopted"] + r["peers_adopted_later"]) / n, 4)
        model_name = label("model", r["model"]) or r["model_name"]
        day = display_date(as_of.isoformat())
        summary = (
            gettext("holds {model} on {date}")
            if r["target_holding"]
            else gettext("no evidence reaches {date} for {model}")
            if r["target_status"] == "unknown"
            else gettext("does not hold {model} on {date}")
        ).format(model=model_name, date=day)
        # TRANSLATORS: the form agrees with {peers}, the number of peers; {holders} of {size} is a
        # plain count.
        summary += "; " + ngettext(
            "{holders} of {size} (itself and {peers} peer) hold it",
            "{holders} of {size} (itself and {peers} peers) hold it",
            n,
        ).format(holders=holders, size=n + 1, peers=n)
        if r["peers_unknown"]:
            summary += "; " + ngettext(
                "for {count} peer no evidence reaches the day",
                "for {count} peers no evidence reaches the day",
                r["peers_unknown"],
            ).format(count=r["peers_unknown"])
        if earlier is not None:
            summary += "; " + gettext("adopted it earlier than {share} of its peers").format(
                share=display_percent(earlier)
            )
        models.append(
            s.ModelBenchmark(
                model=r["model"],
                model_name=r["model_name"],
                peers=n,
                peers_holding=r["peers_holding"],
                peers_holding_share=round(r["peers_holding"] / n, 4) if n else None,
                peers_unknown=r["peers_unknown"],
                peers_adopted=r["peers_adopted"],
                peers_first_adoption=r["peers_first_adoption"],
                peers_median_adoption=r["peers_median_adoption"],
                target_status=r["target_status"],
                target_basis=r["target_basis"],
                target_holding=bool(r["target_holding"]),
                target_first_adoption=r["target_first_adoption"],
                holders_in_group=holders,
                group_size=n + 1,
                adopted_earlier_than_share=earlier,
                summary=summary,
            )
        )
    method = s.Method(
        name="benchmark",
        description=gettext(
            "Peers are chosen as in /peers with the same parameters. For each model the "
            "municipality or a peer "
            "adopted: peers the evidence confirms hold it on as_of (certified, label valid or "
            "self-assessed, "
            "evidenced or inferred), peers no evidence reaches on as_of after they held it "
            "(peers_unknown, not "
            "counted as holding nor as not holding), when peers first adopted it (earliest dated "
            "evidence, at its "
            "precision; the median too), and the share of peers that adopted it later than the "
            "municipality "
            "or not at all (adopted_earlier_than_share)."
        ),
        parameters={"peers": peers.method.parameters, "as_of": as_of.isoformat()},
    )
    named = [
        s.BenchmarkPeer(
            id=p.id, name_local=p.name_local, name_latin=p.name_latin, country=p.country
        )
        for p in peers.peers
    ]
    return s.Benchmark(
        municipality_id=peers.municipality_id,
        as_of=as_of,
        method=method,
        peer_ids=peer_ids,
        peers=named,
        models=models,
    )
