"""Language negotiation, gettext catalogues, labels next to codes, and display values.

The negotiated language lives in a context variable for the length of a request: `?lang=` first,
then `Accept-Language` (q-values, with fallbacks sr-Latn-RS -> sr-Latn -> sr), then English. Six
languages are full (`SUPPORTED`); any other language babel knows gets CLDR country names, dates and
numbers with English domain labels, and the response says so in `Content-Language`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext as gnu
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from registry.labels import KEY_CATEGORY, LABELS
from registry.settings import LOCALE_DIR
from registry.text import sr_cyrillic_to_latin, sr_latin_to_cyrillic

log = logging.getLogger(__name__)
DOMAIN = "registry"
SUPPORTED: dict[str, str] = {  # BCP 47 tag -> catalogue folder (and babel locale)
    "en": "en",
    "sl": "sl",
    "sr": "sr",
    "sr-Latn": "sr_Latn",
    "pl": "pl",
    "az": "az",
}
NAMES = {
    "en": "English",
    "sl": "Slovenščina",
    "sr": "Српски (ћирилица)",
    "sr-Latn": "Srpski (latinica)",
    "pl": "Polski",
    "az": "Azərbaycan dili",
}


@dataclass(frozen=True)
class Language:
    """A negotiated language: `tag` as answered, `labels` the catalogue used for domain labels."""

    tag: str
    labels: str  # one of SUPPORTED; 'en' when falling back
    locale: Locale  # babel locale for country names, dates and numbers

    @property
    def full(self) -> bool:
        return self.tag == self.labels

    @property
    def script(self) -> str:
        """The script names of places are shown in by default."""
        # every other catalogue is written in Latin script
        return "Cyrl" if self.labels == "sr" else "Latn"

    def __hash__(self) -> int:  # the locale follows from the tag: hashing it (babel's way) is slow
        return hash((self.tag, self.labels))

    def content_language(self) -> str:
        return self.tag if self.full else f"{self.tag}, {self.labels}"


ENGLISH = Language("en", "en", Locale("en"))
_current: contextvars.ContextVar[Language] = contextvars.ContextVar("language", default=ENGLISH)


class UnsupportedLanguage(ValueError):
    pass


def _canonical(tag: str) -> str:
    """'sr_latn_rs' -> 'sr-Latn-RS' (BCP 47 casing)."""
    parts = re.split(r"[-_]", tag.strip())
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p.lower())
    return "-".join(out)


def _fallbacks(tag: str) -> list[str]:
    """'sr-Latn-RS' -> ['sr-Latn-RS', 'sr-Latn', 'sr']; 'sr-RS' -> ['sr-RS', 'sr']."""
    parts = tag.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


@lru_cache(maxsize=256)
def resolve(tag: str) -> Language | None:
    """The Language for one tag, or None if neither the registry nor babel knows it."""
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", tag):
        return None
    tag = _canonical(tag)
    for candidate in _fallbacks(tag):
        if candidate in SUPPORTED:
            return Language(candidate, candidate, Locale.parse(SUPPORTED[candidate]))
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return Language(_fallbacks(tag)[-1] if locale.territory is None else tag, "en", locale)


def parse_accept_language(header: str) -> list[str]:
    """Language tags by descending q-value (ties keep their order); '*' and q=0 are dropped."""
    weighted = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            weighted.append((-q, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(lang: str | None, accept_language: str | None) -> Language:
    """?lang= first (400 if unknown, or empty), then the best Accept-Language the registry can
    serve, then English."""
    if lang is not None:
        found = resolve(lang)
        if found is None:
            raise UnsupportedLanguage(lang)
        return found
    for tag in parse_accept_language(accept_language or ""):  # the client's order of preference
        found = resolve(tag)
        if found is not None:
            return found
    return ENGLISH


def activate(language: Language) -> contextvars.Token:
    return _current.set(language)


def current() -> Language:
    return _current.get()


@lru_cache(maxsize=16)
def _catalogue(folder: str) -> gnu.NullTranslations:
    """The compiled catalogue of one folder, opened by path (no locale-alias guessing)."""
    if folder == "en":
        return gnu.NullTranslations()
    path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fh:
            return gnu.GNUTranslations(fh)
    except OSError:
        # an install that skipped `make messages`: answer in English rather than fail every request
        log.error("message catalogue %s is missing; run `make messages`", path)
        return gnu.NullTranslations()


def catalogue(language: Language | None = None) -> gnu.NullTranslations:
    return _catalogue(SUPPORTED[(language or current()).labels])


def gettext(message: str) -> str:
    """Translate a message into the current language. Never imported as `_`: `_` is only ever a
    throwaway (a `_` that shadowed it once crashed list paging; tests/test_conventions.py keeps it
    so)."""
    return catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that agrees with the count `n`, in the current language: chosen by the
    catalogue's Plural-Forms rule (sl 4 forms, sr and sr-Latn 3, pl 3, az 2; English: singular for
    1). Use it wherever a count stands next to a noun; the caller still formats `n` into the text.
    sr-Latn reads the same catalogue gettext() does, transliterated from sr by `scripts/i18n.py
    latin`."""
    return catalogue().ngettext(singular, plural, n)


def label(category: str, code: str, language: Language | None = None) -> str | None:
    """The label of `code` in `category`, or None if the code is not one of the category's."""
    return _label(category, code, language or current())


@lru_cache(maxsize=16384)  # labels are fixed for a release: computed once per code and language
def _label(category: str, code: str, language: Language) -> str | None:
    english = LABELS.get(category, {}).get(code)
    if english is None:
        return None
    text = catalogue(language).pgettext(category, english)
    return _script(text, language)


def _script(text: str, language: Language) -> str:
    return sr_cyrillic_to_latin(text) if language.labels == "sr-Latn" else text


# ---------------------------------------------------------------- places


def country_name(code: str, language: Language | None = None) -> str | None:
    """CLDR's name of a country in the language (babel), else pycountry's English name."""
    return _country_name(code, language or current())


@lru_cache(maxsize=4096)
def _country_name(code: str, language: Language) -> str | None:
    name = language.locale.territories.get(code.upper())
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else None


@lru_cache(maxsize=64)
def _subdivisions(folder: str) -> gnu.NullTranslations:
    try:
        return gnu.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[folder])
    except OSError:
        return gnu.NullTranslations()


def region_name(code: str, fallback: str, language: Language | None = None) -> str:
    """ISO 3166-2 subdivision name in the language where pycountry has it, else the stored name."""
    language = language or current()
    sub = pycountry.subdivisions.get(code=code) if "-" in code else None
    if sub is None:
        return fallback
    # iso-codes' sr@latin lacks names its Cyrillic sr has: transliterated
    if language.labels == "sr-Latn":
        translated = _subdivisions("sr@latin").gettext(sub.name)
        if (
            translated == sub.name
            and (cyrillic := _subdivisions("sr").gettext(sub.name)) != sub.name
        ):
            translated = sr_cyrillic_to_latin(cyrillic)
    else:
        translated = _subdivisions(str(language.locale).split("_")[0]).gettext(sub.name)
    return translated if translated != sub.name else fallback


def place_name(
    name_local: str,
    name_latin: str,
    country: str | None,
    script: str | None,
    language: Language | None = None,
) -> str:
    """A municipality's name in the requested script: Serbian names follow sr (Cyrillic) /
    sr-Latn."""
    language = language or current()
    wanted = script or language.script
    if wanted == "Latn":
        return name_latin or sr_cyrillic_to_latin(name_local)
    if wanted == "Cyrl" and country == "RS":
        return (
            name_local
            if re.search(r"[\u0400-\u04FF]", name_local)
            else sr_latin_to_cyrillic(name_latin)
        )
    return name_local


# ---------------------------------------------------------------- display values


def display_date(value: str | None, language: Language | None = None) -> str | None:
    """A partial date ('2003', '2016-03', '2006-09-11', 'a/b') written for the language, at its
    precision."""
    if not value:
        return None
    return _display_date(value, language or current())


# ~40 years of days in a few languages; babel's formatting is the costly part
@lru_cache(maxsize=65536)
def _display_date(value: str, language: Language) -> str:
    locale = language.locale
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{display_date(a, language)} – {display_date(b, language)}"
    try:
        if len(value) == 4:
            return format_skeleton("y", dt.date(int(value), 1, 1), locale=locale)
        if len(value) == 7:
            return format_skeleton(
                "yMMMM", dt.date(int(value[:4]), int(value[5:7]), 1), locale=locale
            )
        return format_date(dt.date.fromisoformat(value[:10]), format="long", locale=locale)
    except ValueError:
        return value


def display_number(value: float | int | None, language: Language | None = None) -> str | None:
    if value is None:
        return None
    return _display_number(value, language or current())


@lru_cache(maxsize=65536, typed=True)
def _display_number(value: float | int, language: Language) -> str:
    return format_decimal(value, locale=language.locale)


def display_percent(value: float | None, language: Language | None = None) -> str | None:
    if value is None:
        return None
    # the language's own percent pattern, with at most two decimals
    return format_percent(
        round(value, 4), locale=(language or current()).locale, decimal_quantization=False
    )


# ---------------------------------------------------------------- one language's labels, memoised

_YEAR_FIRST = re.compile(r"\d{4}")
_CATEGORIES = {key: (c if isinstance(c, tuple) else (c,)) for key, c in KEY_CATEGORY.items()}


class _Memo:
    """One language's labels, display dates and country names, as plain dicts: decorating a profile
    looks up a few hundred of them, and a dict lookup is several times cheaper than a call through
    lru_cache."""

    __slots__ = ("language", "labels", "dates", "countries", "key_labels", "days")

    def __init__(self, language: Language) -> None:
        self.language = language
        self.labels: dict[tuple[str, str], str | None] = {}
        self.dates: dict[str, str | None] = {}
        self.countries: dict[str, str | None] = {}
        self.key_labels: dict[tuple[str, str], str | None] = {}
        self.days: dict[dt.date, tuple[str, str | None]] = {}

    def label(self, category: str, code: str) -> str | None:
        try:
            return self.labels[category, code]
        except KeyError:
            text = self.labels[category, code] = _label(category, code, self.language)
            return text

    def date(self, value: str) -> str | None:
        try:
            return self.dates[value]
        except KeyError:
            text = display_date(value, self.language) if _YEAR_FIRST.match(value) else None
            # the days of a few centuries; anything past that is not kept
            if len(self.dates) < 100_000:
                self.dates[value] = text
            return text

    def country(self, code: str) -> str | None:
        try:
            return self.countries[code]
        except KeyError:
            name = self.countries[code] = (
                country_name(code, self.language) if len(code) == 2 else None
            )
            return name

    def day(self, value: dt.date) -> tuple[str, str | None]:
        """A day as JSON writes it (ISO 8601) and as decorate() displays that: (written,
        display)."""
        try:
            return self.days[value]
        except KeyError:
            written = value.isoformat()
            pair = (written, self.date(written))
            if len(self.days) < 100_000:
                self.days[value] = pair
            return pair

    def key_label(self, key: str, code: str) -> str | None:
        """The label put under `<key>_label` for a code: that of its first category that has one
        (the one rule decorate(), the shaped decorators and the comparison's writer all follow)."""
        try:
            return self.key_labels[key, code]
        except KeyError:
            text = next(
                (t for c in _CATEGORIES[key] if (t := self.label(c, code)) is not None), None
            )
            # the codes are the vocabulary's; anything past that is not kept
            if len(self.key_labels) < 10_000:
                self.key_labels[key, code] = text
            return text


Labeller = _Memo  # the public name of what labeller() gives
_memos: dict[Language, _Memo] = {}


def _memo(language: Language) -> _Memo:
    memo = _memos.get(language)
    if memo is None:
        if len(_memos) > 256:  # any CLDR language may be asked for; keep the table small
            _memos.clear()
        memo = _memos[language] = _Memo(language)
    return memo


def labeller(language: Language | None = None) -> Labeller:
    """The labels, display dates and country names of a language (the current one by default), for
    code that writes an answer already labelled instead of having it decorated."""
    return _memo(language or current())


_script_wanted: contextvars.ContextVar[str | None] = contextvars.ContextVar("script", default=None)


def activate_script(script: str | None) -> contextvars.Token:
    return _script_wanted.set(script)


def script_wanted() -> str | None:
    """`?script=` of this request (Latn or Cyrl), or None: the script argument of place_name()."""
    return _script_wanted.get()


def names_script(language: Language | None = None) -> str:
    """The script names of places are written in for this request: `?script=`, else the language's,
    as place_name() chooses it."""
    return _script_wanted.get() or (language or current()).script


def rendering_key() -> tuple[str, str | None]:
    """What a decorated answer depends on besides its data: the language and the script of names."""
    return current().tag, _script_wanted.get()
