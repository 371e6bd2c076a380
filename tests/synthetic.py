"""A small synthetic fixture (municipalities marked synthetic, facts marked unsourced) with
expectations computed by hand in tests/test_analytics.py. Andorra (AD) stands for a country with a
complete roster, Liechtenstein (LI) for one without."""

from __future__ import annotations

import asyncpg

from registry.dates import parse_partial
from registry.status import store

MUNICIPALITIES = [
    # id, country, population, area_km2
    ("ad-syn-1", "AD", 1000, 10.0),
    ("ad-syn-2", "AD", 3000, 30.0),
    ("ad-syn-3", "AD", 3500, 30.0),
    ("ad-syn-4", "AD", 50000, 100.0),
    ("ad-syn-5", "AD", 800, 5.0),
    ("li-syn-1", "LI", 5000, 20.0),
    ("li-syn-2", "LI", 6000, 25.0),
    ("li-syn-3", "LI", None, 12.0),
]
_ISO_RUN = [
    ("certification", "2019-03-01", "2015"),
    ("surveillance", "2020-02-15"),
    ("surveillance", "2021-02-15"),
    ("recertification", "2022-02-20"),
]
ADOPTIONS = {
    ("ad-syn-1", "ISO9001"): _ISO_RUN,
    ("ad-syn-2", "ISO9001"): _ISO_RUN,
    ("ad-syn-3", "ISO9001"): _ISO_RUN,
    ("ad-syn-1", "CAF"): [
        ("self_assessment", "2021"),
        ("improvement_plan", "2022-02-01"),
        ("external_feedback", "2022-09-01"),
        ("label_granted", "2023-01-15"),
    ],
    ("ad-syn-4", "CAF"): [("self_assessment", "2023-05-10")],
    ("li-syn-1", "ISO9001"): [
        ("certification", "2020-06-01", "2015"),
        ("surveillance", "2021-05-01"),
    ],
    ("li-syn-2", "ISO9001"): [
        ("certification", "2017-01-10", "2008"),
        ("surveillance", "2018-01-09"),
    ],
}
AWARDS = [("ad-syn-1", "PNJ", 2021)]
PROGRAMME = (
    "syn-caf-cohort",
    "CAF",
    [("ad-syn-1", "2020-01-01"), ("ad-syn-4", "2022-01-01"), ("ad-syn-2", "2020-06-01")],
)


async def load(conn: asyncpg.Connection) -> None:
    """Insert the fixture (test-only SQL, parameters only)."""
    await conn.execute(
        "UPDATE country SET roster_complete = true, roster_as_of = '2020-01-01' WHERE code = 'AD'"
    )
    for mid, country, population, area in MUNICIPALITIES:
        await conn.execute(
            "INSERT INTO municipality (id, country_code, kind, name_local, name_latin, "
            "population, area_km2,"
            " search_text, synthetic) VALUES ($1, $2, 'municipality', $1, $1, $3, $4, $1, true)",
            mid,
            country,
            population,
            area,
        )
    for (mid, model), events in ADOPTIONS.items():
        adoption_id = await conn.fetchval(
            "INSERT INTO adoption (municipality_id, model_code) VALUES ($1, $2) RETURNING id",
            mid,
            model,
        )
        for type_, date, *edition in events:
            when = parse_partial(date)
            await conn.execute(
                "INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, "
                "edition_code, model_code,"
                " evidence_level, unsourced) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                "'third_party_certificate', true)",
                adoption_id,
                type_,
                when.start,
                when.end,
                when.precision,
                edition[0] if edition else None,
                model,
            )
    for mid, scheme, year in AWARDS:
        await conn.execute(
            "INSERT INTO award (municipality_id, scheme_code, year, level, date_from, date_to, "
            "date_precision,"
            " unsourced) VALUES ($1, $2, $3::int, 'laureate', make_date($3::int, 1, 1), "
            "make_date($3::int, 12, 31), 'year', true)",
            mid,
            scheme,
            year,
        )
    programme_id, model, members = PROGRAMME
    await conn.execute(
        "INSERT INTO programme (id, name, model_code) VALUES ($1, 'Synthetic CAF cohort', $2)",
        programme_id,
        model,
    )
    for mid, joined in members:
        when = parse_partial(joined)
        await conn.execute(
            "INSERT INTO programme_member (programme_id, municipality_id, joined_from, joined_to, "
            "joined_precision)"
            " VALUES ($1, $2, $3, $4, $5)",
            programme_id,
            mid,
            when.start,
            when.end,
            when.precision,
        )
    # written here in SQL, not through the writes that keep the status spans
    async with conn.transaction():
        await store.refresh(conn, [r["id"] for r in await conn.fetch("SELECT id FROM adoption")])
