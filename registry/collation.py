"""Sort keys that follow each language's alphabet (Polish Ł after L, Slovenian Č after C, Serbian
Cyrillic order, Azerbaijani Ə after E …).

The embedded PostgreSQL is built without ICU, so collation cannot be left to the database: keys are
computed here when names are written (table municipality_sort_key) and the database orders by them.
A key compares letters by their place in the language's alphabet first (case and accents ignored),
then accents, then case — the usual three collation levels. Letters outside the alphabet sort by
their base letter; other scripts come after the language's own.
"""

from __future__ import annotations

import unicodedata

import asyncpg

ALPHABETS: dict[str, list[str]] = {
    "en": list("abcdefghijklmnopqrstuvwxyz"),
    "pl": "a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w x y z ź ż".split(),
    "sl": "a b c č ć d đ e f g h i j k l m n o p q r s š t u v w x y z ž".split(),
    "sr": "а б в г д ђ е ж з и ј к л љ м н њ о п р с т ћ у ф х ц ч џ ш".split(),
    "sr-Latn": "a b c č ć d dž đ e f g h i j k l lj m n nj o p q r s š t u v w x y z ž".split(),
    "az": "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z".split(),
}
LANGUAGES = tuple(ALPHABETS)


def _tables(language: str) -> tuple[dict[str, int], list[str]]:
    letters = ALPHABETS[language]
    return {letter: index for index, letter in enumerate(letters)}, sorted(
        (letter for letter in letters if len(letter) > 1), key=len, reverse=True
    )


_TABLES = {language: _tables(language) for language in ALPHABETS}
_OTHER_SCRIPT = 0x400  # primary weights of letters outside the alphabet start here


_STROKED = {
    "ł": "l",
    "đ": "d",
    "ø": "o",
    "œ": "o",
    "æ": "a",
    "ß": "s",
    "ı": "i",
    "ə": "e",
    "ħ": "h",
}
_TURKIC_LOWER = {"I": "ı", "İ": "i"}


def _base(ch: str) -> str:
    if ch in _STROKED:
        return _STROKED[ch]
    return (
        "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)) or ch
    )


def sort_key(name: str, language: str) -> bytes:
    """A byte string whose order is the language's alphabetical order of `name`."""
    order, digraphs = _TABLES[language]
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    text = unicodedata.normalize("NFC", name)
    i = 0
    while i < len(text):
        chunk = next((d for d in digraphs if text[i : i + len(d)].lower() == d), None) or text[i]
        i += len(chunk)
        lower = _TURKIC_LOWER.get(chunk, chunk.lower()) if language == "az" else chunk.lower()
        if lower in order:
            weight, accent = order[lower] + 1, 0
        elif not lower.isalnum():
            if lower.isspace() or lower in "-'’.,/()":
                primary.append(0)  # word separators sort before every letter
                secondary.append(0)
                tertiary.append(0)
            continue
        elif lower.isdigit():
            weight, accent = 0x80 + int(lower) if lower.isascii() else 0x8A, 0
        else:
            base = _base(lower)
            if base not in order:  # a character whose lower case is several ('İ'): its first
                base = base[:1] or lower[:1]
            if base in order:
                weight = order[base] + 1
            elif base.isascii():
                weight = 0x100 + ord(base)
            else:
                weight = _OTHER_SCRIPT + ord(base)
            accent = (
                1
                + sum(
                    ord(c) for c in unicodedata.normalize("NFD", lower) if unicodedata.combining(c)
                )
                % 250
            )
        primary.append(weight)
        secondary.append(accent)
        tertiary.append(0 if chunk == lower or chunk.lower() == lower else 1)
    out = bytearray()
    for weight in primary:
        out += weight.to_bytes(3, "big")
    out += b"\x00\x00\x00"
    out += bytes(secondary) + b"\x00" + bytes(tertiary)
    return bytes(out)


def name_for(language: str, name_local: str, name_latin: str) -> str:
    """The name a list sorted in `language` shows: Serbian units in Latin for sr-Latn, else the
    local name."""
    if language == "sr-Latn":
        return name_latin or name_local
    return name_local


async def refresh_sort_keys(conn: asyncpg.Connection, ids: list[str] | None = None) -> int:
    """Compute the missing or stale sort keys of municipalities `ids` (None: all) in every language;
    return how many.

    Call inside a transaction: the keys are staged in a transaction-local table and merged in one
    statement.
    """
    from registry.db import queries  # late: keeps this module importable without the query files

    stale = []
    for language in LANGUAGES:
        for r in await conn.fetch(queries.names_needing_sort_keys, language, ids):
            name = name_for(language, r["name_local"], r["name_latin"])
            if r["keyed_name"] != name:
                stale.append((r["id"], language, name, sort_key(name, language)))
    if stale:
        await conn.execute(queries.sort_key_stage)
        await conn.execute(queries.sort_key_stage_clear)
        await conn.copy_records_to_table(
            "sort_key_stage", records=stale, columns=["municipality_id", "lang", "name", "key"]
        )
        await conn.execute(queries.sort_key_merge)
    return len(stale)
