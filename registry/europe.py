"""`make seed-europe`: every Eurostat LAU unit (LAU 2019, ~99,000 in 34 countries) with population,
area and degree of urbanisation. Idempotent; units of countries with a national roster are matched
by their LAU code and enriched, never duplicated.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

import asyncpg

from registry.collation import refresh_sort_keys
from registry.curation.lau import (
    HR_KIND,
    LAU_FILE,
    LICENCE,
    SOURCE,
    hr_names,
    staged_rows,
    upsert_source,
)
from registry.db import queries

BATCH = 10_000


class Progress:
    """A one-line progress bar on a terminal, plain lines otherwise."""

    def __init__(
        self, total: int, out: TextIO = sys.stderr, label: str = "LAU units", every: int = 1
    ) -> None:
        self.total, self.done, self.out, self.start = total, 0, out, time.monotonic()
        self.label, self.every = label, max(1, every or total // 20)

    def advance(self, n: int) -> None:
        self.done += n
        if self.done % self.every and self.done < self.total:
            return
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        line = (
            f"{self.label} {self.done:>7,}/{self.total:,} "
            f"[{'#' * filled}{'.' * (width - filled)}] "
            f"{time.monotonic() - self.start:5.1f}s"
        )
        if self.out.isatty():
            self.out.write("\r" + line + ("\n" if self.done >= self.total else ""))
        else:
            self.out.write(line + "\n")
        self.out.flush()


async def load_europe(
    conn: asyncpg.Connection, path: Path = LAU_FILE, progress: bool = True
) -> dict:
    """Load the LAU table in one transaction; return what was added, matched and left aside."""
    rows = list(staged_rows(path))
    bar = Progress(len(rows), every=1) if progress else None
    columns = [
        "id",
        "country_code",
        "lau_key",
        "lau_code",
        "region_code",
        "name_local",
        "name_latin",
        "name_variants",
        "population",
        "area_km2",
        "degurba",
        "search_text",
    ]
    async with conn.transaction():
        await upsert_source(conn, SOURCE)
        roster_countries = [
            r["country_code"] for r in await conn.fetch(queries.europe_national_roster_countries)
        ]
        await conn.execute(queries.europe_clear_stage)
        for start in range(0, len(rows), BATCH):
            await conn.copy_records_to_table(
                "europe_stage", records=rows[start : start + BATCH], columns=columns
            )
            if bar:
                bar.advance(len(rows[start : start + BATCH]))
        matched = await conn.fetchval(queries.europe_count_matched)
        await conn.execute(queries.europe_upsert_regions)
        await conn.execute(queries.europe_update_matched)
        inserted = await conn.execute(queries.europe_insert_new, roster_countries, SOURCE["id"])
        await conn.execute(queries.europe_insert_identifiers)
        await conn.executemany(
            queries.europe_set_lau_kind,
            [(f"hr-{lau}", HR_KIND[r["kind"]]) for lau, r in hr_names().items()],
        )
        unmatched = await conn.fetch(queries.europe_unmatched_in_roster_countries, roster_countries)
        countries = await conn.fetch(queries.europe_countries_loaded, SOURCE["id"])
        for c in countries:
            await conn.execute(
                queries.link_country_roster_source, c["country_code"], SOURCE["id"], LICENCE
            )
            await conn.execute(
                queries.set_country_roster_if_unset,
                c["country_code"],
                "Eurostat LAU 2019 units. LAUs are not always local governments (e.g. Portuguese "
                "parishes, "
                "Irish electoral divisions), so adoption rates over them are not given as "
                "complete.",
            )
        await conn.execute(queries.europe_clear_stage)
        sort_keys = await refresh_sort_keys(conn)
    await conn.execute(queries.analyze_places)  # fresh statistics after a bulk load keep plans sane
    return {
        "rows": len(rows),
        "added": int(inserted.split()[-1]),
        "matched": matched,
        "unmatched_in_roster_countries": [dict(r) for r in unmatched],
        "countries": len(countries),
        "sort_keys": sort_keys,
    }
