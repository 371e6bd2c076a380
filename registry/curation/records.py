"""Shapes of the single-record reads (GET /v1/events/{id}, /v1/awards/{id}, /v1/adoptions/{id},
/v1/bodies/{id}) and of an import's report: the rows the SQL of registry/curation writes, as the OpenAPI
document describes them."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, UnsetType

from registry.schemas import Base


class EventRecord(Base, kw_only=True):
    """An event as stored (sql/functions/60_event_document.sql), with its version (the ETag)."""

    id: int
    municipality_id: str
    model: str
    scope: str | None
    type: str
    date: str | None
    date_precision: str
    edition: str | None
    body: str | None
    certificate_number: str | None
    date_kind: str
    valid_until: str | None
    major_nonconformities: int | None
    minor_nonconformities: int | None
    evidence_level: str
    score: float | None
    public: bool
    note: str | None
    source_id: str | None
    quote: str | None
    unsourced: bool
    version: int


class AwardRecord(Base, kw_only=True):
    """An award as stored, with its version (the ETag)."""

    id: int
    municipality_id: str
    scheme: str
    year: int
    edition: str | None
    category: str | None
    level: str
    date: str | None
    date_precision: str
    body: str | None
    public: bool
    note: str | None
    source_id: str | None
    quote: str | None
    unsourced: bool
    version: int


class AdoptionRecord(Base, kw_only=True):
    """An adoption as stored: the municipality, the model, the scope ('' for the whole administration)."""

    id: int
    municipality_id: str
    model_code: str
    scope: str
    note: str | None
    version: int


class BodyRecord(Base, kw_only=True):
    """A body as stored, with who accredits it and whom it accredits, and its version (the ETag)."""

    id: str
    name: str
    short_name: str | None
    country: str | None
    roles: list[str]
    url: str | None
    note: str | None
    source_id: str | None
    version: int
    accredited_by: list[str]
    accredits: list[str]


class RowProblem(Base, kw_only=True):
    """A row that cannot be imported: its number (from 1), the field at fault and why."""

    row: int
    field: str
    reason: str
    closest: list[str] | UnsetType = UNSET  # the closest known names, when there are some


class ImportReport(Base, kw_only=True):
    """What an import did (or, with dry_run, would do), row by row; all or nothing."""

    import_id: str
    dry_run: bool
    rows: int
    created: int
    unchanged: int
    errors: list[RowProblem]
    results: list[dict[str, Any]]
    applied: bool
