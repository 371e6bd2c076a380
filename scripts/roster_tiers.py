"""Units of the tiers above the gminas, used by build_rosters.py: the Polish powiats (tier county)
and the voivodeships' self-governments (tier region), from the same TERC register as the gminas.

A city with powiat rights (miasto na prawach powiatu) is one government at two tiers: its gmina
(tier municipality, where the city's own facts go) and its powiat, kept as a unit of tier county and
kind `city_county` whose parent_id is that gmina, so that all 380 powiats are there for county
statistics. Population and area of a powiat or voivodeship are the sums of its gminas' (left empty
where a gmina has none).
"""

from __future__ import annotations

from collections import Counter, defaultdict

HEADER_EXTRA = ["tier"]


def genitive(adjective: str) -> str:
    """A voivodeship's name in the genitive, as 'Urząd Marszałkowski Województwa …' writes it: every
    one of the 16 is an adjective in -ie (dolnośląskie -> dolnośląskiego)."""
    return adjective[:-2] + "iego" if adjective.endswith("ie") else adjective


def _sums(gminas: list[dict]) -> tuple[int | None, float | None]:
    if not gminas or any(
        g["population"] in ("", None) or g["area_km2"] in ("", None) for g in gminas
    ):
        return None, None
    return sum(int(g["population"]) for g in gminas), sum(float(g["area_km2"]) for g in gminas)


def build_pl_tiers(
    ctx: dict, terc: list[dict], gminas: list[dict], regions: dict
) -> tuple[list[dict], dict]:
    """(rows of tiers_pl.csv, log): 380 powiats (314 land powiats, 66 cities with powiat rights) and
    16 voivodeships, each with its TERC code as national_code and teryt identifier."""
    check, row, fmt_area = ctx["check"], ctx["row"], ctx["fmt_area"]
    by_powiat: dict[str, list[dict]] = defaultdict(list)
    for g in gminas:
        by_powiat[g["national_code"][:4]].append(g)
    rows, log = [], {"no_figures": []}
    powiats = [r for r in terc if r["POW"] and not r["GMI"] and not r["RODZ"]]
    voivodeships = [r for r in terc if not r["POW"]]
    for r in powiats:
        code = r["WOJ"] + r["POW"]
        members = by_powiat.get(code, [])
        check(members, f"TERC powiat {code} has no gmina")
        city = "miasto" in r["NAZWA_DOD"]
        population, area = _sums(members)
        if population is None:
            log["no_figures"].append(f"{code} {r['NAZWA']}")
        if city:
            urban = [g for g in members if g["kind"] == "gmina_urban"]
            check(
                len(members) == 1 and len(urban) == 1,
                f"city powiat {code}: gminas {[g['id'] for g in members]}",
            )
            check(
                urban[0]["name_local"] == r["NAZWA"],
                f"city powiat {code}: {urban[0]['name_local']} != {r['NAZWA']}",
            )
            name, kind, parent = r["NAZWA"], "city_county", urban[0]["id"]
            extra = [f"Miasto na prawach powiatu {r['NAZWA']}", f"Powiat grodzki {r['NAZWA']}"]
        else:
            check(r["NAZWA_DOD"] == "powiat", f"TERC powiat {code}: {r['NAZWA_DOD']}")
            name, kind, parent, extra = f"powiat {r['NAZWA']}", "county", "", []
        rows.append(
            row(
                id=f"pl-{code}",
                country="PL",
                national_code=code,
                kind=kind,
                region=f"PL-{r['WOJ']}",
                parent_id=parent,
                counted="false",
                name_local=name,
                name_latin=name,
                population=population,
                population_year=2021 if population is not None else None,
                area_km2=fmt_area(area),
                lau=None,
                iso3166_2=None,
                name_variants="|".join(extra),
            )
            | {"tier": "county"}
        )
    for r in voivodeships:
        code = r["WOJ"]
        region = regions[f"PL-{code}"]
        check(
            region["name_local"].lower() == r["NAZWA"].lower(),
            f"PL-{code}: {region['name_local']} vs {r['NAZWA']}",
        )
        adjective = region["name_local"].lower()
        members = [g for g in gminas if g["national_code"][:2] == code]
        population, area = _sums(members)
        if population is None:
            log["no_figures"].append(f"{code} {adjective}")
        variants = [
            f"Samorząd Województwa {genitive(adjective).title()}",
            f"Urząd Marszałkowski Województwa {genitive(adjective).title()}",
            region["name_local"],
        ]
        rows.append(
            row(
                id=f"pl-{code}",
                country="PL",
                national_code=code,
                kind="regional_government",
                region=f"PL-{code}",
                parent_id="",
                counted="false",
                name_local=f"województwo {adjective}",
                name_latin=f"województwo {adjective}",
                population=population,
                population_year=2021 if population is not None else None,
                area_km2=fmt_area(area),
                lau=None,
                iso3166_2=f"PL-{code}",
                name_variants="|".join(variants),
            )
            | {"tier": "region"}
        )
    kinds = Counter(r["kind"] for r in rows)
    check(
        kinds == Counter({"county": 314, "city_county": 66, "regional_government": 16}),
        f"PL tiers {kinds}",
    )
    check(len({r["id"] for r in rows}) == len(rows) == 396, "PL tier ids")
    return rows, log


def render_sources_md(rows: list[dict], log: dict) -> str:
    kinds = Counter(r["kind"] for r in rows)
    return f"""
## `tiers_pl.csv` ({len(rows)} rows: tiers above the gminas)

- **Unit list, names, codes:** TERC 2026-01-01 (the same register as `municipalities_pl.csv`): every row
  with WOJ+POW and no GMI is a powiat ({kinds["county"] + kinds["city_county"]}: {kinds["county"]} land powiats,
  kind `county`, named `powiat <NAZWA>`; {kinds["city_county"]} cities with powiat rights, NAZWA_DOD
  `miasto na prawach powiatu` or `miasto stołeczne, na prawach powiatu`, kind `city_county`, named as the
  city); every row with WOJ only is a voivodeship ({kinds["regional_government"]}, kind `regional_government`,
  named `województwo <name>`, the self-government whose executive is the marshal office). Column `tier`:
  `county` or `region`. `id` = `pl-` + the TERC code (4 digits for a powiat, 2 for a voivodeship), which is
  also `national_code` and the `teryt` identifier; a voivodeship also has its ISO 3166-2 code (`PL-02`).
- **Cities with powiat rights:** one government at two tiers. The gmina (tier municipality, in
  `municipalities_pl.csv`) is where the city's facts go; its powiat is this file's `city_county` unit, whose
  `parent_id` is that gmina (the only gmina of the powiat, checked), so county statistics have all 380 powiats.
- **Names a source writes:** a voivodeship's `name_variants` hold `Samorząd Województwa …` and
  `Urząd Marszałkowski Województwa …` with the name in the genitive (every voivodeship name is an adjective
  in -ie: `dolnośląskie` → `dolnośląskiego`) and the region's name; a city powiat's hold `Miasto na prawach
  powiatu …` and `Powiat grodzki …`. Nothing else is added.
- **Population, area:** the sums of the unit's gminas in `municipalities_pl.csv` (31 Dec 2021); empty where a
  gmina has none (created 2025-01-01): {", ".join(log["no_figures"]) or "none"}.
- **counted** is false: rates count municipalities; statistics of another tier ask for it (`tier=county`).
"""  # noqa: E501 - the text of the Markdown file it writes, tables and all
