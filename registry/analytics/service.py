"""Comparison, peers, benchmark, rankings, statistics, cohort progress and the audit cycle.

The counting, ranking and windowing happen in SQL (sql/queries/analytics.sql); this module checks
parameters, picks the query and says in words how each answer was computed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

import asyncpg
import msgspec
from msgspec import UNSET, UnsetType

from registry.analytics import schemas as s
from registry.dates import NOT_A_DAY, format_partial, parse_partial
from registry.db import queries
from registry.errors import BadParameter, NotFound, require_printable
from registry.i18n import (Labeller, gettext, country_name, decorate, display_date, display_number, display_percent, label,
                           place_name, script_wanted)

RANKING_VERSION = "registry-ranking/1.0"
COMPONENTS = ("breadth", "continuity", "recognition", "engagement")
DEFAULT_WEIGHTS = {"breadth": 0.4, "continuity": 0.3, "recognition": 0.15, "engagement": 0.15}
# population bands for `by=band` peers: [lower, upper)
POPULATION_BANDS = (0, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 250_000, 1_000_000)


# ---------------------------------------------------------------- identifiers


def split_identifier(token: str) -> tuple[str, str]:
    """'teryt:1261011' -> ('teryt', '1261011'); a bare token is a registry id (or an ISO 3166-2 code)."""
    scheme, sep, value = token.strip().partition(":")
    if sep:
        return scheme.lower(), value.strip()
    return "id", token.strip()


async def resolve_ids(conn: asyncpg.Connection, tokens: list[str], parameter: str) -> list[str]:
    """Registry ids for crosswalk tokens, in order; 400 naming every token that resolves to nothing."""
    pairs = [split_identifier(t) for t in tokens]
    for token in tokens:
        require_printable("municipality", token)
    rows = await conn.fetch(queries.resolve_many, [p[0] for p in pairs], [p[1] for p in pairs])
    unknown = [tokens[r["ord"] - 1] for r in rows if r["municipality_id"] is None]
    if unknown:
        raise BadParameter(parameter, f"no municipality for {', '.join(unknown)} "
                                      "(use registry ids such as si-050, or scheme:value such as teryt:1261011)")
    return [r["municipality_id"] for r in rows]


def id_list(raw: str, parameter: str, minimum: int, maximum: int) -> list[str]:
    tokens = [t for t in (x.strip() for x in raw.split(",")) if t]
    if not minimum <= len(tokens) <= maximum:
        raise BadParameter(parameter, f"give {minimum} to {maximum} comma-separated ids, got {len(tokens)}")
    if len(set(tokens)) != len(tokens):
        raise BadParameter(parameter, "an id is repeated")
    return tokens


# ---------------------------------------------------------------- compare


async def compare(conn: asyncpg.Connection, raw_ids: str, as_of: dt.date, labels: Labeller | None = None) -> dict:
    """The comparison as a document of plain values in the fields and order of `Comparison`; the
    municipalities are written from the rows of compare_municipalities by compared_municipalities(). With
    `labels` (i18n.labeller()), the document is written labelled in their language: what decorate() makes of
    it, written in one pass (labelled_municipalities), its municipalities as structs msgspec encodes."""
    tokens = id_list(raw_ids, "ids", 2, 20)
    pairs = [split_identifier(t) for t in tokens]
    rows = None
    if all(scheme == "id" for scheme, _ in pairs) and all(v.isprintable() for _, v in pairs):
        # plain registry ids (the usual case): compared at once; resolved one by one only if some are unknown
        ids = [value.lower() for _, value in pairs]
        if len(set(ids)) == len(ids):
            rows = await conn.fetch(queries.compare_municipalities, ids, as_of)
    if rows is None or len(rows) != len(tokens):
        ids = await resolve_ids(conn, tokens, "ids")
        if len(set(ids)) != len(ids):
            raise BadParameter("ids", "two of the identifiers name the same municipality")
        rows = await conn.fetch(queries.compare_municipalities, ids, as_of)
    municipalities = compared_municipalities(rows, as_of) if labels is None else \
        labelled_municipalities(rows, as_of, labels)
    models = sorted({m[0] for r in rows for m in r["models"]})  # each model's code
    method = msgspec.to_builtins(s.Method(
        name="compare", description=gettext(
            "Each adoption's status is derived on as_of from its events (README, Status rules). "
            "years_continuous counts from the start of the current continuous run while the model is held "
            "(certified, label valid or self-assessed); awards and labels are those dated on or before as_of."),
        parameters={"ids": ids, "as_of": as_of.isoformat()}))
    day = as_of.isoformat()
    if labels is None:
        return {"as_of": day, "method": method, "models": models, "municipalities": municipalities}
    document = {"as_of": day}
    if (shown := labels.date(day)) is not None:
        document["as_of_display"] = shown
    document |= {"method": decorate(method, labels.language), "models": models, "municipalities": municipalities}
    return document


HOLDING = frozenset(("certified", "label_valid", "self_assessed"))  # as is_holding() in SQL (migration 0004)


def years_held(since: dt.date, as_of: dt.date) -> float:
    """Years from `since` to `as_of`, both days counted, to a tenth: PostgreSQL's
    round(((as_of - since + 1) / 365.25)::numeric, 1), which rounds halves away from zero. In integers:
    tenths = days * 40 / 1461, and 1461 being odd, no day count falls on a half."""
    days = (as_of - since).days + 1
    tenths, rest = divmod(abs(days) * 40, 1461)
    tenths += 2 * rest > 1461
    return tenths / 10 if days >= 0 else -tenths / 10


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def compared_municipalities(rows: list[asyncpg.Record], as_of: dt.date) -> list[dict]:
    """ComparedMunicipality items (fields in order, dates as ISO strings) from compare_municipalities rows:
    the document compare_municipalities_reference writes in SQL (tests/test_analytics.py checks they are
    equal, byte for byte once encoded)."""
    out = []
    for r in rows:
        models, granted = [], []
        for (code, name, status, since, precision, edition, inferred, valid_until, last_audit, next_due, overdue,
             first, model_labels) in r["models"]:
            if model_labels:
                granted += model_labels
            holding = status in HOLDING
            models.append({
                "model": code, "model_name": name, "status": status, "holding": holding,
                "since": None if since is None else format_partial(since, since, precision),
                "years_continuous": years_held(since, as_of) if holding and since is not None else None,
                "edition": edition, "edition_inferred": inferred, "valid_until": _date(valid_until),
                "last_audit": _date(last_audit), "next_due": _date(next_due), "overdue": overdue,
                "first_adopted": _date(first)})
        out.append({
            "id": r["id"], "name_local": r["name_local"], "name_latin": r["name_latin"],
            "country": r["country_code"], "kind": r["kind"], "population": r["population"],
            "population_year": r["population_year"],
            "area_km2": _json_number(r["area_km2"]),
            "degurba": r["degurba"], "models": models, **_recognition(r, _in_order(granted))})
    return out


def _json_number(value: float | None) -> float | int | None:
    """A float8 as PostgreSQL writes it in JSON (and the profile and list send it): 12, not 12.0."""
    return int(value) if value is not None and value.is_integer() else value


def _in_order(labels: list[asyncpg.Record]) -> list[asyncpg.Record]:
    """The labels gathered from a compare_municipalities row's models (each model's last field), ordered as
    compare_municipalities_reference orders them: by start (unknown last), then event id."""
    if len(labels) > 1:
        labels.sort(key=lambda label: (label[1] is None, label[1] or dt.date.min, label[6]))
    return labels


def _recognition(r: asyncpg.Record, labels: list[asyncpg.Record]) -> dict[str, list[dict]]:
    """A compare_municipalities row's awards and programme memberships, and the labels of its models (in
    order: _in_order()), as ComparedMunicipality has them."""
    return {
        "awards": [{"scheme": scheme, "year": year, "level": level, "category": category, "source_id": source}
                   for scheme, year, level, category, source in r["awards"]],
        "labels": [{"model": model, "date": format_partial(start, end, precision), "body": body, "source_id": source}
                   for model, start, end, precision, body, source, event in labels],
        "programmes": [{"id": pid, "name": name, "model": model, "joined": format_partial(start, end, precision)}
                       for pid, name, model, start, end, precision in r["programmes"]]}


class _Model(msgspec.Struct):
    """A compared model as labelled_municipalities() writes it: the fields of ComparedModel, each code or date
    followed by what decorate() adds. UNSET is left out, as decorate() leaves out a label it has not got;
    None is written null. A struct is built and encoded in about half the time of the same dict."""

    model: str = ""
    model_label: str | UnsetType = UNSET
    model_name: str | None = None
    status: str | None = None
    status_label: str | UnsetType = UNSET
    holding: bool = False
    since: str | None = None
    since_display: str | UnsetType = UNSET
    years_continuous: float | None = None
    edition: str | None = None
    edition_inferred: bool | None = None
    valid_until: dt.date | None = None
    valid_until_display: str | UnsetType = UNSET
    last_audit: dt.date | None = None
    last_audit_display: str | UnsetType = UNSET
    next_due: dt.date | None = None
    next_due_display: str | UnsetType = UNSET
    overdue: bool | None = None
    first_adopted: dt.date | None = None
    first_adopted_display: str | UnsetType = UNSET


class _Award(msgspec.Struct):
    """A compared municipality's award, labelled as decorate() labels it."""

    scheme: str = ""
    scheme_label: str | UnsetType = UNSET
    year: int | None = None
    level: str | None = None
    level_label: str | UnsetType = UNSET
    category: str | None = None
    source_id: str | None = None


class _Compared(msgspec.Struct):
    """A compared municipality (ComparedMunicipality) labelled as decorate() labels it."""

    id: str = ""
    name_local: str | None = None
    name_latin: str | None = None
    country: str = ""
    country_name: str | None | UnsetType = UNSET
    kind: str = ""
    kind_label: str | UnsetType = UNSET
    population: int | None = None
    population_display: str | UnsetType = UNSET
    population_year: int | None = None
    area_km2: float | int | None = None
    area_km2_display: str | UnsetType = UNSET
    degurba: int | None = None
    models: list[_Model] = []
    awards: list = []
    labels: list = []
    programmes: list = []
    name: str = ""


def labelled_municipalities(rows: list[asyncpg.Record], as_of: dt.date, labels: Labeller) -> list[_Compared]:
    """compared_municipalities() with the labels decorate() adds (`<key>_label`, `<key>_display`,
    `country_name`, `name`), written in one pass instead of written and then copied by the decorator: the
    comparison's largest cost in the API process. Written as structs (_Compared, _Model, _Award), which
    msgspec encodes as decorate()'s objects, key order included: tests/test_i18n.py checks the encoded answer
    is byte for byte decorate()'s of compared_municipalities(), in every language and script."""
    language, script = labels.language, script_wanted()
    # the memo's dicts read directly, its methods called only on a miss (or for a value without a label)
    dates, date, keyed, key_label = labels.dates, labels.date, labels.key_labels, labels.key_label
    days, day = labels.days, labels.day
    out = []
    for r in rows:
        models, granted = [], []
        for (code, name, status, since, precision, edition, inferred, valid_until, last_audit, next_due, overdue,
             first, model_labels) in r["models"]:
            if model_labels:
                granted += model_labels
            holding = status in HOLDING
            if since is None:
                written = since_shown = years = None
            else:
                if precision in NOT_A_DAY:
                    written = format_partial(since, since, precision)
                    since_shown = None if written is None else dates.get(written) or date(written)
                else:  # a day (or a range of one day): format_partial writes it as ISO 8601
                    written, since_shown = days.get(since) or day(since)
                years = years_held(since, as_of) if holding else None
            text = keyed.get(("model", code)) or key_label("model", code)
            model_label = UNSET if text is None else text
            text = keyed.get(("status", status)) or key_label("status", status)
            status_label = UNSET if text is None else text
            # a day as JSON writes it is its isoformat(), as msgspec encodes a date; shown as decorate() shows that
            # (written out four times: as a comprehension, the line took 7.5 % of the API's time under compare's load)
            shown_valid = UNSET if valid_until is None or (
                text := (days.get(valid_until) or day(valid_until))[1]) is None else text
            shown_audit = UNSET if last_audit is None or (
                text := (days.get(last_audit) or day(last_audit))[1]) is None else text
            shown_due = UNSET if next_due is None or (text := (days.get(next_due) or day(next_due))[1]) is None \
                else text
            shown_first = UNSET if first is None or (text := (days.get(first) or day(first))[1]) is None else text
            models.append(_Model(
                code, model_label, name, status, status_label, holding, written,
                UNSET if since_shown is None else since_shown, years, edition, inferred, valid_until, shown_valid,
                last_audit, shown_audit, next_due, shown_due, overdue, first, shown_first))
        name_local, name_latin, country, kind = r["name_local"], r["name_latin"], r["country_code"], r["kind"]
        text = keyed.get(("kind", kind)) or key_label("kind", kind)
        population, area = r["population"], _json_number(r["area_km2"])
        awards = []
        for scheme, year, level, category, source in r["awards"]:
            text_scheme = keyed.get(("scheme", scheme)) or key_label("scheme", scheme)
            text_level = None if level is None else keyed.get(("level", level)) or key_label("level", level)
            awards.append(_Award(scheme, UNSET if text_scheme is None else text_scheme, year, level,
                                 UNSET if text_level is None else text_level, category, source))
        if granted or r["programmes"]:  # rare and short: written as compared_municipalities writes them, decorated
            rare = _recognition(r, _in_order(granted))
            granted, programmes = decorate(rare["labels"], language), decorate(rare["programmes"], language)
        else:
            programmes = []
        out.append(_Compared(
            r["id"], name_local, name_latin, country, labels.country(country) if len(country) == 2 else UNSET,
            kind, UNSET if text is None else text, population,
            UNSET if population is None else display_number(population, language), r["population_year"], area,
            UNSET if area is None else display_number(area, language), r["degurba"], models, awards, granted,
            programmes, place_name(name_local, name_latin, country, script, language)))
    return out


def compare_rows(result: dict) -> list[dict]:
    """One CSV row per municipality and model (a municipality without adoptions gets one empty row)."""
    rows = []
    for c in result["municipalities"]:
        base = {"as_of": result["as_of"], "id": c["id"], "name_local": c["name_local"],
                "name_latin": c["name_latin"], "country": c["country"], "kind": c["kind"],
                "population": c["population"], "awards": len(c["awards"]), "labels": len(c["labels"]),
                "programmes": [p["id"] for p in c["programmes"]]}
        for m in c["models"] or [None]:
            rows.append(base | ({} if m is None else m))
    return rows


COMPARE_COLUMNS = ["as_of", "id", "name_local", "name_latin", "country", "kind", "population", "model",
                   "status", "holding", "since", "years_continuous", "edition", "edition_inferred",
                   "valid_until", "last_audit", "next_due", "overdue", "first_adopted", "awards", "labels",
                   "programmes"]


# ---------------------------------------------------------------- peers


async def _municipality(conn: asyncpg.Connection, municipality_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(queries.municipality_basics, require_printable("municipality", municipality_id).lower())
    if row is None:
        raise NotFound("municipality", municipality_id)
    return row


def population_band(population: int) -> tuple[int, int | None]:
    lower = max(b for b in POPULATION_BANDS if b <= population)
    higher = [b for b in POPULATION_BANDS if b > population]
    return lower, (higher[0] if higher else None)


async def find_peers(conn: asyncpg.Connection, municipality_id: str, by: str, k: int, scope: str,
                     ids: str | None) -> s.Peers:
    result = None
    if by == "knn" and not ids:
        # the usual request: the municipality and its indexed search in one round trip
        target = await conn.fetchrow(queries.peers_knn_of, require_printable("municipality", municipality_id).lower(),
                                     scope == "country", k)
        if target is None:
            raise NotFound("municipality", municipality_id)
        result = target["result"]
    else:
        target = await _municipality(conn, municipality_id)
    if by != "custom" and ids:
        raise BadParameter("ids", "only used with by=custom")
    if by == "band":
        if target["population"] is None:
            raise BadParameter("by", f"{target['id']} has no population on record, so it has no population band; "
                                     "use by=knn or by=custom")
        lower, upper = population_band(target["population"])
        result = await conn.fetchval(queries.peers_band, target["id"], lower, upper)
        description = gettext(
            "Same country ({country}) and kind ({kind}), population from {lower} to {upper}. Distance is "
            "|ln(peer population / population)|. Units of the same country and kind without a population are "
            "listed under without_data.").format(
            country=country_name(target["country_code"]), kind=label("municipality_kind", target["kind"]),
            lower=display_number(lower), upper=gettext("any size") if upper is None else gettext("below {n}").format(
                n=display_number(upper)))
        method = s.Method(name="band", description=description,
            parameters={"by": "band", "population_from": lower, "population_below": upper,
                        "bands": list(POPULATION_BANDS)})
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
        where = (gettext("the municipalities given") if custom else
                 gettext("the local governments of {country}").format(country=country_name(country)) if country
                 else gettext("the local governments of every country"))
        feature_names = {"population": gettext("population"), "area": gettext("area"), "urbanisation": gettext("urbanisation")}
        description = gettext(
            "The {k} nearest of {where} on {features}. Features: ln(population), ln(area in km²) and the degree "
            "of urbanisation (1 city, 2 town, 3 rural), each divided by its standard deviation among the "
            "candidates and the municipality itself. Distance is the Euclidean distance; contributions are each "
            "feature's squared standardised difference (they sum to distance²). A feature the municipality "
            "lacks, or that does not vary, is not used; candidates lacking a used feature are listed under "
            "without_data.").format(k=k, where=where,
                                    features=", ".join(feature_names[f] for f in used) or gettext("no feature"))
        method = s.Method(name=by, description=description,
            parameters={"by": by, "k": k, "scope": "custom" if custom else scope, "features": result["features"]})
    result["peers"] = [p | {"contributions": {k2: float(v) for k2, v in p["contributions"].items()}}
                       for p in result["peers"]]
    return msgspec.convert({"municipality_id": target["id"], "method": method, **result}, s.Peers)


# ---------------------------------------------------------------- benchmark


async def benchmark(conn: asyncpg.Connection, municipality_id: str, by: str, k: int, scope: str,
                    ids: str | None, as_of: dt.date) -> s.Benchmark:
    peers = await find_peers(conn, municipality_id, by, k, scope, ids)
    peer_ids = [p.id for p in peers.peers]
    rows = await conn.fetch(queries.benchmark_models, peers.municipality_id, peer_ids, as_of)
    models = []
    for r in rows:
        n = r["peers"]
        holders = r["peers_holding"] + (1 if r["target_holding"] else 0)
        earlier = None
        if r["target_first_adoption"] is not None and n:
            earlier = round((n - r["peers_adopted"] + r["peers_adopted_later"]) / n, 4)
        model_name = label("model", r["model"]) or r["model_name"]
        summary = (gettext("holds {model} on {date}") if r["target_holding"] else gettext("does not hold {model} on {date}")
                   ).format(model=model_name, date=display_date(as_of.isoformat()))
        summary += "; " + gettext("{holders} of {size} (itself and {peers} peers) hold it").format(
            holders=holders, size=n + 1, peers=n)
        if earlier is not None:
            summary += "; " + gettext("adopted it earlier than {share} of its peers").format(share=display_percent(earlier))
        models.append(s.ModelBenchmark(
            model=r["model"], model_name=r["model_name"], peers=n, peers_holding=r["peers_holding"],
            peers_holding_share=round(r["peers_holding"] / n, 4) if n else None,
            peers_adopted=r["peers_adopted"], peers_first_adoption=r["peers_first_adoption"],
            peers_median_adoption=r["peers_median_adoption"], target_status=r["target_status"],
            target_holding=bool(r["target_holding"]), target_first_adoption=r["target_first_adoption"],
            holders_in_group=holders, group_size=n + 1, adopted_earlier_than_share=earlier, summary=summary))
    method = s.Method(name="benchmark", description=gettext(
        "Peers are chosen as in /peers with the same parameters. For each model the municipality or a peer "
        "adopted: peers holding it on as_of (certified, label valid or self-assessed), when peers first adopted "
        "it (earliest dated event), and the share of peers that adopted it later than the municipality or not "
        "at all (adopted_earlier_than_share)."), parameters={"peers": peers.method.parameters,
                                                              "as_of": as_of.isoformat()})
    return s.Benchmark(municipality_id=peers.municipality_id, as_of=as_of, method=method, peer_ids=peer_ids,
                       models=models)


# ---------------------------------------------------------------- rankings


def parse_weights(raw: str | None) -> dict[str, float]:
    """'breadth:2,continuity:1' -> weights; components not named weigh 0. None -> the defaults."""
    if raw is None:
        return dict(DEFAULT_WEIGHTS)
    weights = dict.fromkeys(COMPONENTS, 0.0)
    for part in raw.split(","):
        name, sep, value = part.partition(":")
        name = name.strip()
        if name not in weights or not sep:
            raise BadParameter("weights", f"{part!r}: write component:weight with components {', '.join(COMPONENTS)}")
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


async def rankings(conn: asyncpg.Connection, *, country: str | None, model: str | None, kind: str | None,
                   population_min: int | None, population_max: int | None, as_of: dt.date,
                   window_years: int, weights: dict[str, float], limit: int, offset: int) -> s.Rankings:
    if population_min is not None and population_max is not None and population_min > population_max:
        raise BadParameter("population_min", "is above population_max")
    rows = await conn.fetch(
        queries.rankings, country, model, kind, population_min, population_max, as_of, window_years,
        weights["breadth"], weights["continuity"], weights["recognition"], weights["engagement"], limit, offset)
    if rows:
        ranked_total, unranked = rows[0]["ranked_total"], rows[0]["unranked_without_records"]
    else:  # past the last page, or nothing ranked: still say how large the scope is
        ranked_total = 0 if offset == 0 else offset
        unranked = await conn.fetchval(queries.rankings_scope_size, country, model, kind, population_min,
                                       population_max) - ranked_total
    items = [s.RankedMunicipality(
        rank=r["rank"], id=r["id"], name_local=r["name_local"], name_latin=r["name_latin"], country=r["country"],
        kind=r["kind"], population=r["population"], score=float(r["score"]),
        components={c: float(r[c]) for c in COMPONENTS},
        scaled={c: float(r[f"{c}_scaled"]) for c in COMPONENTS}) for r in rows]
    method = s.Method(name="ranking", version=RANKING_VERSION, description=gettext(
        "score = 100 × Σ(weight × scaled component) / Σ weights. Components on as_of: breadth = models held "
        "(certified, label valid or self-assessed); continuity = years of the longest continuous certification "
        "in force; recognition = awards and labels in the last window_years; engagement = self-assessments and "
        "external feedback in the last window_years. Each component is scaled to 0–1 by dividing by its "
        "largest value among the ranked municipalities. Ties share a rank (competition ranking 1, 2, 2, 4), "
        "then order by id. Municipalities without any adoption or award are not ranked (counted in "
        "unranked_without_records); a missing component counts as 0."),
        parameters={"weights": weights, "window_years": window_years, "country": country, "model": model,
                    "kind": kind, "population_min": population_min, "population_max": population_max})
    components = [s.Component(code=c, label=label("component", c) or c, weight=weights[c]) for c in COMPONENTS]
    return s.Rankings(as_of=as_of, method=method, components=components, ranked_total=ranked_total,
                      unranked_without_records=unranked, items=items)


def ranking_rows(result: s.Rankings) -> list[dict]:
    return [{"method_version": result.method.version, "as_of": result.as_of, "rank": i.rank, "id": i.id,
             "name_local": i.name_local, "country": i.country, "kind": i.kind, "population": i.population,
             "score": i.score, **i.components, **{f"{k}_scaled": v for k, v in i.scaled.items()}}
            for i in result.items]


RANKING_COLUMNS = ["method_version", "as_of", "rank", "id", "name_local", "country", "kind", "population",
                   "score", *COMPONENTS, *(f"{c}_scaled" for c in COMPONENTS)]


# ---------------------------------------------------------------- adoption statistics


def parse_countries(raw: str | None) -> list[str] | None:
    if raw is None or raw.strip().lower() in ("", "all"):
        return None
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise BadParameter("country", f"{', '.join(bad)}: use ISO 3166-1 alpha-2 codes, comma-separated, or 'all'")
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


async def adoption_stats(conn: asyncpg.Connection, *, model: str, countries: list[str] | None, by: str,
                         period_from: dt.date | None, period_to: dt.date | None, as_of: dt.date,
                         include_empty: bool) -> s.AdoptionStats:
    period_to = min(period_to or as_of, as_of)
    if period_from is None:
        first_year = await conn.fetchval(queries.adoption_first_year, model, countries, as_of)
        period_from = dt.date(first_year or as_of.year, 1, 1)
    if period_from > period_to:
        raise BadParameter("from", f"{period_from} is after the end of the period ({period_to})")
    if by == "year":
        if period_to.year - period_from.year > 200:
            raise BadParameter("from", "a year series covers at most 200 years")
        rows = await conn.fetch(queries.adoption_stats_by_year, model, countries, period_from.year,
                                period_to.year, as_of)
    else:
        rows = await conn.fetch(queries.adoption_stats_by_group, model, countries, period_from, period_to,
                                as_of, by, include_empty)
    groups = []
    for r in rows:
        roster_complete = bool(r["roster_complete"])
        complete = roster_complete and r["undated_adopters"] == 0
        d = r["denominator"]
        groups.append(s.StatsGroup(
            group=r["grp"], denominator=d, holding=r["holding"], first_adoptions=r["first_adoptions"],
            cumulative_adopters=r["cumulative_adopters"],
            holding_rate=round(r["holding"] / d, 6) if complete and d else None,
            adopter_rate=round(r["cumulative_adopters"] / d, 6) if complete and d else None,
            coverage="complete" if complete else "undated_evidence" if roster_complete else "incomplete_roster",
            incomplete_countries=sorted(r["incomplete_countries"] or []),
            undated_adopters=r["undated_adopters"], holding_on=r.get("holding_on")))
    method = s.Method(name="adoption_statistics", description=gettext(
        "denominator: local governments on the roster of the group (sub-units such as Belgrade's city "
        "municipalities excluded). holding: those whose adoption is certified, label-valid or self-assessed "
        "on as_of (by year: at the end of each year, or on as_of in its own year). first_adoptions: those whose "
        "first dated event (its earliest possible day) falls in the period or year; cumulative_adopters: first "
        "adoption on or before the period's end. Rates are given only where every roster in the group is "
        "complete and every adopter's evidence is dated (coverage 'complete'); otherwise the counts stand, the "
        "rate is null and coverage says why: 'incomplete_roster', or 'undated_evidence' (undated_adopters have "
        "evidence without a date, so they fall in no year and their status cannot be placed)."),
        parameters={"model": model, "countries": countries or "all", "by": by, "from": period_from.isoformat(),
                    "to": period_to.isoformat(), "as_of": as_of.isoformat()})
    return s.AdoptionStats(model=model, countries=countries, by=by, period_from=period_from, period_to=period_to,
                           as_of=as_of, method=method, groups=groups)


STATS_COLUMNS = ["model", "by", "group", "denominator", "holding", "holding_rate", "first_adoptions",
                 "cumulative_adopters", "adopter_rate", "coverage", "incomplete_countries", "undated_adopters",
                 "holding_on", "as_of"]


def stats_rows(result: s.AdoptionStats) -> list[dict]:
    return [{"model": result.model, "by": result.by, "as_of": result.as_of, **msgspec.structs.asdict(g)}
            for g in result.groups]


# ---------------------------------------------------------------- cohort progress and audit cycle


async def programme_progress(conn: asyncpg.Connection, programme_id: str, as_of: dt.date) -> s.ProgrammeProgress:
    exists = await conn.fetchval(queries.programme_exists, require_printable("programme", programme_id))
    if not exists:
        raise NotFound("programme", programme_id)
    progress = await conn.fetchval(queries.programme_progress, programme_id, as_of)
    method = s.Method(name="programme_progress", description=gettext(
        "Members who had surely joined by as_of, in the programme's model. Milestones: first self-assessment, "
        "improvement plan, external feedback, label — each the earliest possible day of the first such event "
        "that had surely happened by as_of. 'reached' counts members with the milestone; 'at_stage' lists "
        "members whose furthest milestone it is; medians are days from the earliest possible joining day."),
        parameters={"as_of": as_of.isoformat()})
    return msgspec.convert({"programme_id": programme_id, "as_of": as_of.isoformat(), "method": method,
                            **progress}, s.ProgrammeProgress)


_WITHIN = re.compile(r"^(\d{1,4})([dwmy])$")


def parse_within(raw: str) -> tuple[int, str]:
    match = _WITHIN.match(raw.strip().lower())
    if not match:
        raise BadParameter("within", f"{raw!r}: write a number and a unit, e.g. 90d, 12w, 6m, 1y")
    n, unit = int(match.group(1)), match.group(2)
    days = n * {"d": 1, "w": 7, "m": 31, "y": 366}[unit]
    if days > 5 * 366:
        raise BadParameter("within", "at most 5 years ahead")
    return n, unit


def add_within(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "d":
        return day + dt.timedelta(days=n)
    if unit == "w":
        return day + dt.timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    return dt.date(target_year, target_month, min(day.day, calendar.monthrange(target_year, target_month)[1]))


async def expiring(conn: asyncpg.Connection, within: str, as_of: dt.date, country: str | None,
                   model: str | None) -> s.Expiring:
    until = add_within(as_of, *parse_within(within))
    rows = await conn.fetch(queries.certificates_expiring, as_of, until, country, model)
    return s.Expiring(as_of=as_of, until=until, items=[msgspec.convert(dict(r), s.ExpiringCertificate) for r in rows])
