"""Language negotiation, gettext catalogues, labels next to codes, and display values.

The negotiated language lives in a context variable for the length of a request: `?lang=` first, then
`Accept-Language` (q-values, with fallbacks sr-Latn-RS -> sr-Latn -> sr), then English. Six languages
are full (`SUPPORTED`); any other language babel knows gets CLDR country names, dates and numbers with
English domain labels, and the response says so in `Content-Language`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext as gnu
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import msgspec
import pycountry
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from registry.labels import KEY_CATEGORY, LABELS, LIST_KEY_CATEGORY
from registry.settings import LOCALE_DIR
from registry.text import sr_cyrillic_to_latin, sr_latin_to_cyrillic

log = logging.getLogger(__name__)
DOMAIN = "registry"
SUPPORTED: dict[str, str] = {  # BCP 47 tag -> catalogue folder (and babel locale)
    "en": "en", "sl": "sl", "sr": "sr", "sr-Latn": "sr_Latn", "pl": "pl", "az": "az",
}
NAMES = {"en": "English", "sl": "Slovenščina", "sr": "Српски (ћирилица)", "sr-Latn": "Srpski (latinica)",
         "pl": "Polski", "az": "Azərbaycan dili"}


@dataclass(frozen=True)
class Language:
    """A negotiated language: `tag` as answered, `labels` the catalogue used for domain labels."""

    tag: str
    labels: str          # one of SUPPORTED; 'en' when falling back
    locale: Locale       # babel locale for country names, dates and numbers

    @property
    def full(self) -> bool:
        return self.tag == self.labels

    @property
    def script(self) -> str:
        """The script names of places are shown in by default."""
        return "Latn" if self.labels == "sr-Latn" else ("Cyrl" if self.labels == "sr" else "")

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
    """?lang= first (400 if unknown, or empty), then the best Accept-Language the registry can serve, then
    English."""
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
    """Translate a message into the current language. Never imported as `_`: `_` is only ever a throwaway
    (a `_` that shadowed it once crashed list paging; tests/test_conventions.py keeps it so)."""
    return catalogue().gettext(message)


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
    folder = str(language.locale).split("_")[0] if language.labels != "sr-Latn" else "sr@latin"
    translated = _subdivisions(folder).gettext(sub.name)
    return translated if translated != sub.name else fallback


def place_name(name_local: str, name_latin: str, country: str | None, script: str | None,
               language: Language | None = None) -> str:
    """A municipality's name in the requested script: Serbian names follow sr (Cyrillic) / sr-Latn."""
    language = language or current()
    wanted = script or language.script
    if wanted == "Latn":
        return name_latin or sr_cyrillic_to_latin(name_local)
    if wanted == "Cyrl" and country == "RS":
        return name_local if re.search(r"[\u0400-\u04FF]", name_local) else sr_latin_to_cyrillic(name_latin)
    return name_local


# ---------------------------------------------------------------- display values


def display_date(value: str | None, language: Language | None = None) -> str | None:
    """A partial date ('2003', '2016-03', '2006-09-11', 'a/b') written for the language, at its precision."""
    if not value:
        return None
    return _display_date(value, language or current())


@lru_cache(maxsize=65536)  # ~40 years of days in a few languages; babel's formatting is the costly part
def _display_date(value: str, language: Language) -> str:
    locale = language.locale
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{display_date(a, language)} – {display_date(b, language)}"
    try:
        if len(value) == 4:
            return format_skeleton("y", dt.date(int(value), 1, 1), locale=locale)
        if len(value) == 7:
            return format_skeleton("yMMMM", dt.date(int(value[:4]), int(value[5:7]), 1), locale=locale)
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
    return format_percent(round(value, 4), locale=(language or current()).locale, decimal_quantization=False)


# ---------------------------------------------------------------- response decoration

_DATE_KEYS = {"date", "since", "status_since", "joined", "started", "published", "published_on", "first_adopted",
              "valid_until", "last_audit", "next_due", "seen_on", "as_of", "roster_as_of",
              "certificates_valid_until", "target_first_adoption", "peers_first_adoption",
              "peers_median_adoption", "self_assessment", "improvement_plan", "external_feedback", "label"}
_NUMBER_KEYS = {"population", "area_km2", "denominator", "municipality_count"}
_OPAQUE = {"contributions", "components", "scaled", "parameters", "features", "rules"}
_YEAR_FIRST = re.compile(r"\d{4}")
_RATE_KEYS = {"holding_rate", "adopter_rate", "peers_holding_share", "adopted_earlier_than_share"}


# what each key asks for; keys not listed are copied (and objects and lists under them decorated)
_LABEL, _COUNTRY, _DATE, _CODE_LIST, _NUMBER, _RATE, _AS_IS = range(1, 8)


def _key_actions() -> dict[str, int]:
    groups = [(KEY_CATEGORY, _LABEL), (("country", "country_code"), _COUNTRY), (_DATE_KEYS, _DATE),
              (LIST_KEY_CATEGORY, _CODE_LIST), (_NUMBER_KEYS, _NUMBER), (_RATE_KEYS, _RATE), (_OPAQUE, _AS_IS)]
    actions: dict[str, int] = {}
    for keys, action in groups:
        for key in keys:
            assert key not in actions, f"{key} has two meanings"
            actions[key] = action
    return actions


_ACTIONS = _key_actions()
_CATEGORIES = {key: (c if isinstance(c, tuple) else (c,)) for key, c in KEY_CATEGORY.items()}


class _Memo:
    """One language's labels, display dates and country names, as plain dicts: decorating a profile looks up
    a few hundred of them, and a dict lookup is several times cheaper than a call through lru_cache."""

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
            if len(self.dates) < 100_000:  # the days of a few centuries; anything past that is not kept
                self.dates[value] = text
            return text

    def country(self, code: str) -> str | None:
        try:
            return self.countries[code]
        except KeyError:
            name = self.countries[code] = country_name(code, self.language) if len(code) == 2 else None
            return name

    def day(self, value: dt.date) -> tuple[str, str | None]:
        """A day as JSON writes it (ISO 8601) and as decorate() displays that: (written, display)."""
        try:
            return self.days[value]
        except KeyError:
            written = value.isoformat()
            pair = (written, self.date(written))
            if len(self.days) < 100_000:
                self.days[value] = pair
            return pair

    def key_label(self, key: str, code: str) -> str | None:
        """The label put under `<key>_label` for a code: that of its first category that has one (the one rule
        decorate(), the shaped decorators and the comparison's writer all follow)."""
        try:
            return self.key_labels[key, code]
        except KeyError:
            text = next((t for c in _CATEGORIES[key] if (t := self.label(c, code)) is not None), None)
            if len(self.key_labels) < 10_000:  # the codes are the vocabulary's; anything past that is not kept
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
    """The labels, display dates and country names of a language (the current one by default), for code that
    writes an answer already labelled instead of having it decorated."""
    return _memo(language or current())


def decorate(value: Any, language: Language | None = None) -> Any:
    """Add `<key>_label`, `<key>_display`, `country_name` and `name` next to machine values, recursively.

    Machine values are never changed; only keys are added. Values are JSON builtins (msgspec.to_builtins).
    """
    return _decorate(value, _memo(language or current()))


def _decorate(value: Any, memo: _Memo) -> Any:
    cls = value.__class__
    if cls is list:
        return [_decorate(v, memo) if v.__class__ is dict or v.__class__ is list else v for v in value]
    if cls is not dict:
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        action = _ACTIONS.get(key)
        cls = item.__class__
        if cls is dict or cls is list:
            if action == _AS_IS:  # maps of numbers keyed by feature or component: left as they are
                out[key] = item
                continue
            out[key] = _decorate(item, memo)
            if action == _CODE_LIST and cls is list and all(isinstance(i, str) for i in item):
                out[f"{key}_labels"] = [memo.label(LIST_KEY_CATEGORY[key], i) or i for i in item]
            continue
        out[key] = item
        if action is None:
            continue
        if cls is str:
            if action == _LABEL:
                text = memo.key_label(key, item)
                if text is not None:
                    out[f"{key}_label"] = text
            elif action == _DATE:
                text = memo.date(item)
                if text is not None:
                    out[f"{key}_display"] = text
            elif action == _COUNTRY and len(item) == 2:
                out["country_name"] = memo.country(item)
        elif cls is int or cls is float:
            if action == _NUMBER:
                out[f"{key}_display"] = display_number(item, memo.language)
            elif action == _RATE:
                out[f"{key}_display"] = display_percent(item, memo.language)
    language = memo.language
    code = value.get("code")
    if isinstance(code, str):
        if "alpha3" in value:  # a country
            out["label"] = country_name(code, language)
        elif "lifecycle" in value:  # a model
            out["label"] = label("model", code, language) or value.get("name")
            if value.get("description"):
                out["description_label"] = label("model_description", code, language) or value["description"]
        elif "edition_status" not in value and value.get("kind") in LABELS["region_kind"]:  # a region
            out["label"] = region_name(code, value.get("name_local") or code, language)
            return out
        elif isinstance(value.get("label"), str) and value["label"] in LABELS["edition"]:  # an edition
            out["label_localized"] = label("edition", value["label"], language)
    if "name_local" in value and "name_latin" in value and "name" not in value:
        out["name"] = place_name(value["name_local"], value["name_latin"],
                                 value.get("country") or value.get("country_code"), _script_wanted.get(), language)
    return out


def decorations(keys: frozenset[str] | set[str]) -> dict[str, dict]:
    """The keys decorate() may add to an object with these keys, each with its JSON Schema: the rules above,
    read by key (registry/openapi.py lists them in the OpenAPI document). Each is added only when its code
    has a label or its value can be displayed, so none is always present."""
    text, maybe = {"type": "string"}, {"type": ["string", "null"]}
    added: dict[str, dict] = {}
    for key in sorted(keys):
        action = _ACTIONS.get(key)
        if action == _LABEL:
            added[f"{key}_label"] = text
        elif action in (_DATE, _NUMBER, _RATE):
            added[f"{key}_display"] = text
        elif action == _COUNTRY:
            added["country_name"] = maybe
        elif action == _CODE_LIST:
            added[f"{key}_labels"] = {"type": "array", "items": text}
    if "code" in keys:
        if "alpha3" in keys:  # a country
            added["label"] = maybe
        elif "lifecycle" in keys:  # a model
            added["label"] = text
            if "description" in keys:
                added["description_label"] = text
        elif "edition_status" not in keys and "kind" in keys:  # a region: labelled, and named no further
            added["label"] = text
            return added
        elif "label" in keys:  # an edition
            added["label_localized"] = maybe
    if "name_local" in keys and "name_latin" in keys and "name" not in keys:
        added["name"] = text
    return added


_script_wanted: contextvars.ContextVar[str | None] = contextvars.ContextVar("script", default=None)


def activate_script(script: str | None) -> contextvars.Token:
    return _script_wanted.set(script)


def script_wanted() -> str | None:
    """`?script=` of this request (Latn or Cyrl), or None: the script argument of place_name()."""
    return _script_wanted.get()


def names_script(language: Language | None = None) -> str:
    """The script names of places are written in for this request: `?script=`, else the language's ('' for
    the local name), as place_name() chooses it."""
    return _script_wanted.get() or (language or current()).script


def rendering_key() -> tuple[str, str | None]:
    """What a decorated answer depends on besides its data: the language and the script of names."""
    return current().tag, _script_wanted.get()


def render_document(document: dict, shape: type[msgspec.Struct] | None = None) -> bytes:
    """A JSON document of plain dicts and lists (e.g. built by SQL): decorated for the current language and
    script, encoded as JSON. With `shape`, the struct the document follows field for field (as the SQL-built
    profile does; its tests check it), a decorator specialised to that shape does the
    same work with fewer Python operations (tests/test_i18n.py checks that both give the same document)."""
    memo = _memo(current())
    if shape is not None:
        return msgspec.json.encode(shaped_decorator(shape)(document, memo))
    return msgspec.json.encode(_decorate(document, memo))


# ---------------------------------------------------------------- decoration specialised to a shape
#
# decorate() looks up every key's meaning and every value's type as it walks. For a document that follows a
# struct exactly, both are known in advance: shaped_decorator() writes, once per struct, a function that
# copies each field and adds its label, display value or name in straight-line code, in the same order and
# with the same helpers as decorate(). Fields whose type is not a plain value or a struct (dicts, Any) are
# handed to decorate(). A document whose keys are not exactly the struct's is decorated the generic way.
# The source is generated from the struct's field names and this module's tables only, like dataclasses
# generates __init__.

_shaped: dict[type, Any] = {}


def shaped_decorator(shape: type[msgspec.Struct]) -> Any:
    """decorate() specialised to documents of `shape` (a msgspec Struct): f(document, memo) -> document."""
    compiled = _shaped.get(shape)
    if compiled is None:
        compiled = _shaped[shape] = _compile_shape(msgspec.inspect.type_info(shape))
    return compiled


_SCALARS = (msgspec.inspect.StrType, msgspec.inspect.IntType, msgspec.inspect.FloatType, msgspec.inspect.BoolType,
            msgspec.inspect.NoneType, msgspec.inspect.DateType, msgspec.inspect.DateTimeType,
            msgspec.inspect.LiteralType, msgspec.inspect.EnumType)


def _is_scalar(t: msgspec.inspect.Type) -> bool:
    if isinstance(t, msgspec.inspect.UnionType):
        return all(_is_scalar(u) for u in t.types)
    return isinstance(t, _SCALARS)


def _struct_of(t: msgspec.inspect.Type) -> msgspec.inspect.StructType | None:
    """The struct a field holds, alone or with None."""
    if isinstance(t, msgspec.inspect.UnionType):
        others = [u for u in t.types if not isinstance(u, msgspec.inspect.NoneType)]
        return _struct_of(others[0]) if len(others) == 1 else None
    return t if isinstance(t, msgspec.inspect.StructType) else None


def _compile_shape(info: msgspec.inspect.StructType) -> Any:
    names = [f.encode_name for f in info.fields]
    if "code" in names:  # countries, models, regions, editions: rules that read several fields; left generic
        return lambda value, memo: _decorate(value, memo)
    env: dict[str, Any] = {"_decorate": _decorate, "_script_wanted": _script_wanted, "place_name": place_name,
                           "display_number": display_number, "display_percent": display_percent,
                           "LIST_KEY_CATEGORY": LIST_KEY_CATEGORY, "_KEYS": frozenset(names)}
    lines = ["def shaped(v, memo):",
             "    if len(v) != len(_KEYS) or not _KEYS.issuperset(v):",
             "        return _decorate(v, memo)",
             "    out = {}"]
    for n, field in enumerate(info.fields):
        key, action = field.encode_name, _ACTIONS.get(field.encode_name)
        k = repr(key)
        lines.append(f"    x = v[{k}]")
        nested = _struct_of(field.type)
        items = field.type.item_type if isinstance(field.type, msgspec.inspect.ListType) else None
        if action == _AS_IS:
            lines.append(f"    out[{k}] = x")
        elif nested is not None and action != _CODE_LIST:
            env[f"_s{n}"] = shaped_decorator(nested.cls)
            lines.append(f"    out[{k}] = _s{n}(x, memo) if x.__class__ is dict else _decorate(x, memo)")
        elif items is not None and _struct_of(items) is not None and action != _CODE_LIST:
            env[f"_s{n}"] = shaped_decorator(_struct_of(items).cls)
            lines.append(f"    out[{k}] = [_s{n}(i, memo) if i.__class__ is dict else _decorate(i, memo) for i in x]"
                         f" if x.__class__ is list else _decorate(x, memo)")
        elif not _is_scalar(field.type):  # dicts, lists of plain values, Any: as decorate() does them
            lines.append("    if x.__class__ is dict or x.__class__ is list:")
            lines.append(f"        out[{k}] = _decorate(x, memo)")
            if action == _CODE_LIST:
                lines.append("        if x.__class__ is list and all(isinstance(i, str) for i in x):")
                lines.append(f"            out[{key + '_labels'!r}] = [memo.label(LIST_KEY_CATEGORY[{k}], i) or i for i in x]")
            lines.append("    else:")
            lines += ["    " + line for line in _scalar_lines(key, action)]
        else:
            lines += _scalar_lines(key, action)
    if "name_local" in names and "name_latin" in names and "name" not in names:
        lines.append("    out['name'] = place_name(v['name_local'], v['name_latin'], v.get('country') or "
                     "v.get('country_code'), _script_wanted.get(), memo.language)")
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<decorator for {info.cls.__name__}>", "exec"), env)  # noqa: S102
    return env["shaped"]


def _scalar_lines(key: str, action: int | None) -> list[str]:
    """decorate()'s work on one plain value `x` under `key`, as lines of the function body."""
    k = repr(key)
    lines = [f"    out[{k}] = x"]
    if action == _LABEL:
        lines.append("    if x.__class__ is str:")
        lines.append(f"        t = memo.key_label({k}, x)")
        lines.append("        if t is not None:")
        lines.append(f"            out[{key + '_label'!r}] = t")
    elif action == _DATE:
        lines.append("    if x.__class__ is str:")
        lines.append("        t = memo.date(x)")
        lines.append("        if t is not None:")
        lines.append(f"            out[{key + '_display'!r}] = t")
    elif action == _COUNTRY:
        lines.append("    if x.__class__ is str and len(x) == 2:")
        lines.append("        out['country_name'] = memo.country(x)")
    elif action == _NUMBER:
        lines.append("    if x.__class__ is int or x.__class__ is float:")
        lines.append(f"        out[{key + '_display'!r}] = display_number(x, memo.language)")
    elif action == _RATE:
        lines.append("    if x.__class__ is int or x.__class__ is float:")
        lines.append(f"        out[{key + '_display'!r}] = display_percent(x, memo.language)")
    return lines


def render_json(value: Any) -> bytes:
    """An answer as the API sends it (structs included): see render_document."""
    return render_document(msgspec.to_builtins(value))
