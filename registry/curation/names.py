"""A holder's name as people write it, taken apart for matching.

Sources name a municipality with its office ('Kraków (Urząd Miasta Krakowa)'), its status ('Grad
Opatija', 'GRAD KOPRIVNICA', 'Gmina Korfantów', 'Општина Струмица', 'Gemeente Heerlen'), in two
scripts or languages ('Danilovgrad / Даниловград'), in English ('Belgrade'), or with a qualifier
('Puławy (rural gmina)', 'Centar (Sarajevo)'). `readings()` gives the names to look up, most literal
first; `hints()` what the words around the name say about the holder's kind; `settle()` narrows
several units of one name by what a row says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from registry.text import fold

# Words before or after a name that say what kind of unit it is (folded: lower case, Latin, no
# diacritics). The longest first, so 'urzad miasta i gminy' goes before 'urzad miasta'.
_PREFIXES = sorted(
    [
        "urzad miasta i gminy",
        "urzad miasta",
        "urzad miejski w",
        "urzad miejski",
        "urzad gminy",
        "gmina miejska",
        "gmina wiejska",
        "gmina miejsko wiejska",
        "gmina",
        "miasto stoleczne",
        "miasto",
        "m st",
        "starostwo powiatowe w",
        "powiat",
        "urzad marszalkowski wojewodztwa",
        "samorzad wojewodztwa",
        "wojewodztwo",
        "grad",
        "opcina",
        "opstina",
        "obcina",
        "mestna obcina",
        "gemeente",
        "bashkia",
        "komuna",
        "stadt",
        "gemeinde",
        "city of",
        "town of",
        "municipality of",
        "the city of",
        "the municipality of",
        "city municipality",
        "gradska opstina",
        "gradska opcina",
        "opshtina",
        "rayon",
        "rayonu",
        "sehir",
        "zupanija",
        "county of",
        "municipio",
        "comune",
        "commune",
        "obec",
        "mesto",
        "kommune",
        "sveitarfelag",
    ],
    key=len,
    reverse=True,
)
_SUFFIXES = sorted(
    [
        "municipality",
        "city",
        "town",
        "county",
        "opcina",
        "obcina",
        "opstina",
        "gmina",
        "rayonu",
        "rayon",
        "sehri",
        "city council",
        "city hall",
        "municipal council",
        "zupanija",
        "voivodeship",
        "powiat",
    ],
    key=len,
    reverse=True,
)
# words that say a unit is a city or town (an urban gmina, a grad, an urban municipality) or a rural
# one
URBAN_WORDS = {
    "miasto",
    "miasta",
    "miejski",
    "miejska",
    "grad",
    "grada",
    "gradska",
    "mestna",
    "city",
    "town",
    "stadt",
    "urban",
    "urbana",
    "sehir",
    "sehri",
    "mesto",
}
RURAL_WORDS = {"wiejska", "wiejskiej", "rural", "village", "selo", "gmina", "gminy"}
URBAN_KINDS = frozenset(("city", "urban_municipality", "city_municipality", "gmina_urban"))
RURAL_KINDS = frozenset(("gmina_rural", "gmina_urban_rural", "municipality", "commune"))
_PAREN = re.compile(r"\(([^()]*)\)")


def strip_words(folded: str) -> str:
    """A folded name without the words for its kind around it: 'grad opatija' -> 'opatija'."""
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
                folded, changed = folded[len(prefix) + 1 :], True
                break
        for suffix in _SUFFIXES:
            if folded.endswith(" " + suffix) and len(folded) > len(suffix) + 1:
                folded, changed = folded[: -len(suffix) - 1], True
                break
    return folded


def readings(*names: str | None) -> tuple[list[str], list[str]]:
    """(literal, loosened): the folded names as written, then the same without brackets, kind words
    and the other half of 'A / B', each list without repeats. A lookup tries the first list, then
    the second."""
    literal: list[str] = []
    loose: list[str] = []
    for name in names:
        if not name:
            continue
        whole = fold(name)
        if whole and whole not in literal:
            literal.append(whole)
        for part in re.split(r"\s+/\s+|\s*;\s*", name):
            inner = [fold(p) for p in _PAREN.findall(part)]
            base = fold(_PAREN.sub(" ", part))
            for candidate in (
                base,
                strip_words(base),
                *(f"{strip_words(base)} {i}" for i in inner if i),
            ):
                if candidate and candidate not in literal and candidate not in loose:
                    loose.append(candidate)
    return literal, loose


def hints(*names: str | None) -> tuple[set[str], list[str]]:
    """What the words of the names say: ({'urban'} or {'rural'} or both or neither, the bracketed
    qualifiers other than office names, e.g. ['sarajevo'] for 'Centar (Sarajevo)')."""
    found: set[str] = set()
    qualifiers: list[str] = []
    for name in names:
        if not name:
            continue
        words = set(re.findall(r"[a-z0-9]+", fold(name)))
        if words & URBAN_WORDS:
            found.add("urban")
        if words & RURAL_WORDS:
            found.add("rural")
        for inner in _PAREN.findall(name):
            folded = fold(inner)
            if folded and not set(re.findall(r"[a-z0-9]+", folded)) & (
                URBAN_WORDS | RURAL_WORDS | {"urzad", "office"}
            ):
                qualifiers.append(folded)
    return found, qualifiers


def index_forms(name: str) -> set[str]:
    """The folded forms a stored name is found by: as it is and without its kind words."""
    folded = fold(name)
    return {f for f in (folded, strip_words(folded)) if f}


# ---------------------------------------------------------------- units by the names rows give


def unit_forms(unit: dict) -> set[str]:
    """The forms a unit (a row of holders_of_country) is found by, computed once."""
    forms = unit.get("_forms")
    if forms is None:
        forms = set()
        for name in (unit["name_local"], unit["name_latin"], *unit["name_variants"]):
            forms |= index_forms(name)
        unit["_forms"] = forms
    return forms


def describe(unit: dict) -> str:
    """A candidate as an error lists it: id, name, kind, region, population, parent."""
    code, name = unit["region_code"], unit["region_name"]
    region = f"{code} {name}" if code and name and name != code else code
    population = f", population {unit['population']:,}" if unit["population"] is not None else ""
    parent = f", part of {unit['parent_id']}" if unit["parent_id"] else ""
    where = f"{unit['kind']}, {region or 'no region'}{population}{parent}"
    return f"{unit['id']} {unit['name_latin']} ({where})"


def described(units: Any) -> list[str]:
    """Each unit once, described (several forms of one name may find the same unit)."""
    return list(dict.fromkeys(describe(u) for u in units))


def _qualified_by(q: str) -> Callable[[dict], bool]:
    """A unit test: the qualifier names its parent or region, or is part of its name."""
    return lambda u: (
        q in {fold(x or "") for x in (u["parent_name"], u["region_name"])}
        or q in index_forms(u["name_latin"])
        or any(q in f for f in unit_forms(u))
    )


def settle(
    units: list[dict], written: list[str], kind: str | None, region: Any, parent: str | None = None
) -> list[dict]:
    """Narrow several units of one name: a unit over its own sub-units, then what the row says."""
    ids = {u["id"] for u in units}
    if len(units) > 1:
        units = [u for u in units if u["parent_id"] not in ids] or units
    urban_rural, qualifiers = hints(*written)
    steps: list[Callable[[dict], bool]] = []
    if parent:
        steps.append(lambda u: u["parent_id"] == parent)
    if kind:
        steps.append(lambda u: u["kind"] == kind)
    if region:
        parts = [fold(p) for p in re.split(r"\s*/\s*|\s*,\s*", str(region)) if p.strip()]
        steps.append(
            lambda u: any(
                p
                and p
                in {
                    fold(x or "")
                    for x in (u["region_code"], u["region_name"], u["parent_region_name"])
                }
                for p in parts
            )
        )
    for qualifier in qualifiers:
        steps.append(_qualified_by(qualifier))
    if urban_rural == {"urban"}:
        steps.append(lambda u: u["kind"] in URBAN_KINDS)
    elif urban_rural == {"rural"}:
        steps.append(lambda u: u["kind"] in RURAL_KINDS)
    for step in steps:
        if len(units) <= 1:
            break
        narrowed = [u for u in units if step(u)]
        units = narrowed or units
    # A town and the rural gmina around it share a name (Ostrów Mazowiecka): the rural one is
    # written 'Gmina X', so a bare name with no word for either is the town.
    urban = [u for u in units if u["kind"] in ("gmina_urban", "city", "urban_municipality")]
    if (
        len(units) > 1
        and not urban_rural
        and not kind
        and len(urban) == 1
        and all(u["kind"].startswith("gmina_") or u in urban for u in units)
    ):
        units = urban
    return units
