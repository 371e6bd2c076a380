"""Response shapes for countries and municipalities, with the labelled fields clients get
(registry/labelling.py)."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref
from registry.sources.schemas import SourceSummary


class CountrySummary(Base, kw_only=True):
    code: str
    alpha3: str
    name: str
    label: str | None = None  # the country's name in the answer's language
    official_name: str | None = None
    roster_complete: bool
    roster_as_of: dt.date | None = None
    roster_as_of_display: str | None = None
    municipality_count: int
    municipality_count_display: str | None = None


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
    kind_label: str | None = None
    name_local: str
    name_latin: str
    # the region's name in the answer's language (ISO 3166-2 where known)
    label: str | None = None


class Country(CountrySummary, kw_only=True):
    roster_note: str | None = None
    sub_unit_count: int
    # units of tiers other than municipality: county, region, agency
    other_tiers: dict[str, int] = {}
    roster_sources: list[RosterSource]
    regions: list[Region]


class AdoptionBrief(Base, kw_only=True):
    """A model a listed municipality adopted, and its status on the list's day, with the status's
    basis."""

    model: str
    model_label: str | None = None
    status: str
    status_label: str | None = None
    basis: str
    basis_label: str | None = None


class MunicipalitySummary(Base, kw_only=True):
    id: str
    country_code: str
    country_name: str | None = None
    kind: str
    kind_label: str | None = None
    # municipality, county, region or agency (a body a municipality owns)
    tier: str = "municipality"
    tier_label: str | None = None
    region_code: str | None = None
    parent_id: str | None = None
    name: str = ""  # in the answer's script
    name_local: str
    name_latin: str
    population: int | None = None
    population_display: str | None = None
    population_year: int | None = None
    area_km2: float | None = None
    area_km2_display: str | None = None
    degurba: int | None = None
    adoptions: list[AdoptionBrief]


class MunicipalityPage(Base, kw_only=True):
    items: list[MunicipalitySummary]
    next: str | None = None
    as_of: dt.date
    as_of_display: str | None = None


class Identifier(Base, kw_only=True):
    scheme: str
    value: str


class Citation(Base, kw_only=True):
    """A further source of a fact, with its quote."""

    source_id: str
    quote: str | None = None


class Event(Base, kw_only=True):
    id: int
    type: str
    type_label: str | None = None
    date: str | None
    date_display: str | None = None
    date_precision: str
    date_precision_label: str | None = None
    date_kind: str = "event"  # the event's own date, or a page's publication or seen date
    date_kind_label: str | None = None
    edition: str | None = None
    # the edition as the source writes it, where no catalogue edition is named
    edition_stated: str | None = None
    # a scheme's level (WCCD platinum, a national CAF recognition)
    level: str | None = None
    level_name: str | None = None
    body: Ref | None = None
    certificate_number: str | None = None
    valid_until: str | None = None  # as the source states it, at its precision
    valid_until_display: str | None = None
    major_nonconformities: int | None = None
    minor_nonconformities: int | None = None
    evidence_level: str
    evidence_level_label: str | None = None
    score: float | None = None
    public: bool = True
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    unsourced: bool = False
    sources: list[Citation] = []


class Evidence(Base, kw_only=True):
    """How far an adoption's evidence reaches on the answer's day: the latest evidence dated on or
    before it and the status that showed, and when the last evidenced certificate or label ended
    (when it has)."""

    last_event: int | None = None
    last_date: str | None = None
    last_date_display: str | None = None
    last_type: str | None = None
    last_type_label: str | None = None
    last_status: str | None = None
    last_status_label: str | None = None
    certificate_ended: str | None = None
    certificate_ended_display: str | None = None
    first_dated: str | None = None
    first_dated_display: str | None = None
    undated_events: int = 0


class Adoption(Base, kw_only=True):
    id: int
    model: str
    model_label: str | None = None
    model_name: str
    model_kind: str
    model_kind_label: str | None = None
    scope: str | None = None
    note: str | None = None
    status: str
    status_label: str | None = None
    basis: str  # evidenced, inferred or unknown (docs/status-rules.md)
    basis_label: str | None = None
    status_reason: str
    status_reason_label: str | None = None
    status_since: str | None = None  # at the precision of the evidence it comes from
    status_since_display: str | None = None
    valid_until: str | None = None
    valid_until_display: str | None = None
    edition: str | None = None
    edition_inferred: bool
    last_audit: str | None = None
    last_audit_display: str | None = None
    next_due: str | None = None
    next_due_display: str | None = None
    overdue: bool
    first_adopted: str | None = None
    first_adopted_display: str | None = None
    evidence: Evidence
    events: list[Event]


class Award(Base, kw_only=True):
    id: int
    scheme: str
    scheme_label: str | None = None
    scheme_name: str
    year: int | None = None  # None when the source does not state it
    edition: str | None = None
    category: str | None = None
    level: str
    level_label: str | None = None
    scheme_level: str | None = None  # a level of the scheme's own (a medal, a statuette)
    scheme_level_name: str | None = None
    date: str | None = None
    date_display: str | None = None
    date_precision: str
    body: Ref | None = None
    public: bool = True
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    unsourced: bool = False
    sources: list[Citation] = []


class Membership(Base, kw_only=True):
    id: str
    name: str
    model: str
    model_label: str | None = None
    joined: str | None = None
    joined_display: str | None = None
    source_id: str | None = None
    quote: str | None = None


class Municipality(Base, kw_only=True):
    """Everything known about one municipality, statuses derived on `as_of`."""

    id: str
    version: int
    curated: bool = False
    note: str | None = None
    as_of: dt.date
    as_of_display: str | None = None
    country: str
    country_name: str | None = None
    national_code: str | None = None
    kind: str
    kind_label: str | None = None
    # municipality, county, region or agency (a body a municipality owns)
    tier: str = "municipality"
    tier_label: str | None = None
    region: Region | None = None
    parent_id: str | None = None
    counted: bool
    sub_units: list[str]
    name: str = ""
    name_local: str
    name_latin: str
    name_variants: list[str]
    population: int | None = None
    population_display: str | None = None
    population_year: int | None = None
    area_km2: float | None = None
    area_km2_display: str | None = None
    degurba: int | None = None
    roster_source_id: str | None = None
    identifiers: list[Identifier]
    adoptions: list[Adoption]
    awards: list[Award]
    programmes: list[Membership]
    sources: list[SourceSummary]
