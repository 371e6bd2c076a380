"""The export: the whole curated dataset with its sources, in the import format, in an order an
import can replay (so importing an export into an empty registry reproduces it; a further citation
of a fact is the fact's row again with the other source and quote, which an import adds as a
citation)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable

import asyncpg

from registry.csvout import LINE_END, cell
from registry.db import queries

EXPORT_COLUMNS = [
    "record",
    "municipality",
    "country",
    "municipality_name",
    "tier",
    "parent",
    "kind",
    "name_local",
    "name_latin",
    "name_variants",
    "national_code",
    "region",
    "population",
    "population_year",
    "area_km2",
    "identifiers",
    "model",
    "model_name",
    "model_kind",
    "lifecycle",
    "description",
    "label",
    "rank",
    "status",
    "published",
    "withdrawn_on",
    "certificates_valid_until",
    "cycle_months",
    "surveillance_interval_months",
    "surveillance_grace_months",
    "label_validity_months",
    "activity_window_months",
    "scope",
    "type",
    "date",
    "date_precision",
    "date_kind",
    "edition",
    "level",
    "scheme_level",
    "body",
    "certificate_number",
    "valid_until",
    "major_nonconformities",
    "minor_nonconformities",
    "evidence_level",
    "score",
    "public",
    "scheme",
    "year",
    "category",
    "programme",
    "programme_name",
    "owner",
    "started",
    "joined",
    "source",
    "source_url",
    "source_document",
    "source_title",
    "source_publisher",
    "source_language",
    "source_published",
    "source_seen",
    "body_name",
    "short_name",
    "roles",
    "url",
    "aliases",
    "former_names",
    "quote",
    "unsourced",
    "note",
]


async def export_records(conn: asyncpg.Connection, private: bool) -> AsyncIterator[dict]:
    """Every curated record in the import format, in an order an import can replay."""
    # one consistent snapshot
    async with conn.transaction(readonly=True, isolation="repeatable_read"):
        for name in (
            "export_sources",
            "export_bodies",
            "export_models",
            "export_editions",
            "export_levels",
            "export_programmes",
            "export_municipalities",
            "export_adoptions",
            "export_events",
            "export_awards",
            "export_members",
            "export_citations",
        ):
            async for record in conn.cursor(getattr(queries, name), private):
                yield {k: v for k, v in json.loads(record["line"]).items() if v is not None}


def csv_tables(records: Iterable[dict]) -> dict[str, str]:
    """One CSV text per record type, with the export columns that type uses."""
    grouped: dict[str, list[dict]] = {}
    for r in records:
        grouped.setdefault(r["record"], []).append(r)
    out = {}
    for record, rows in grouped.items():
        columns = [col for col in EXPORT_COLUMNS if any(col in r for r in rows)]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator=LINE_END)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: cell(v) for k, v in r.items()})
        out[record] = buffer.getvalue()
    return out
