"""The Ledger: the seed's records that curators can change, written through the same writes a
curator's key makes.

The Ledger remembers, per seeded record (table seed_record), a digest of the values the seed gave
and the record's version right after the seed wrote it. A record the seed gives for the first time
is created (or, when it exists already, taken as it is); one whose values changed in the seed files
is updated with that version as If-Match, so a record a curator changed or deleted since is left
alone (412/404) and the skip is logged; one no longer in the seed files is deleted the same way.
Every write is recorded in the change feed under the key name `seed`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import msgspec

from registry.auth import Principal
from registry.curation import awards, reference, service
from registry.curation import schemas as c
from registry.db import queries
from registry.errors import Conflict, NotFound, PreconditionFailed
from registry.text import search_text

log = logging.getLogger("registry.seed")
SEED = Principal("seed", "admin")
KEPT = (PreconditionFailed, NotFound, Conflict)


def digest_of(values: Any) -> str:
    return hashlib.sha256(msgspec.json.encode(values, order="sorted")).hexdigest()


class Ledger:
    """What the seed wrote before (`known`, by key), and the writes that apply what changed
    since."""

    def __init__(
        self, conn: asyncpg.Connection, known: dict[str, asyncpg.Record], counts: Counter[str]
    ) -> None:
        self.conn, self.known, self.counts = conn, known, counts
        self.seen: set[str] = set()

    async def _save(
        self,
        key: str,
        entity: str,
        entity_id: str,
        digest: str,
        version: int | None,
        seeded: Any = None,
    ) -> None:
        self.seen.add(key)
        await self.conn.execute(
            queries.seed_record_save, key, entity, entity_id, digest, version, seeded
        )

    async def record(
        self,
        key: str,
        entity: str,
        values: Any,
        *,
        create: Callable[[], Awaitable[c.Written]],
        update: Callable[[str, str], Awaitable[c.Written]],
        existing: Callable[[], Awaitable[tuple[str, int] | None]] | None = None,
    ) -> str:
        """Apply one versioned record: create it, or update it if the seed changed it and no curator
        did. A record found without its ledger entry (written by an older loader that did not
        record its kind, e.g. the catalogue before it was curator-writable) is brought to the seed's
        values unless a curator ever wrote it."""
        digest, previous = digest_of(values), self.known.get(key)
        if previous is None:
            found: tuple[str, int | None] | None = await existing() if existing else None
            if found is None:
                written = await create()
                self.counts[f"{entity}_created"] += 1
                await self._save(key, entity, str(written.id), digest, written.version)
                return str(written.id)
            entity_id, version = str(found[0]), found[1]
            if version is None or await self.conn.fetchval(
                queries.written_by_other_than, entity, entity_id, SEED.name
            ):
                await self._save(key, entity, entity_id, digest, version)
                return entity_id
        else:
            entity_id, version = previous["entity_id"], previous["version"]
        if previous is None or previous["digest"] != digest:
            try:
                # a savepoint: a refused update leaves the load usable
                async with self.conn.transaction():
                    written = await update(f'"{version}"', entity_id)
                version = written.version if written.version is not None else version
                self.counts[f"{entity}_updated"] += written.change_id is not None
            except KEPT as exc:
                self.counts["kept_as_curated"] += 1
                log.warning(
                    "seed: %s %s changed in the seed files but was changed by a curator since it "
                    "was "
                    "seeded; the curator's version stays (%s)",
                    entity,
                    entity_id,
                    exc.detail,
                )
        await self._save(key, entity, entity_id, digest, version)
        return entity_id

    async def member(self, programme_id: str, municipality_id: str, data: c.MemberIn) -> None:
        """A programme membership (no version of its own: the stored row is compared with what the
        seed wrote)."""
        key, values = f"member:{programme_id}/{municipality_id}", msgspec.to_builtins(data)
        digest, previous = digest_of(values), self.known.get(key)
        current = await self.conn.fetchval(queries.member_row, programme_id, municipality_id)
        if previous is not None and previous["digest"] == digest:
            await self._save(
                key, "programme_member", previous["entity_id"], digest, None, previous["seeded"]
            )
            return
        if (
            previous is None
            and current is not None
            or previous is not None
            and current != previous["seeded"]
        ):
            if previous is not None:
                self.counts["kept_as_curated"] += 1
                log.warning(
                    "seed: membership %s/%s was changed by a curator since it was seeded; it stays",
                    programme_id,
                    municipality_id,
                )
            await self._save(
                key, "programme_member", f"{programme_id}/{municipality_id}", digest, None, current
            )
            return
        written = await reference.put_member(self.conn, SEED, programme_id, municipality_id, data)
        self.counts["programme_member_written"] += written.change_id is not None
        await self._save(key, "programme_member", written.id, digest, None, written.record)

    async def roster_units(self, units: list[dict[str, Any]], first_load: bool) -> list[str]:
        """Roster units: new ones inserted, changed ones updated (roster fields as the roster gives
        them, name variants merged: a curator's additions stay, the roster's own additions and
        removals apply), each change recorded. Returns the ids added or changed."""
        changed: list[str] = []
        existing = (
            set()
            if not first_load
            else {
                r["id"]
                for r in await self.conn.fetch(
                    queries.import_municipality_countries, [u["id"] for u in units]
                )
            }
        )
        new = []
        for unit in units:
            key, digest, previous = (
                f"municipality:{unit['id']}",
                digest_of(unit),
                self.known.get(f"municipality:{unit['id']}"),
            )
            if previous is not None and previous["digest"] == digest:
                self.seen.add(key)
                continue
            if (
                previous is None
                and unit["id"] not in existing
                and (
                    first_load
                    or not await self.conn.fetchval(queries.municipality_exists, unit["id"])
                )
            ):
                new.append(unit)
                continue
            await self._roster_update(unit, previous["seeded"]["name_variants"] if previous else [])
            changed.append(unit["id"])
        if new:
            await self.conn.executemany(
                queries.insert_roster_municipality,
                [unit_values(u, u["name_variants"]) for u in new],
            )
            changed += [u["id"] for u in new]
        changed_ids = set(changed)
        touched = {u["id"]: u for u in units if u["id"] in changed_ids}
        if touched:
            await self.conn.execute(
                queries.seed_records_save,
                *map(
                    list,
                    zip(
                        *[
                            (
                                f"municipality:{i}",
                                "municipality",
                                i,
                                digest_of(u),
                                None,
                                {"name_variants": u["name_variants"]},
                            )
                            for i, u in touched.items()
                        ],
                        strict=True,
                    ),
                ),
            )
            self.seen.update(f"municipality:{i}" for i in touched)
        return changed

    async def _roster_update(self, unit: dict[str, Any], seeded_before: list[str]) -> None:
        current = dict(await self.conn.fetchrow(queries.roster_row, unit["id"]))
        dropped = set(seeded_before) - set(unit["name_variants"])
        variants = [v for v in current["name_variants"] if v not in dropped]
        variants += [v for v in unit["name_variants"] if v not in variants]
        after = {
            **current,
            **{k: unit[k] for k in current if k in unit},
            "tier": unit.get("tier", "municipality"),
            "name_variants": variants,
        }
        if after == current:
            return
        await self.conn.execute(queries.update_roster_municipality, *unit_values(unit, variants))
        await self.conn.fetchval(
            queries.record_change,
            SEED.name,
            "update",
            "municipality",
            unit["id"],
            unit["id"],
            None,
            current,
            after,
        )
        self.counts["municipality_updated"] += 1

    async def forget_the_rest(self) -> None:
        """Records the seed files no longer give: deleted unless a curator changed them since; a
        roster unit stays (it may carry facts; a roster change that drops one is for a person to
        look at)."""
        for key, previous in self.known.items():
            if key in self.seen:
                continue
            entity, entity_id, tag = (
                previous["entity"],
                previous["entity_id"],
                f'"{previous["version"]}"',
            )
            try:
                async with self.conn.transaction():
                    await _delete(self.conn, entity, entity_id, tag, previous["seeded"])
                self.counts[f"{entity}_deleted"] += 1
            except KEPT as exc:
                log.warning(
                    "seed: %s %s is no longer in the seed files; it stays (%s)",
                    entity,
                    entity_id,
                    exc.detail,
                )
            await self.conn.execute(queries.seed_record_forget, key)


async def _delete(
    conn: asyncpg.Connection, entity: str, entity_id: str, tag: str, seeded: Any
) -> None:
    if entity == "event":
        await service.delete_event(conn, SEED, int(entity_id), tag)
    elif entity == "award":
        await awards.delete_award(conn, SEED, int(entity_id), tag)
    elif entity == "adoption":
        await service.delete_adoption(conn, SEED, int(entity_id), tag)
    elif entity == "source":
        await reference.delete_source(conn, SEED, entity_id, tag)
    elif entity == "body":
        await reference.delete_body(conn, SEED, entity_id, tag)
    elif entity == "programme":
        await reference.delete_programme(conn, SEED, entity_id, tag)
    elif entity == "programme_member":
        programme_id, _, municipality_id = entity_id.partition("/")
        if await conn.fetchval(queries.member_row, programme_id, municipality_id) != seeded:
            raise Conflict("a curator changed it since it was seeded")
        await reference.delete_member(conn, SEED, programme_id, municipality_id)
    else:
        raise Conflict(f"{entity} records are not removed by the seed")


def unit_values(unit: dict[str, Any], variants: list[str]) -> tuple:
    """The columns of insert_roster_municipality / update_roster_municipality, in their order."""
    return (
        unit["id"],
        unit["country_code"],
        unit["national_code"],
        unit["kind"],
        unit["region_code"],
        unit["parent_id"],
        unit["counted"],
        unit["name_local"],
        unit["name_latin"],
        unit["population"],
        unit["population_year"],
        unit["area_km2"],
        unit["roster_source_id"],
        search_text(unit["name_local"], unit["name_latin"], *variants),
        variants,
        unit.get("tier", "municipality"),
    )
