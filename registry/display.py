"""Labels and display values that SQL writes into the documents it builds (migration 0019).

A list page is written by PostgreSQL in the caller's language and sent on as written: no decoding, labelling
and encoding again in Python. What SQL needs for that is one language's *fragments*: each label the
labelling in registry/i18n.py would add, as the JSON string it would write, under '<response key>:<code>'
('status:certified', 'kind:gmina_urban', 'country:PL'), and the symbols of its number format. They are
computed here from the same catalogues and CLDR data, and written to `display_language` the first time a
database is asked for them (the statements raise RGD01 until then). The key of a set of fragments carries their
fingerprint, so a new release, with other translations, writes its own row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

import asyncpg
import msgspec
import pycountry
from babel.numbers import get_decimal_symbol, get_group_symbol

from registry.db import queries
from registry.i18n import Language, country_name, label
from registry.labels import KEY_CATEGORY, LABELS

MISSING = "RGD01"  # SQLSTATE raised by municipality_items_json when a language's fragments are not written yet
T = TypeVar("T")


def _json_text(text: str) -> str:
    return msgspec.json.encode(text).decode()


def _countries(language: Language) -> set[str]:
    """Every code a country name can be asked for: ISO 3166-1 and CLDR's two-letter territories (e.g. XK)."""
    codes = {c.alpha_2 for c in pycountry.countries}
    return codes | {code for code in language.locale.territories if len(code) == 2 and code.isalpha()}


def fragments(language: Language) -> dict[str, str]:
    """The fragments of `language`: what i18n.decorate() adds, as SQL splices it (see the module's doc)."""
    out: dict[str, str] = {}
    for key, categories in KEY_CATEGORY.items():
        for category in categories if isinstance(categories, tuple) else (categories,):
            for code in LABELS.get(category, {}):  # the first category that labels a code wins, as in decorate()
                if f"{key}:{code}" not in out and (text := label(category, code, language)) is not None:
                    out[f"{key}:{code}"] = _json_text(text)
    for code in sorted(_countries(language)):
        name = country_name(code, language)
        if name is not None:
            out[f"country:{code}"] = _json_text(name)
    # babel's format_decimal with the language's pattern (#,##0.### in every CLDR locale but three): integer
    # digits grouped from the right, first by the primary size, then by the secondary one
    pattern = language.locale.decimal_formats[None]
    primary, secondary = pattern.grouping
    group = _json_text(get_group_symbol(language.locale))[1:-1]
    out["number:decimal"] = _json_text(get_decimal_symbol(language.locale))[1:-1]
    if primary >= 100:  # a pattern without grouping (en-US-POSIX)
        group = ""
    elif (primary, secondary) != (3, 3):  # e.g. 12,34,567 in Hindi: SQL's to_char only groups by three
        out["number:pattern"] = rf"(\d)(?=(\d{{{secondary}}})*\d{{{primary}}}(\.|$))"
    out["number:group"] = group
    return out


@lru_cache(maxsize=256)
def display_key(language: Language) -> tuple[str, dict[str, str]]:
    """(key, fragments) of the language: the key is the tag and a fingerprint of the fragments."""
    written = fragments(language)
    fingerprint = hashlib.sha256(msgspec.json.encode(written)).hexdigest()[:16]
    return f"{language.tag}/{fingerprint}", written


async def save(conn: asyncpg.Connection, language: Language) -> str:
    """Write the language's fragments unless they are there; return their key."""
    key, written = display_key(language)
    await conn.execute(queries.display_language_save, key, language.tag, written)
    return key


async def displayed(conn: asyncpg.Connection, language: Language, run: Callable[[str], Awaitable[T]]) -> T:
    """run(key) for a statement that writes in `language`; if the database lacks its fragments, they are
    written and the statement asked again. Not for a connection inside a transaction: the failed statement
    would end it."""
    key, _ = display_key(language)
    try:
        return await run(key)
    except asyncpg.PostgresError as exc:
        if exc.sqlstate != MISSING:
            raise
    await save(conn, language)
    return await run(key)
