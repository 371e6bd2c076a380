"""A research spreadsheet's record (seeds/evidence/records.jsonl, the layout of the evidence sample)
as an import row: field to field, no value changed (docs/curation.md, "From a research
spreadsheet"). The import reads the research wording itself (event types, precisions, tiers, model
kinds, body roles)."""

from __future__ import annotations

from typing import Any

# research field -> import column
MAPPING = {
    "id": "reference",
    "entity_type": "tier",
    "name_local": "municipality_name",
    "name_latin": "name_latin",
    "name_ascii": "name_ascii",
    "country": "country",
    "admin_unit": "region",
    "model": "model_name",
    "model_code": "model",
    "model_kind": "model_kind",
    "edition": "edition",
    "edition_level": "level",
    "recognition_level": "recognition_level",
    "event_type": "type",
    "event_detail": "detail",
    "date": "date",
    "date_precision": "date_precision",
    "valid_until": "valid_until",
    "certificate_no": "certificate_number",
    "score": "score",
    "body": "body",
    "body_role": "body_role",
    "source_url": "source_url",
    "quote": "quote",
    "quote_lang": "source_language",
    "notes": "note",
}


def import_row(record: dict[str, Any]) -> dict[str, Any]:
    """The record with each field renamed to its import column (a field the mapping lacks keeps its
    name, so the import reports it as an unknown column)."""
    return {MAPPING.get(k, k): v for k, v in record.items() if v is not None}
