"""The holders import rows name, found: by id, crosswalk code or name, a LAU unit of a country
without a roster, or a unit the row asks to create (registry/curation/resolve.py finds the rest).

A name is looked up as written, then loosened (registry/curation/names.py). Among several units of
one name a city wins over its own sub-units; the words around the name ('Urząd Miasta', 'rural
gmina'), a bracketed place ('Centar (Sarajevo)') and the row's `kind` and `region` settle the rest;
what stays ambiguous is reported with each candidate's name, kind, region and population.
"""

from __future__ import annotations

import difflib
from typing import Any

import asyncpg

from registry.auth import Principal
from registry.curation import checks, lau, municipalities, names
from registry.curation import schemas as c
from registry.curation.rows import KINDS, TIERS, Reader, value
from registry.db import queries
from registry.errors import RegistryError
from registry.vocab import Kind, Tier

CREATED = {"source": "sources_created", "body": "bodies_created", "unit": "municipalities_created"}


class Memory:
    """What a resolver remembers for the rest of an import, and what the row being resolved
    created."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.units: dict[str, list[dict]] = {}
        self.catalogue: dict[str, dict] | None = None
        self.model_keys: dict[str, str] = {}
        self.bodies: dict[str, str] | None = None
        self.sources: dict[tuple, str] = {}
        self.created: list[tuple[str, Any]] = []  # (kind, key) created by the row being resolved
        self.counts: dict[str, int] = {}

    def begin_row(self) -> None:
        self.created = []

    def forget_row(self) -> None:
        """The row's savepoint was rolled back: what it created is gone, so is what was remembered
        of it."""
        for kind, key in self.created:
            if kind == "source":
                self.sources.pop(key, None)
            elif kind == "body":
                self.bodies = None
            elif kind == "unit":
                self.units.pop(key, None)
            self.counts[CREATED[kind]] -= 1
        self.created = []

    def _created(self, kind: str, key: Any) -> None:
        self.created.append((kind, key))
        self.counts[CREATED[kind]] = self.counts.get(CREATED[kind], 0) + 1


class HolderResolver(Memory):
    """Finds the unit a row is about."""

    async def _units(self, country: str) -> list[dict]:
        if country not in self.units:
            self.units[country] = [
                dict(r) for r in await self.conn.fetch(queries.holders_of_country, country)
            ]
        return self.units[country]

    async def holder(self, reader: Reader, who: Principal | None, import_id: str) -> str | None:
        """The unit a row is about: `municipality` (id or scheme:value), or `country` with its
        name."""
        row = reader.row
        token = value(row, "municipality")
        if token is not None:
            try:
                return (await checks.resolve_municipality(self.conn, str(token)))[0]
            except RegistryError as exc:
                scheme, sep, rest = str(token).partition(":")
                scheme, rest = (scheme.lower(), rest) if sep else ("id", str(token))
                found = (
                    lau.by_token(scheme, rest)
                    if scheme in ("id", "lau")
                    and len(rest) > 3
                    and await self.conn.fetchval(queries.country_roster_complete, rest[:2].upper())
                    is False
                    else None
                )
                if found is not None:
                    self._created("unit", found[1])
                    return await lau.add(self.conn, found)
                reader.fail("municipality", exc.detail, token)
                return None
        country = value(row, "country")
        written = [value(row, k) for k in ("municipality_name", "name_latin", "name_ascii")]
        if country is None or not any(written):
            reader.fail(
                "municipality",
                "give municipality (an id or scheme:value) or country + municipality_name",
            )
            return None
        country = str(country).upper()
        tier: Tier = reader.choice("tier", TIERS) or "municipality"
        kind = reader.choice("kind", KINDS)
        units = await self._units(country)
        parent = await self._parent(reader, country) if value(row, "parent") is not None else None
        literal, loose = names.readings(*[str(w) for w in written if w])
        candidates = self._match(units, [literal, loose])
        of_tier = [u for u in candidates if u["tier"] == tier]
        if not of_tier and candidates:
            reader.fail(
                "municipality_name",
                f"{written[0] or written[1]!r} names a unit of another tier than {tier}: set tier",
                written[0],
                sorted(TIERS),
                [names.describe(u) for u in candidates],
            )
            return None
        if not of_tier:
            if value(row, "parent") is not None and parent is None:
                return None  # the parent named is not found: reported
            return await self._absent(
                reader, who, import_id, country, tier, kind, units, literal, loose, written, parent
            )
        chosen = names.settle(
            of_tier, [str(w) for w in written if w], kind, value(row, "region"), parent
        )
        if len(chosen) == 1:
            return chosen[0]["id"]
        reader.fail(
            "municipality_name",
            f"{written[0] or written[1]!r} names {len(chosen)} units of {country}: "
            "give municipality (an id) or a qualifier (kind, region)",
            written[0],
            closest=[names.describe(u) for u in chosen],
        )
        return None

    async def _parent(self, reader: Reader, country: str) -> str | None:
        """The municipality a row's `parent` names (an id, scheme:value or its name), e.g. the city
        that owns an agency; a problem naming the candidates when none or several."""
        text = str(value(reader.row, "parent"))
        try:
            found, found_country = await checks.resolve_municipality(self.conn, text, "parent")
        except RegistryError:
            found, found_country = None, None
        if found is not None:
            if found_country == country:
                return found
            reader.fail("parent", f"{found} is not in {country}", text)
            return None
        units = [u for u in await self._units(country) if u["tier"] == "municipality"]
        literal, loose = names.readings(text)
        chosen = names.settle(self._match(units, [literal, loose]), [text], None, None)
        if len(chosen) == 1:
            return chosen[0]["id"]
        if chosen:
            reader.fail(
                "parent",
                f"{text!r} names {len(chosen)} municipalities of {country}: give its id",
                text,
                closest=[names.describe(u) for u in chosen],
            )
        else:
            index = {form: u for u in units for form in names.unit_forms(u)}
            close = difflib.get_close_matches(
                (loose or literal or [""])[0], list(index), n=3, cutoff=0.6
            )
            reader.fail(
                "parent",
                f"no municipality of {country} is named {text!r}",
                text,
                closest=names.described(index[n] for n in close),
            )
        return None

    @staticmethod
    def _match(units: list[dict], readings: list[list[str]]) -> list[dict]:
        for forms in readings:
            wanted = set(forms)
            found = [u for u in units if wanted & names.unit_forms(u)]
            if found:
                return found
        return []

    async def _absent(
        self,
        reader: Reader,
        who: Principal | None,
        import_id: str,
        country: str,
        tier: Tier,
        kind: Kind | None,
        units: list[dict],
        literal: list[str],
        loose: list[str],
        written: list[Any],
        parent: str | None = None,
    ) -> str | None:
        """A name no unit has: a LAU unit of a country without a roster, a holder of a tier no
        roster lists, a unit the row asks to create, or a problem naming the closest units."""
        row = reader.row
        complete = await self.conn.fetchval(queries.country_roster_complete, country)
        if complete is None:
            reader.fail("country", f"unknown country code {country!r}", row.get("country"))
            return None
        if tier == "municipality" and not complete:
            found = lau.find(country, [literal, loose])
            if len(found) == 1:
                unit_id = await lau.add(self.conn, found[0])
                self._created("unit", country)
                self.units.pop(country, None)
                return unit_id
            if len(found) > 1:
                reader.fail(
                    "municipality_name",
                    f"{written[0]!r} names {len(found)} units of the LAU table",
                    written[0],
                    closest=[f"{r[0]} {r[6]} (LAU {r[3]}, {r[4] or '-'})" for r in found],
                )
                return None
        creatable = tier != "municipality" and not await self.conn.fetchval(
            queries.tier_has_roster, country, tier
        )
        if creatable or reader.flag("create_municipality", False):
            if who is None:
                return None
            name = str(written[0] or written[1])
            default_kinds: dict[str, Kind] = {
                "county": "county",
                "region": "regional_government",
                "agency": "agency",
            }
            default_kind = default_kinds.get(tier)
            try:
                created = await municipalities.create_municipality(
                    self.conn,
                    who,
                    c.MunicipalityIn(
                        country=country,
                        kind=kind or default_kind or "municipality",
                        tier=tier,
                        name_local=name,
                        name_latin=str(written[1]) if written[1] else None,
                        parent=parent,
                        allow_similar=reader.flag("allow_similar", False),
                        note="Added by an import from the name a source gives it.",
                    ),
                    import_id,
                )
            except RegistryError as exc:
                params = exc.extra.get("invalid_params") or [
                    {"name": "municipality_name", "reason": exc.detail}
                ]
                reader.fail(
                    params[0]["name"],
                    params[0]["reason"],
                    name,
                    closest=exc.extra.get("similar") or None,
                )
                return None
            self._created("unit", country)
            self.units.pop(country, None)
            return created.id
        index = {form: u for u in units if u["tier"] == tier for form in names.unit_forms(u)}
        close = difflib.get_close_matches((loose or literal)[0], list(index), n=3, cutoff=0.6)
        reader.fail(
            "municipality_name",
            f"no {tier} of {country} is named {written[0] or written[1]!r}",
            written[0],
            closest=names.described(index[n] for n in close),
        )
        return None
