"""Response shapes for comparison, peers, benchmark, rankings, statistics, cohort progress, audit cycle."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base


class Method(Base, kw_only=True):
    """How an answer was computed, in words and parameters."""

    name: str
    version: str | None = None
    description: str
    parameters: dict


class ModelStanding(Base, kw_only=True):
    model: str
    model_name: str
    status: str
    holding: bool
    since: str | None = None
    years_continuous: float | None = None
    edition: str | None = None
    edition_inferred: bool = False
    valid_until: dt.date | None = None
    last_audit: dt.date | None = None
    next_due: dt.date | None = None
    overdue: bool = False
    first_adopted: str | None = None


class ComparedMunicipality(Base, kw_only=True):
    id: str
    name_local: str
    name_latin: str
    country: str
    kind: str
    population: int | None = None
    population_year: int | None = None
    area_km2: float | None = None
    degurba: int | None = None
    models: list[ModelStanding]
    awards: list[dict]
    labels: list[dict]
    programmes: list[dict]


class Comparison(Base, kw_only=True):
    as_of: dt.date
    method: Method
    models: list[str]
    municipalities: list[ComparedMunicipality]


class Peer(Base, kw_only=True):
    id: str
    name_local: str
    name_latin: str
    country: str
    kind: str
    population: int | None = None
    area_km2: float | None = None
    degurba: int | None = None
    distance: float
    contributions: dict[str, float]


class WithoutData(Base, kw_only=True):
    id: str
    name_local: str
    missing: list[str]


class Peers(Base, kw_only=True):
    municipality_id: str
    method: Method
    candidates: int
    peers: list[Peer]
    without_data_count: int
    without_data: list[WithoutData]


class ModelBenchmark(Base, kw_only=True):
    model: str
    model_name: str
    peers: int
    peers_holding: int
    peers_holding_share: float | None
    peers_adopted: int
    peers_first_adoption: dt.date | None = None
    peers_median_adoption: dt.date | None = None
    target_status: str | None = None
    target_holding: bool
    target_first_adoption: dt.date | None = None
    holders_in_group: int
    group_size: int
    adopted_earlier_than_share: float | None = None
    summary: str


class Benchmark(Base, kw_only=True):
    municipality_id: str
    as_of: dt.date
    method: Method
    peer_ids: list[str]
    models: list[ModelBenchmark]


class RankedMunicipality(Base, kw_only=True):
    rank: int
    id: str
    name_local: str
    name_latin: str
    country: str
    kind: str
    population: int | None = None
    score: float
    components: dict[str, float]
    scaled: dict[str, float]


class Component(Base, kw_only=True):
    code: str
    label: str
    weight: float


class Rankings(Base, kw_only=True):
    as_of: dt.date
    method: Method
    components: list[Component]
    ranked_total: int
    unranked_without_records: int
    items: list[RankedMunicipality]
    next: str | None = None


class StatsGroup(Base, kw_only=True):
    group: str
    denominator: int
    holding: int
    first_adoptions: int
    cumulative_adopters: int
    holding_rate: float | None
    adopter_rate: float | None
    coverage: str
    incomplete_countries: list[str]
    undated_adopters: int
    holding_on: dt.date | None = None


class AdoptionStats(Base, kw_only=True):
    model: str
    countries: list[str] | None
    by: str
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    method: Method
    groups: list[StatsGroup]


class FunnelStage(Base, kw_only=True):
    stage: str
    reached: int
    at_stage: list[str]
    median_days_from_joining: float | None = None


class ProgressMember(Base, kw_only=True):
    municipality_id: str
    name_local: str
    name_latin: str
    joined: str | None = None
    stage: str
    self_assessment: dt.date | None = None
    improvement_plan: dt.date | None = None
    external_feedback: dt.date | None = None
    label: dt.date | None = None


class ProgrammeProgress(Base, kw_only=True):
    programme_id: str
    as_of: dt.date
    method: Method
    enrolled: int
    funnel: list[FunnelStage]
    members: list[ProgressMember]


class ExpiringCertificate(Base, kw_only=True):
    municipality_id: str
    name_local: str
    name_latin: str
    country: str
    model: str
    status: str
    edition: str | None = None
    valid_until: dt.date
    days_left: int
    last_audit: dt.date | None = None
    next_due: dt.date | None = None
    overdue: bool
    body: str | None = None


class Expiring(Base, kw_only=True):
    as_of: dt.date
    until: dt.date
    items: list[ExpiringCertificate]
