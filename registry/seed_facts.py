"""The seed's records that curators can change, loaded through the Ledger
(registry/seed_ledger.py): the catalogue, sources and bodies, the fact documents and the evidence
files.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import asyncpg
import msgspec

from registry.curation import awards, catalogue, reference, service
from registry.curation import catalogue_in as ci
from registry.curation import schemas as c
from registry.curation.records import ImportResult
from registry.dates import parse_partial
from registry.db import queries
from registry.seed_ledger import SEED, Ledger, digest_of

log = logging.getLogger("registry.seed")
# ---------------------------------------------------------------- evidence in the research layout


async def load_evidence(ledger: Ledger, path: Any) -> None:
    """seeds/evidence/*.jsonl: real facts as researchers transcribe them, imported through the
    import path a curator uses (research.import_row, then run_import under the key name `seed`).
    Each record is imported once (ledger key evidence:<id>); a record changed in the seed files
    later is not applied over what was imported (logged), and one removed from them is deleted
    unless a curator changed its fact since."""
    from registry.curation.research import import_row
    from registry.curation.transfer import run_import

    records = [
        json.loads(line)
        for p in sorted(path.glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    fresh = []
    for r in records:
        key, digest = f"evidence:{r['id']}", digest_of(r)
        previous = ledger.known.get(key)
        if previous is None:
            fresh.append((key, digest, r))
            continue
        if previous["digest"] != digest:
            log.warning(
                "seed: evidence %s changed in the seed files; what was imported stays (change it "
                "through the "
                "API)",
                r["id"],
            )
        await ledger._save(
            key, previous["entity"], previous["entity_id"], previous["digest"], previous["version"]
        )
    if not fresh:
        return
    report = await run_import(
        ledger.conn, SEED, [import_row(r) for _, _, r in fresh], dry_run=False
    )
    if report["errors"]:
        raise RuntimeError(f"seed evidence does not import: {report['errors'][:5]}")
    by_row: dict[int, list[ImportResult]] = {}
    for result in report["results"]:
        by_row.setdefault(result.row, []).append(result)
    for number, (key, digest, _record) in enumerate(fresh, start=1):
        created = [r for r in by_row.get(number, []) if r.status == "created"]
        entity, entity_id = (created[0].entity, created[0].id) if created else ("citation", key)
        version = (
            await ledger.conn.fetchval(queries.fact_version, entity, int(entity_id))
            if created
            else None
        )
        await ledger._save(key, entity, str(entity_id), digest, version)
        ledger.counts["evidence_imported"] += 1


# ---------------------------------------------------------------- the seed files' records


def roster_sources(rosters: list[dict], with_values: bool = False) -> list:
    """The sources of the official rosters, as source records (id roster-<cc>-<n>)."""
    found = []
    for roster in rosters:
        country = roster["country"]
        for i, src in enumerate(roster.get("sources", [])):
            address = src.get("address") or src.get("url") or ""
            url, _, more = address.partition("; ")
            if not url.startswith(("http://", "https://")):
                url, more = None, address
            url = url and url.replace(" ", "%20")  # an address as written with a space in a path
            record = {
                "id": f"roster-{country.lower()}-{i + 1}",
                "url": url,
                "document": f"seeds/rosters/municipalities_{country.lower()}.csv",
                "title": src["title"],
                "publisher": src.get("publisher"),
                "language": src.get("language", "en"),
                "published_on": None,
                "seen_on": "2026-11-21",
                "note": " ".join(part for part in (src.get("note"), more) if part) or None,
            }
            found.append((record["id"], src) if with_values else record)
    return found


async def _existing(conn: asyncpg.Connection, query: str, key: str) -> tuple[str, int] | None:
    row = await conn.fetchrow(query, key)
    return None if row is None else (key, row["version"])


def _input(kind: type, **values: Any) -> Any:
    """A seed record as the write body a curator would send, checked the same way (None: not
    given)."""
    return msgspec.convert({k: v for k, v in values.items() if v is not None}, kind)


def _patch(data: msgspec.Struct, patch_type: type, *identity: str) -> Any:
    values = {k: v for k, v in msgspec.to_builtins(data).items() if k not in identity}
    return msgspec.convert(values, patch_type)


def _by_id(key: str) -> tuple[str]:
    return (key,)


def _by_number(key: str) -> tuple[int]:
    return (int(key),)


def _by_part(key: str) -> tuple[str, str]:
    model, code = key.split("/", 1)
    return model, code


def _updater(
    conn: asyncpg.Connection,
    write: Callable[..., Awaitable[c.Written]],
    data: msgspec.Struct,
    patch_type: type,
    *identity: str,
    by: Callable[[str], tuple] = _by_id,
) -> Callable[[str, str], Awaitable[c.Written]]:
    """Ledger.record's update: the write with the record's key, the seed's values as a patch
    (without the fields that make its identity) and If-Match."""

    def update(tag: str, key: str) -> Awaitable[c.Written]:
        return write(conn, SEED, *by(key), _patch(data, patch_type, *identity), tag)

    return update


async def load_catalogue(ledger: Ledger, models: list[dict]) -> None:
    """seeds/catalogue/models.json: models, their editions and levels, written as a curator's key
    writes them (registry/curation/catalogue.py). Curators extend and correct the catalogue, so a
    model, edition or level the seed files change is updated only if no curator changed it since the
    seed wrote it (If-Match of that version); a curator's edit stays, and the skip is logged."""
    conn = ledger.conn
    for m in models:
        data = msgspec.convert(
            {k: v for k, v in m.items() if k not in ("editions", "levels") and v is not None},
            ci.ModelIn,
        )
        await ledger.record(
            f"model:{data.code}",
            "model",
            msgspec.to_builtins(data),
            create=partial(catalogue.create_model, conn, SEED, data),
            update=_updater(conn, catalogue.update_model, data, ci.ModelPatch, "code"),
            existing=partial(_existing, conn, queries.lock_model, data.code),
        )
        for ed in m["editions"]:
            edition = msgspec.convert({k: v for k, v in ed.items() if v is not None}, ci.EditionIn)
            await ledger.record(
                f"edition:{data.code}/{edition.code}",
                "edition",
                msgspec.to_builtins(edition),
                create=partial(catalogue.create_edition, conn, SEED, data.code, edition),
                update=_updater(
                    conn, catalogue.update_edition, edition, ci.EditionPatch, "code", by=_by_part
                ),
                existing=partial(
                    _existing_part, conn, queries.lock_edition, data.code, edition.code
                ),
            )
        for lv in m.get("levels", []):
            level = msgspec.convert({k: v for k, v in lv.items() if v is not None}, ci.LevelIn)
            await ledger.record(
                f"level:{data.code}/{level.code}",
                "level",
                msgspec.to_builtins(level),
                create=partial(catalogue.create_level, conn, SEED, data.code, level),
                update=_updater(
                    conn, catalogue.update_level, level, ci.LevelPatch, "code", by=_by_part
                ),
                existing=partial(_existing_part, conn, queries.lock_level, data.code, level.code),
            )


async def _existing_part(
    conn: asyncpg.Connection, query: str, model: str, code: str | None
) -> tuple[str, int] | None:
    row = await conn.fetchrow(query, model, code)
    return None if row is None else (f"{model}/{code}", row["version"])


async def load_sources_and_bodies(ledger: Ledger, sources: list[dict], bodies: list[dict]) -> None:
    conn = ledger.conn
    for src in sources:
        data = msgspec.convert({k: v for k, v in src.items() if v is not None}, c.SourceIn)
        await ledger.record(
            f"source:{data.id}",
            "source",
            msgspec.to_builtins(data),
            create=partial(reference.create_source, conn, SEED, data),
            update=_updater(conn, reference.update_source, data, c.SourcePatch, "id"),
            existing=partial(_existing, conn, queries.lock_source, data.id),
        )
    for b in bodies:
        body = msgspec.convert({k: v for k, v in b.items() if v is not None}, c.BodyIn)
        await ledger.record(
            f"body:{body.id}",
            "body",
            msgspec.to_builtins(body),
            create=partial(reference.create_body, conn, SEED, body),
            update=_updater(conn, reference.update_body, body, c.BodyPatch, "id"),
            existing=partial(_existing, conn, queries.lock_body, body.id),
        )


async def load_facts(ledger: Ledger, documents: list[dict]) -> None:
    """Adoptions with their events, awards, programmes and members of each fact document."""
    conn = ledger.conn
    for doc in documents:
        source_id = doc["source"]["id"]
        for adoption in doc.get("adoptions", []):
            await _adoption(ledger, source_id, adoption)
        for aw in doc.get("awards", []):
            data = _input(
                c.AwardIn,
                municipality=aw["municipality"],
                scheme=aw["scheme"],
                year=aw["year"],
                edition=aw.get("edition"),
                category=aw.get("category"),
                level=aw["level"],
                date=aw.get("date"),
                body=aw.get("body"),
                note=aw.get("note"),
                source_id=source_id,
                quote=aw["quote"],
            )
            category = aw.get("category") or ""
            await ledger.record(
                f"award:{source_id}/{aw['municipality']}/{aw['scheme']}/{aw['year']}/{category}",
                "award",
                msgspec.to_builtins(data),
                create=partial(awards.create_award, conn, SEED, data),
                update=_updater(
                    conn, awards.update_award, data, c.AwardPatch, "municipality", by=_by_number
                ),
            )
        for prog in doc.get("programmes", []):
            data = _input(
                c.ProgrammeIn,
                id=prog["id"],
                name=prog["name"],
                owner=prog.get("owner"),
                model=prog["model"],
                country=await conn.fetchval(queries.body_country, prog.get("owner")),
                started=prog.get("started"),
                note=prog.get("note"),
                source_id=source_id,
                quote=prog.get("quote"),
            )
            await ledger.record(
                f"programme:{data.id}",
                "programme",
                msgspec.to_builtins(data),
                create=partial(reference.create_programme, conn, SEED, data),
                update=_updater(
                    conn, reference.update_programme, data, c.ProgrammePatch, "id", "country"
                ),
                existing=partial(_existing, conn, queries.lock_programme, data.id),
            )
            for member in prog.get("members", []):
                await ledger.member(
                    prog["id"],
                    member["municipality"],
                    _input(
                        c.MemberIn,
                        joined=member.get("joined"),
                        source_id=source_id,
                        quote=member.get("quote"),
                    ),
                )


async def _adoption(ledger: Ledger, source_id: str, adoption: dict) -> None:
    conn = ledger.conn
    municipality, model, scope = (
        adoption["municipality"],
        adoption["model"],
        adoption.get("scope") or "",
    )
    data = _input(
        c.AdoptionIn, municipality=municipality, model=model, scope=scope, note=adoption.get("note")
    )

    async def existing() -> tuple[str, int] | None:
        found = await conn.fetchval(queries.find_adoption, municipality, model, scope)
        return (
            None
            if found is None
            else (str(found), (await conn.fetchrow(queries.lock_adoption, found))["version"])
        )

    await ledger.record(
        f"adoption:{municipality}/{model}/{scope}",
        "adoption",
        msgspec.to_builtins(data),
        create=lambda: service.create_adoption(conn, SEED, data),
        update=lambda tag, key: service.update_adoption(
            conn, SEED, int(key), c.AdoptionPatch(note=data.note), tag
        ),
        existing=existing,
    )
    seen: Counter[str] = Counter()
    for ev in adoption["events"]:
        findings = ev.get("findings") or {}
        event = _input(
            c.EventIn,
            municipality=municipality,
            model=model,
            scope=scope,
            type=ev["type"],
            date=ev.get("date"),
            edition=ev.get("edition"),
            body=ev.get("body"),
            certificate_number=ev.get("certificate_number"),
            valid_until=ev.get("valid_until"),
            major_nonconformities=findings.get("major"),
            minor_nonconformities=findings.get("minor"),
            evidence_level=ev["evidence_level"],
            note=ev.get("note"),
            source_id=source_id,
            quote=ev["quote"],
        )
        # the key the seed has always given this event (migration 0026 carried it over from
        # event.seed_key)
        day = parse_partial(ev.get("date")).text() or "undated"
        base = f"{source_id}/{municipality}/{model}/{ev['type']}/{day}"
        seen[base] += 1
        await ledger.record(
            f"event:{base}" if seen[base] == 1 else f"event:{base}#{seen[base]}",
            "event",
            msgspec.to_builtins(event),
            create=partial(service.create_event, conn, SEED, event),
            update=_updater(
                conn,
                service.update_event,
                event,
                c.EventPatch,
                "municipality",
                "model",
                "scope",
                by=_by_number,
            ),
        )
