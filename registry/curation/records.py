"""Shapes of the single-record reads (GET /v1/events/{id}, /v1/awards/{id}, /v1/adoptions/{id},
/v1/bodies/{id}) and of an import's report: the rows the SQL of registry/curation writes, as the
OpenAPI document describes them."""

from __future__ import annotations

from typing import Any, Literal

from msgspec import UNSET, UnsetType

from registry.schemas import Base


class Citation(Base, kw_only=True):
    """A further source of a fact, with the quote it gives (the first source is the fact's own
    source_id)."""

    source_id: str
    quote: str | None


class EventRecord(Base, kw_only=True):
    """An event as stored (sql/functions/60_event_document.sql), with its version (the ETag)."""

    id: int
    municipality_id: str
    model: str
    scope: str | None
    type: str
    # '--11-30' when the source gives the day and month but not the year
    date: str | None
    date_precision: str  # day, month, year, range, unknown, or month_day
    edition: str | None
    # the edition as the source words it, when it names none of the catalogue's
    edition_stated: str | None
    level: str | None  # the scheme level (GET /v1/models/{code} levels)
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
    sources: list[Citation]  # further sources citing the same fact


class AwardRecord(Base, kw_only=True):
    """An award as stored, with its version (the ETag)."""

    id: int
    municipality_id: str
    scheme: str
    year: int | None  # None: the source does not state the year
    edition: str | None
    category: str | None
    level: str
    scheme_level: str | None  # one of the scheme's levels, when the source names one
    date: str | None
    date_precision: str
    body: str | None
    public: bool
    note: str | None
    source_id: str | None
    quote: str | None
    unsourced: bool
    version: int
    sources: list[Citation]


class AdoptionRecord(Base, kw_only=True):
    """An adoption as stored: the municipality, the model, the scope (null for the whole
    administration)."""

    id: int
    municipality_id: str
    model_code: str
    scope: str | None
    note: str | None
    version: int


class AccreditationRecord(Base, kw_only=True):
    accreditor: str
    scheme: str
    scope: str | None
    number: str | None
    granted_on: str | None
    valid_until: str | None
    source_id: str | None
    note: str | None


class BodyRecord(Base, kw_only=True):
    """A body as stored, with who accredits it and whom it accredits, and its version (the ETag)."""

    id: str
    name: str
    short_name: str | None
    country: str | None
    country_name: str | None = None  # in the reader's language, as the list gives it
    roles: list[str]
    roles_labels: list[str] = []
    url: str | None
    note: str | None
    source_id: str | None
    version: int
    aliases: list[str]
    former_names: list[str]
    accredited_by: list[str]
    accredits: list[str]
    accreditations: list[AccreditationRecord]  # by whom it is accredited, for what, when


ResultStatus = Literal["created", "unchanged", "cited"]


class ImportResult(Base, kw_only=True):
    """What became of one row (a row of two models has a result for each)."""

    row: int
    record: str  # the row's record type
    status: ResultStatus
    entity: str  # what was written or found: event, award, source, body, programme, …
    id: str
    reference: str | UnsetType = UNSET  # the row's own reference, when it has one


class RowProblem(Base, kw_only=True):
    """One problem of a row: its number (from 1; 0 for a CSV header), the field at fault, the value
    given, why, and for coded fields the allowed values."""

    row: int
    field: str
    reason: str
    value: Any = None
    # the row's own reference (column `reference`), when it has one
    reference: str | UnsetType = UNSET
    allowed: list[str] | UnsetType = UNSET  # the values a coded field takes
    closest: list[str] | UnsetType = UNSET  # the closest known names or values, when there are some


class ImportReport(Base, kw_only=True):
    """What an import did (or, with dry_run, would do), row by row; all or nothing."""

    import_id: str
    dry_run: bool
    rows: int
    created: int
    unchanged: int
    # rows repeating a known fact with a further source: the citation was added
    cited: int
    sources_created: int
    bodies_created: int
    # holders added: LAU units, agencies, counties, create_municipality
    municipalities_created: int
    errors: list[RowProblem]
    results: list[ImportResult]
    applied: bool
