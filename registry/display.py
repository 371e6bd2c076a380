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

import datetime as dt
import hashlib
import os
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

import asyncpg
import msgspec
import pycountry
from babel.numbers import get_decimal_symbol, get_group_symbol

from registry.db import queries
from registry.i18n import Language, country_name, display_date, label
from registry.labels import KEY_CATEGORY, LABELS

MISSING = "RGD01"  # SQLSTATE raised by municipality_items_json when a language's fragments are not written yet
T = TypeVar("T")


def _json_text(text: str) -> str:
    return msgspec.json.encode(text).decode()


def _countries(language: Language) -> set[str]:
    """Every code a country name can be asked for: ISO 3166-1 and CLDR's two-letter territories (e.g. XK)."""
    codes = {c.alpha_2 for c in pycountry.countries}
    return codes | {code for code in language.locale.territories if len(code) == 2 and code.isalpha()}


_DAY, _MONTH, _YEAR = "\x01", "\x02", "\x03"  # where a date template has the day, month and year
_PROBE_YEAR = "2033"  # marked first, so that the day written with it (28) and month numbers are not taken for it


def _template(written: list[str]) -> tuple[str, list[str]] | None:
    """The twelve texts of one date, one per month, with the day and year already marked: their common
    beginning and end around the month's marker, and the twelve months' texts in between."""
    prefix = os.path.commonprefix(written)
    suffix = os.path.commonprefix([w[len(prefix):][::-1] for w in written])[::-1]
    months = [w[len(prefix):len(w) - len(suffix)] for w in written]
    if any(not m or _DAY in m or _YEAR in m for m in months):
        return None
    return prefix + _MONTH + suffix, months


def _format_string(template: str) -> str:
    """A template as SQL's format() takes it (migration 0023's display_day): its text as JSON writes it between
    quotes, with % doubled, and %1$s, %2$s, %3$s where the day, month and year go."""
    def text(piece: str) -> str:
        return _json_text(piece)[1:-1].replace("%", "%%")

    return "%3$s".join("%1$s".join("%2$s".join(text(piece) for piece in part.split(_MONTH))
                                   for part in year.split(_DAY)) for year in template.split(_YEAR))


def _filled(template: str, months: list[str], day: dt.date, padded: bool = False) -> str:
    """A date written with a template, as display_day() etc. in migration 0023 write it from its format string."""
    if _MONTH in template:
        template = template.replace(_MONTH, months[day.month - 1])
    return template.replace(_DAY, f"{day.day:02d}" if padded else str(day.day)).replace(_YEAR, str(day.year))


def date_templates(language: Language) -> dict[str, str] | None:
    """How i18n.display_date writes a year, a month and a day in the language, as templates SQL fills in:
    the day of the month, the month (a name, or a number, as the pattern writes it) and the year marked, with
    the month's twelve texts. Found by writing 2033, each of its months and the 28th of each, and checked on
    days of one and two digits in every month of four other years; None when the language's dates take
    another form (other digits, a weekday, an era), and then SQL does not write its profiles (no CLDR locale
    babel knows does that today)."""
    def shown(value: str) -> str:
        return display_date(value, language) or ""

    out: dict[str, str] = {}
    year = shown(_PROBE_YEAR)
    if year.count(_PROBE_YEAR) != 1:
        return None
    out["date:year"] = _format_string(year.replace(_PROBE_YEAR, _YEAR))
    months = [shown(f"{_PROBE_YEAR}-{m:02d}") for m in range(1, 13)]
    if any(w.count(_PROBE_YEAR) != 1 for w in months):
        return None
    month = _template([w.replace(_PROBE_YEAR, _YEAR) for w in months])
    days = [shown(f"{_PROBE_YEAR}-{m:02d}-28") for m in range(1, 13)]
    if month is None or any(w.count(_PROBE_YEAR) != 1 or w.count("28") != 1 for w in days):
        return None
    day = _template([w.replace(_PROBE_YEAR, _YEAR).replace("28", _DAY) for w in days])
    if day is None:
        return None
    padded = shown(f"{_PROBE_YEAR}-01-05") == _filled(*day, dt.date(int(_PROBE_YEAR), 1, 5), padded=True)
    for y in (1995, 2000, 2009, 2026):  # every month, days of one and two digits
        if shown(str(y)) != _filled(year.replace(_PROBE_YEAR, _YEAR), [], dt.date(y, 1, 1)):
            return None
        for m in range(1, 13):
            if shown(f"{y}-{m:02d}") != _filled(*month, dt.date(y, m, 1)):
                return None
            for d in (1, 5, 9, 10, 28):
                if shown(f"{y}-{m:02d}-{d:02d}") != _filled(*day, dt.date(y, m, d), padded):
                    return None
    out["date:month"] = _format_string(month[0])
    out["date:day"] = _format_string(day[0])
    for m in range(12):
        out[f"date:month:{m + 1}"] = _json_text(month[1][m])[1:-1]
        out[f"date:day:{m + 1}"] = _json_text(day[1][m])[1:-1]
    if padded:
        out["date:day_padded"] = ""
    return out


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
    # the region kinds decorate() gives a label (their name in the language) instead of a name
    for code in LABELS.get("region_kind", {}):
        out[f"region_kind:{code}"] = ""
    out.update(date_templates(language) or {})
    return out


def writes_dates(language: Language) -> bool:
    """Whether SQL can write the language's dates (date_templates), and so its profiles."""
    return "date:day" in display_key(language)[1]


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
