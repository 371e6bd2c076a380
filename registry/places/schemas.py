"""Response shapes for countries and municipalities."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref
from registry.sources.schemas import SourceSummary


class CountrySummary(Base, kw_only=True):
    code: str
    alpha3: str
    name: str
    official_name: str | None = None
    roster_complete: bool
    roster_as_of: dt.date | None = None
    municipality_count: int


class RosterSource(Base, kw_only=True):
    id: str
    title: str
    publisher: str | None = None
    url: str | None = None
    document: str | None = None
    licence: str | None = None
    note: str | None = None


class Region(Base, kw_only=True):
    code: str
    kind: str
    name_local: str
    name_latin: str


class Country(CountrySummary, kw_only=True):
    roster_note: str | None = None
    sub_unit_count: int
    roster_sources: list[RosterSource]
    regions: list[Region]


class AdoptionBrief(Base, kw_only=True):
    model: str
    status: str | None


class MunicipalitySummary(Base, kw_only=True):
    id: str
    country_code: str
    kind: str
    region_code: str | None = None
    parent_id: str | None = None
    name_local: str
    name_latin: str
    population: int | None = None
    population_year: int | None = None
    area_km2: float | None = None
    degurba: int | None = None
    adoptions: list[AdoptionBrief]


class MunicipalityPage(Base, kw_only=True):
    items: list[MunicipalitySummary]
    next: str | None = None
    as_of: dt.date


class Identifier(Base, kw_only=True):
    scheme: str
    value: str


class Event(Base, kw_only=True):
    id: int
    type: str
    date: str | None
    date_precision: str
    edition: str | None = None
    body: Ref | None = None
    certificate_number: str | None = None
    valid_until: dt.date | None = None
    major_nonconformities: int | None = None
    minor_nonconformities: int | None = None
    evidence_level: str
    score: float | None = None
    public: bool = True
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    unsourced: bool = False


class Adoption(Base, kw_only=True):
    id: int
    model: str
    model_name: str
    model_kind: str
    scope: str | None = None
    note: str | None = None
    status: str
    status_since: str | None = None
    status_reason: str
    valid_until: dt.date | None = None
    edition: str | None = None
    edition_inferred: bool
    last_audit: dt.date | None = None
    next_due: dt.date | None = None
    overdue: bool
    events: list[Event]


class Award(Base, kw_only=True):
    id: int
    scheme: str
    scheme_name: str
    year: int
    edition: str | None = None
    category: str | None = None
    level: str
    date: str | None = None
    date_precision: str
    body: Ref | None = None
    public: bool = True
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    unsourced: bool = False


class Membership(Base, kw_only=True):
    id: str
    name: str
    model: str
    joined: str | None = None
    source_id: str | None = None
    quote: str | None = None


class Municipality(Base, kw_only=True):
    """Everything known about one municipality, statuses derived on `as_of`."""

    id: str
    version: int
    curated: bool = False
    note: str | None = None
    as_of: dt.date
    country: str
    national_code: str | None = None
    kind: str
    region: Region | None = None
    parent_id: str | None = None
    counted: bool
    sub_units: list[str]
    name_local: str
    name_latin: str
    name_variants: list[str]
    population: int | None = None
    population_year: int | None = None
    area_km2: float | None = None
    degurba: int | None = None
    roster_source_id: str | None = None
    identifiers: list[Identifier]
    adoptions: list[Adoption]
    awards: list[Award]
    programmes: list[Membership]
    sources: list[SourceSummary]
