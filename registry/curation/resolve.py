"""What import rows name, found: holders (by id, crosswalk code or name), models, editions, levels,
bodies and sources, each remembered for the rest of the import.

A name is looked up as written, then loosened (registry/curation/names.py). Among several units of
one name a city wins over its own sub-units; the words around the name ('Urząd Miasta', 'rural
gmina'), a bracketed place ('Centar (Sarajevo)') and the row's `kind` and `region` settle the rest;
what stays ambiguous is reported with each candidate's name, kind, region and population.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any

import asyncpg

from registry.auth import Principal
from registry.codes import model_code, model_key
from registry.curation import checks, lau, municipalities, names, reference
from registry.curation import schemas as c
from registry.curation.rows import BODY_ROLES, KINDS, TIERS, Reader, value
from registry.db import queries
from registry.errors import RegistryError
from registry.text import fold
from registry.vocab import BodyRole, Kind, Tier

LEGAL_FORMS = re.compile(
    r"\b(s\s?a|sp\s?z\s?o\s?o|d\s?o\s?o|d\s?d|ltd|gmbh|ag|inc|llc|plc|doo|a\s?d|sas|bv|nv)\b\.?"
)


def _body_forms(text: str) -> set[str]:
    folded = fold(text)
    bare = " ".join(LEGAL_FORMS.sub(" ", folded.replace(".", " ")).split())
    return {f for f in (folded, bare) if f}


def body_readings(text: str) -> list[str]:
    """The names a body is looked up by, most literal first: as written, without the bracket, each
    part of 'A / B' or 'A; B', then what the bracket holds ('Polski Rejestr Statków S.A. (PRS)' ->
    …, 'PRS')."""
    found: list[str] = [text]
    inner = re.findall(r"\(([^()]*)\)", text)
    base = re.sub(r"\([^()]*\)", " ", text).strip()
    found += [base, *re.split(r"\s*/\s*|\s*;\s*|\s*,\s*", base)]
    for part in inner:
        part = re.sub(
            r"^(since \d{4}|technical secretariat|.*secretariat)\s*:?\s*",
            "",
            part.strip(),
            flags=re.I,
        )
        found += re.split(r"\s*/\s*|\s*;\s*|\s*,\s*", part)
    return [f.strip() for f in found if f and f.strip()]


# what the import report counts of the records an import creates while it resolves rows, by kind
CREATED = {"source": "sources_created", "body": "bodies_created", "unit": "municipalities_created"}


class Resolver:
    """Looks up what rows name, remembering what it found (and forgetting what a failed row
    created)."""

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

    # ------------------------------------------------------------ models, editions, levels

    async def _catalogue(self) -> dict[str, dict]:
        if self.catalogue is None:
            rows = await self.conn.fetch(queries.import_catalogue)
            self.catalogue = {r["code"]: dict(r) for r in rows}
            self.model_keys = {k: r["code"] for r in rows for k in r["match_keys"]}
        return self.catalogue

    def reload_catalogue(self) -> None:
        self.catalogue = None

    async def model(self, reader: Reader, field: str, text: str | None) -> dict | None:
        """The catalogue's model a row writes (code, alias or name in any common spelling)."""
        if text is None:
            return None
        catalogue = await self._catalogue()
        code = model_code(text)
        found = catalogue.get(code) or catalogue.get(self.model_keys.get(model_key(text), ""))
        if found is None:
            close = difflib.get_close_matches(code, sorted(catalogue), n=3, cutoff=0.5)
            reader.fail(
                field,
                f"unknown model {text!r}: see GET /v1/models, or add it (record model)",
                text,
                closest=close,
            )
        return found

    def edition(
        self, reader: Reader, model: dict, text: str | None
    ) -> tuple[str | None, str | None]:
        """(edition code, edition as stated): a code, label or alias of one of the model's editions,
        or a text naming exactly one of them ('ISO 9001:2015', 'Edition III'); descriptive text
        naming none or several ('Edition III/IV (not stated)') is kept as stated; an unknown bare
        code is a problem."""
        if text is None:
            return None, None
        editions = model["editions"]
        folded = fold(text)
        for ed in editions:
            if folded in {fold(ed["code"]), fold(ed["label"]), *(fold(a) for a in ed["aliases"])}:
                return ed["code"], None
        named = [
            ed["code"]
            for ed in editions
            if re.search(
                rf"(?<![A-Za-z0-9]){re.escape(ed['code'].upper())}(?![A-Za-z0-9])", text.upper()
            )
        ]
        if len(named) == 1:
            return named[0], text
        if re.fullmatch(r"[A-Za-z0-9.\-]{1,12}", text.strip()):
            reader.fail(
                "edition",
                f"{model['code']} has no edition {text!r}",
                text,
                sorted(ed["code"] for ed in editions),
            )
            return None, None
        return None, text

    def level(self, reader: Reader, field: str, model: dict, text: str | None) -> str | None:
        """A scheme level by its code, label or alias ('Platinum', 'Začetnik CAF')."""
        if text is None:
            return None
        folded = fold(text)
        for lv in model["levels"]:
            if folded in {fold(lv["code"]), fold(lv["label"]), *(fold(a) for a in lv["aliases"])}:
                return lv["code"]
        reader.fail(
            field,
            f"{model['code']} has no level {text!r}: add it (record level) or see "
            f"GET /v1/models/{model['code']}",
            text,
            sorted(lv["label"] for lv in model["levels"]),
        )
        return None

    # ------------------------------------------------------------ bodies

    async def _body_index(self) -> dict[str, str]:
        if self.bodies is None:
            self.bodies = {}
            for b in await self.conn.fetch(queries.bodies_for_matching):
                for text in (
                    b["id"],
                    b["name"],
                    b["short_name"],
                    *b["aliases"],
                    *b["former_names"],
                ):
                    for form in _body_forms(text or ""):
                        self.bodies.setdefault(form, b["id"])
        return self.bodies

    async def body(
        self,
        reader: Reader,
        text: str | None,
        role: BodyRole | None = None,
        country: str | None = None,
        source_id: str | None = None,
        who: Principal | None = None,
        import_id: str | None = None,
    ) -> str | None:
        """A body by id, name, short name, alias or former name; a body the row names with its role
        (`body_role`) and the registry does not know is added, unless it is close to a known one."""
        if text is None:
            return None
        index = await self._body_index()
        for reading in body_readings(text):
            for form in _body_forms(reading):
                if form in index:
                    return index[form]
        closest = sorted(
            {index[n] for n in difflib.get_close_matches(fold(text), list(index), n=5, cutoff=0.75)}
        )
        if role is None or who is None or closest:
            reader.fail(
                "body",
                f"no body named {text!r}"
                + ("; give body_role to add it" if role is None and not closest else ""),
                text,
                closest=closest,
            )
            return None
        name = re.sub(r"\s*\([^()]*\)", "", text).strip() or text
        body_id = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60] or "body"
        if body_id in index.values():
            body_id = f"{body_id}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"
        await reference.create_body(
            self.conn,
            who,
            c.BodyIn(
                id=body_id,
                name=name[:2000],
                country=None,
                roles=[role],
                source_id=source_id,
                aliases=[text] if text != name else [],
                note="Added by an import from the name a source gives it.",
            ),
            import_id,
        )
        self.bodies = None
        self._created("body", body_id)
        return body_id

    # ------------------------------------------------------------ sources

    async def source(self, reader: Reader, who: Principal, import_id: str) -> str | None:
        row = reader.row
        source_id = value(row, "source")
        if source_id is not None:
            return str(source_id)
        url, title = value(row, "source_url"), value(row, "source_title")
        if url is None and title is None:
            return None
        known = (url, title, value(row, "source_publisher"))
        if known not in self.sources:
            found = (
                await self.conn.fetchval(queries.source_by_url, url) if url is not None else None
            )
            if found is None:
                found = await self._new_source(reader, who, import_id, url, title)
                if found is None:
                    return None
                self._created("source", known)
            self.sources[known] = found
        return self.sources[known]

    async def _new_source(
        self, reader: Reader, who: Principal, import_id: str, url: Any, title: Any
    ) -> str | None:
        row = reader.row
        language = value(row, "source_language")
        if language is None:
            reader.fail(
                "source_language", "a new source needs its language (source_language, e.g. pl)"
            )
            return None
        title = title or url  # a page named by its address alone is titled by it
        digest = hashlib.sha1(
            f"{url or ''}|{title}|{value(row, 'source_publisher') or ''}".encode()
        ).hexdigest()
        source_id = f"src-{digest[:12]}"
        if not await self.conn.fetchval(queries.source_exists, source_id):
            try:
                data = c.SourceIn(
                    id=source_id,
                    url=url,
                    document=None if url else "import",
                    title=str(title),
                    publisher=value(row, "source_publisher"),
                    language=str(language),
                    published_on=value(row, "source_published"),
                    seen_on=value(row, "source_seen"),
                )
                await reference.create_source(self.conn, who, data, import_id)
            except (RegistryError, ValueError, TypeError) as exc:
                reader.fail(
                    "source_url", f"cannot add the source: {getattr(exc, 'detail', exc)}", url
                )
                return None
        return source_id

    # ------------------------------------------------------------ holders

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


__all__ = ["Resolver", "BODY_ROLES", "body_readings"]
