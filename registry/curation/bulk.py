"""The bulk path of an import: event rows checked together and written in a handful of statements.

It applies the same rules as writing events one at a time (service.create_event) and gives the same
report and audit trail: each row is checked (model, edition, level, precision of the date, body,
source or `unsourced`, the key's country scope), rows that repeat a stored event or an earlier row
are `unchanged` — or `cited` when they give it a further source, which is added with its quote — and
every created event gets its audit row with the document a single write records. The work is done
per import rather than per row: one query per lookup over all rows, one INSERT for the new
adoptions, one for the events (so the status spans of each touched adoption are recomputed once),
one for the audit rows.

If the database still refuses the insert (a value past a column's range, say), the caller replays
the rows one by one to name the row and field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
import msgspec
from msgspec import UNSET

from registry.auth import Principal, require_writer
from registry.codes import model_code, model_key
from registry.curation import checks, lau, service
from registry.curation import schemas as c
from registry.curation.audit import statuses_changed
from registry.curation.records import ImportResult, ResultStatus
from registry.curation.rows import RowError, RowErrors
from registry.dates import PartialDate
from registry.db import queries
from registry.errors import Forbidden, RegistryError, Unauthorized

WRITE_SLICE = 10_000


@dataclass(slots=True)
class Pending:
    """One event row on its way in: what was read from it, compactly (a large import holds one per
    row)."""

    number: int
    # the row as JSON, kept when names, a body or a new source must be resolved (or it failed)
    raw: bytes = b""
    resolve: bool = False  # whether it must
    # whether resolving may add a holder, a source or a body (read only, it needs no savepoint: a
    # savepoint for each of 100,000 rows was a third of an import's time)
    writes: bool = False
    token_text: str | None = None  # the municipality as written
    token: tuple[str, str] | None = None  # (scheme, value) still to resolve
    municipality: str | None = None
    error: Exception | None = None  # found before the municipality was known
    data: c.EventIn | None = None
    when: PartialDate | None = None
    until: PartialDate | None = None  # the stated validity
    undated_day: str | None = None  # '--11-30': a day and month whose year the source does not give
    reference: str | None = None  # the row's own reference, for the report
    model: str = ""
    body: str | None = None
    adoption: tuple[str, str, str] = ("", "", "")

    def row(self) -> dict:
        """The row again: as read, or (when everything was in its values) rebuilt from them."""
        if self.raw or self.data is None:
            return msgspec.json.decode(self.raw or b"{}")
        values = {k: v for k, v in msgspec.to_builtins(self.data).items() if v is not None}
        values["municipality"], values["record"] = self.token_text, "event"
        if "source_id" in values:
            values["source"] = values.pop("source_id")
        return values


@dataclass
class Outcome:
    results: list[ImportResult]
    errors: list[tuple[int, Exception]]
    forbidden: list[dict]


async def import_events(
    conn: asyncpg.Connection,
    who: Principal,
    items: list[Pending],
    import_id: str,
    prepare: Callable,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check and write event rows; `prepare(item)` fills what a row gives (parsing, names, body,
    source)."""
    out = Outcome([], [], [])
    for item in items:
        try:
            await prepare(item)
        except Exception as exc:  # noqa: BLE001 - reported per row below, after the municipality is known
            item.error = exc
    await _resolve_tokens(conn, items)
    countries = {
        r["id"]: r["country_code"]
        for r in await conn.fetch(
            queries.import_municipality_countries,
            sorted({i.municipality for i in items if i.municipality}),
        )
    }
    catalogue = await conn.fetch(queries.import_catalogue)
    models = {r["code"]: r["code"] for r in catalogue} | {
        k: r["code"] for r in catalogue for k in r["match_keys"]
    }
    editions = {(r["code"], e["code"]) for r in catalogue for e in r["editions"]}
    levels = {(r["code"], lv["code"]) for r in catalogue for lv in r["levels"]}
    sources = {
        r["id"]
        for r in await conn.fetch(
            queries.import_sources_present,
            sorted({i.data.source_id for i in items if i.data is not None and i.data.source_id}),
        )
    }

    checked: list[Pending] = []
    for item in items:
        try:
            _check(item, who, countries, models, editions, levels, sources)
        except (Forbidden, Unauthorized) as exc:
            out.forbidden.append({"row": item.number, "reason": exc.detail})
        except Exception as exc:  # noqa: BLE001 - RowError, RegistryError: one row's problem
            out.errors.append((item.number, exc))
        else:
            checked.append(item)

    keys = sorted({i.adoption for i in checked})
    found = await conn.fetch(
        queries.import_find_adoptions,
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
    )
    adoption_of = {k: r["id"] for k, r in zip(keys, found, strict=True) if r["id"] is not None}
    await conn.execute(queries.import_lock_adoptions, sorted(adoption_of.values()))
    stored: dict[tuple, int] = {}
    by_id = {v: k for k, v in adoption_of.items()}
    for r in await conn.fetch(queries.import_events_of, list(adoption_of.values())):
        stored.setdefault(
            (
                by_id[r["adoption_id"]],
                r["type"],
                r["date_from"],
                r["date_to"],
                r["date_month_day"],
                r["edition_code"],
                r["body_id"],
                r["certificate_number"],
            ),
            r["id"],
        )

    new: list[Pending] = []
    # rows repeating an earlier new row, with its natural key
    repeats: list[tuple[Pending, tuple]] = []
    placed: dict[tuple, Pending] = {}
    again: list[tuple[Pending, int]] = []  # rows repeating a stored event
    for item in checked:
        assert item.data is not None and item.when is not None
        natural = (
            item.adoption,
            item.data.type,
            item.when.start,
            item.when.end,
            item.undated_day,
            item.data.edition,
            item.body,
            item.data.certificate_number,
        )
        if natural in stored:
            again.append((item, stored[natural]))
        elif natural in placed:
            repeats.append((item, natural))
        else:
            placed[natural] = item
            new.append(item)

    ids = await _write(conn, who, new, adoption_of, import_id)
    for item, event_id in zip(new, ids, strict=True):
        out.results.append(_result(item, "created", event_id))
    created = {
        natural: event_id for (natural, _), event_id in zip(placed.items(), ids, strict=True)
    }
    again += [(item, created[natural]) for item, natural in repeats]
    # a known fact: a further source is a citation of it, else nothing changes
    for item, event_id in again:
        assert item.data is not None
        cited = item.data.source_id is not None and await service.add_citation(
            conn, who, "event", event_id, item.data.source_id, item.data.quote, import_id
        )
        out.results.append(_result(item, "cited" if cited else "unchanged", event_id))
    if progress:
        for item in items:
            progress(item.number)
    return out


async def _resolve_tokens(conn: asyncpg.Connection, items: list[Pending]) -> None:
    tokens = sorted({i.token for i in items if i.token is not None and i.municipality is None})
    if not tokens:
        return
    rows = await conn.fetch(queries.resolve_many, [t[0] for t in tokens], [t[1] for t in tokens])
    resolved = {t: r["municipality_id"] for t, r in zip(tokens, rows, strict=True)}
    # a LAU unit of a country without a roster (an export's id)
    for token, found in list(resolved.items()):
        if (
            found is None
            and token[0] in ("id", "lau")
            and len(token[1]) > 3
            and not await conn.fetchval(queries.country_roster_complete, token[1][:2].upper())
        ):
            row = lau.by_token(token[0], token[1])
            if row is not None:
                resolved[token] = await lau.add(conn, row)
    for item in items:
        if item.token is not None and item.municipality is None:
            item.municipality = resolved[item.token]


def _check(
    item: Pending,
    who: Principal,
    countries: dict[str, str],
    models: dict[str, str],
    editions: set[tuple[str, str]],
    levels: set[tuple[str, str]],
    sources: set[str],
) -> None:
    if item.municipality is None:
        if item.token is not None:
            raise checks.unknown_municipality(item.token_text or "")
        raise item.error or RowError("municipality", "no municipality")
    if item.error is not None:
        raise item.error
    data, when = item.data, item.when
    assert data is not None and when is not None
    country = countries[item.municipality]
    require_writer(who, country, f"municipality {item.municipality}")
    item.model = models.get(model_code(data.model)) or models.get(model_key(data.model), "")
    checks.model_rule(data.model, bool(item.model))
    checks.edition_rule(item.model, data.edition, (item.model, data.edition) in editions)
    checks.level_rule(
        item.model, data.level, data.level is None or (item.model, data.level) in levels
    )
    checks.source_rule(data.source_id, data.unsourced, data.source_id in sources)
    item.adoption = (item.municipality, item.model, data.scope or "")


def _result(item: Pending, status: ResultStatus, event_id: int) -> ImportResult:
    return ImportResult(
        row=item.number,
        record="event",
        status=status,
        entity="event",
        id=str(event_id),
        reference=item.reference or UNSET,
    )


async def _write(
    conn: asyncpg.Connection,
    who: Principal,
    new: list[Pending],
    adoption_of: dict[tuple, int],
    import_id: str,
) -> list[int]:
    if not new:
        return []
    missing = sorted({i.adoption for i in new} - adoption_of.keys())
    if missing:
        for r in await conn.fetch(
            queries.import_insert_adoptions,
            [k[0] for k in missing],
            [k[1] for k in missing],
            [k[2] for k in missing],
        ):
            adoption_of[(r["municipality_id"], r["model_code"], r["scope"])] = r["id"]
        # created by a concurrent writer meanwhile
        raced = [k for k in missing if k not in adoption_of]
        if raced:
            found = await conn.fetch(
                queries.import_find_adoptions,
                [k[0] for k in raced],
                [k[1] for k in raced],
                [k[2] for k in raced],
            )
            adoption_of.update({k: r["id"] for k, r in zip(raced, found, strict=True)})
            await conn.execute(queries.import_lock_adoptions, sorted(r["id"] for r in found))
    ids = [r[0] for r in await conn.fetch(queries.import_event_ids, len(new))]
    # in slices: the statement's arguments for 100,000 rows at once held ~100 MB more
    for start in range(0, len(new), WRITE_SLICE):
        part = ids[start : start + WRITE_SLICE]
        await _insert_events(conn, part, new[start : start + WRITE_SLICE], adoption_of)
        await conn.execute(queries.import_record_event_changes, who.name, import_id, part)
    await conn.execute(queries.import_bump_municipalities, sorted({i.adoption[0] for i in new}))
    await statuses_changed(conn, sorted({adoption_of[i.adoption] for i in new}))
    return ids


async def _insert_events(
    conn: asyncpg.Connection, ids: list[int], new: list[Pending], adoption_of: dict[tuple, int]
) -> None:
    columns: list[list] = [[] for _ in range(26)]
    for event_id, item in zip(ids, new, strict=True):
        d, w, u = item.data, item.when, item.until
        assert d is not None and w is not None and u is not None
        values = (
            event_id,
            adoption_of[item.adoption],
            d.type,
            w.start,
            w.end,
            w.precision,
            d.edition,
            item.model,
            item.body,
            d.certificate_number,
            u.start,
            d.major_nonconformities,
            d.minor_nonconformities,
            d.evidence_level,
            d.score,
            d.public,
            d.note,
            d.source_id,
            d.quote,
            d.unsourced,
            u.end,
            u.precision,
            d.date_kind,
            d.level,
            d.edition_stated,
            item.undated_day,
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    await conn.execute(queries.import_insert_events, *columns)


def error_entries(number: int, exc: Exception, reference: str | None = None) -> list[dict]:
    """A row's problems as the import report lists them: row, field, value, reason, allowed values,
    closest."""
    if isinstance(exc, RowErrors):
        return [e for problem in exc.problems for e in error_entries(number, problem, reference)]
    ref = {"reference": reference} if reference else {}
    if isinstance(exc, RowError):
        return [
            {
                "row": number,
                "field": exc.field,
                "value": exc.value,
                "reason": exc.reason,
                **ref,
                **({"allowed": exc.allowed} if exc.allowed else {}),
                **({"closest": exc.closest} if exc.closest else {}),
            }
        ]
    if isinstance(exc, RegistryError):
        params = exc.extra.get("invalid_params") or [{"name": "row", "reason": exc.detail}]
        similar = exc.extra.get("similar")
        return [
            {
                "row": number,
                "field": p["name"],
                "value": None,
                "reason": p["reason"],
                **ref,
                **({"closest": similar} if similar else {}),
            }
            for p in params
        ]
    if isinstance(exc, (asyncpg.IntegrityConstraintViolationError, asyncpg.DataError)):
        return [
            {
                "row": number,
                "field": getattr(exc, "constraint_name", None) or "row",
                "value": None,
                "reason": exc.message if hasattr(exc, "message") else str(exc),
                **ref,
            }
        ]
    raise exc
