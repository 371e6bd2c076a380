"""How the codes a person writes are read: countries (ISO 3166-1 alpha-2) and the catalogue's
models, editions and levels (a code, alias or name in any common spelling)."""

from __future__ import annotations

import re
from typing import overload

import asyncpg

from registry.db import queries
from registry.errors import BadParameter
from registry.i18n import gettext
from registry.text import fold


@overload
async def check_country(conn: asyncpg.Connection, code: str, parameter: str = ...) -> str: ...
@overload
async def check_country(
    conn: asyncpg.Connection, code: str | None, parameter: str = ...
) -> str | None: ...
async def check_country(
    conn: asyncpg.Connection, code: str | None, parameter: str = "country"
) -> str | None:
    """The upper-cased ISO 3166-1 code, or 400 naming `parameter` if the registry does not know
    it."""
    if code is None:
        return None
    code = code.upper()
    if len(code) != 2 or not await conn.fetchval(queries.country_exists, code):
        raise BadParameter(
            parameter,
            gettext(
                "unknown country code {code}: use ISO 3166-1 alpha-2, e.g. SI, PL, RS, AZ"
            ).format(code=repr(code)),
        )
    return code


_ISO_IEC = re.compile(r"\bISO\s*/\s*IEC\b")
_LETTERS_DIGITS = re.compile(r"(?<=[A-Z])\s+(?=\d)")  # 'ISO 9001' -> 'ISO9001'
_SEPARATORS = re.compile(r"[\s_./]+")


def model_code(code: str) -> str:
    """A model code in its canonical spelling: upper case, 'ISO/IEC 27001' -> 'ISO27001', 'ISO 9001'
    -> 'ISO9001', other spaces and underscores as hyphens ('BFC SEE', 'BFC_SEE' -> 'BFC-SEE')."""
    text = _ISO_IEC.sub("ISO", code.strip().upper())
    text = _LETTERS_DIGITS.sub("", text)
    return "-".join(part for part in _SEPARATORS.sub("-", text).split("-") if part)


def model_key(text: str) -> str:
    """A code, name or alias compacted for matching: case, diacritics, spaces and punctuation
    ignored."""
    folded = fold(_ISO_IEC.sub("ISO", text.upper()))
    return re.sub(r"[^a-z0-9]", "", folded)


def match_keys(code: str, name: str, aliases: list[str]) -> list[str]:
    """The keys model_key() gives for a model's code, name and aliases (model.match_keys)."""
    return sorted({model_key(t) for t in (code, name, *aliases) if model_key(t)})


def level_code(label: str) -> str:
    """A level's code from its label: 'Začetnik CAF' -> 'zacetnik-caf'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:60]


async def resolve_model(conn: asyncpg.Connection, code: str) -> str | None:
    """The catalogue code a model is written as (code, alias or name, in any common spelling), or
    None."""
    normal = model_code(code)
    if await conn.fetchval(queries.model_exists, normal):
        return normal
    return await conn.fetchval(queries.model_by_key, model_key(code))


@overload
async def check_model(conn: asyncpg.Connection, code: str, parameter: str = ...) -> str: ...
@overload
async def check_model(
    conn: asyncpg.Connection, code: str | None, parameter: str = ...
) -> str | None: ...
async def check_model(
    conn: asyncpg.Connection, code: str | None, parameter: str = "model"
) -> str | None:
    if code is None:
        return None
    found = None if any(ord(ch) < 32 for ch in code) else await resolve_model(conn, code)
    if found is None:
        raise BadParameter(
            parameter, gettext("unknown model {code}: see GET /v1/models").format(code=repr(code))
        )
    return found
