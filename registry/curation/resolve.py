"""What import rows name, found: models, editions, levels, bodies and sources, and holders
(registry/curation/holders.py), each remembered for the rest of the import.

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

from registry.auth import Principal
from registry.codes import model_code, model_key
from registry.curation import reference
from registry.curation import schemas as c
from registry.curation.holders import HolderResolver
from registry.curation.rows import Reader, value
from registry.db import queries
from registry.errors import RegistryError
from registry.text import fold
from registry.vocab import BodyRole

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
class Resolver(HolderResolver):
    """Looks up what rows name, remembering what it found (and forgetting what a failed row
    created)."""

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


__all__ = ["Resolver", "body_readings"]
