"""Response shapes for comparison, peers, benchmark, rankings, statistics, cohort progress and the
audit cycle, with the labelled fields clients get (registry/labelling.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta

from registry.schemas import Base, Ref


class Method(Base, kw_only=True):
    """How an answer was computed, in words and parameters."""

    name: str
    version: str | None = None
    description: str
    parameters: dict


class ModelStanding(Base, kw_only=True):
    model: str
    model_label: str | None = None
    model_name: str
    status: str
    status_label: str | None = None
    basis: str
    basis_label: str | None = None
    status_reason: str
    status_reason_label: str | None = None
    # held on as_of as far as the evidence confirms (evidenced or inferred)
    holding: bool
    since: str | None = None
    since_display: str | None = None
    years_continuous: float | None = None
    edition: str | None = None
    edition_inferred: bool = False
    valid_until: str | None = None
    valid_until_display: str | None = None
    last_audit: str | None = None
    last_audit_display: str | None = None
    next_due: str | None = None
    next_due_display: str | None = None
    overdue: bool = False
    first_adopted: str | None = None
    first_adopted_display: str | None = None
    last_evidence_date: str | None = None  # how far the evidence reaches
    last_evidence_date_display: str | None = None
    last_status: str | None = None  # the status that evidence showed
    last_status_label: str | None = None
    certificate_ended: str | None = None
    certificate_ended_display: str | None = None


class ComparedAward(Base, kw_only=True):
    scheme: str
    scheme_label: str | None = None
    year: int | None
    level: str
    level_label: str | None = None
    category: str | None = None
    source_id: str | None = None


class ComparedLabel(Base, kw_only=True):
    model: str
    model_label: str | None = None
    date: str | None = None
    date_display: str | None = None
    body: str | None = None
    source_id: str | None = None


class ComparedProgramme(Base, kw_only=True):
    id: str
    name: str
    model: str
    model_label: str | None = None
    joined: str | None = None
    joined_display: str | None = None


class ComparedMunicipality(Base, kw_only=True):
    id: str
    name: str = ""
    name_local: str
    name_latin: str
    country: str
    country_name: str | None = None
    kind: str
    kind_label: str | None = None
    population: int | None = None
    population_display: str | None = None
    population_year: int | None = None
    area_km2: float | None = None
    area_km2_display: str | None = None
    degurba: int | None = None
    models: list[ModelStanding]
    awards: list[ComparedAward]
    labels: list[ComparedLabel]
    programmes: list[ComparedProgramme]


class Comparison(Base, kw_only=True):
    as_of: dt.date
    as_of_display: str | None = None
    method: Method
    models: list[str]
    municipalities: list[ComparedMunicipality]


class Peer(Base, kw_only=True):
    id: str
    name: str = ""
    name_local: str
    name_latin: str
    country: str
    country_name: str | None = None
    kind: str
    kind_label: str | None = None
    population: int | None = None
    population_display: str | None = None
    area_km2: float | None = None
    area_km2_display: str | None = None
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
    model_label: str | None = None
    model_name: str
    peers: int
    peers_holding: int  # confirmed by the evidence on as_of
    peers_holding_share: float | None
    peers_holding_share_display: str | None = None
    # peers whose status on as_of no evidence reaches, after holding it
    peers_unknown: int
    peers_adopted: int
    peers_first_adoption: str | None = None
    peers_first_adoption_display: str | None = None
    peers_median_adoption: str | None = None
    peers_median_adoption_display: str | None = None
    target_status: str | None = None
    target_status_label: str | None = None
    target_basis: str | None = None
    target_holding: bool
    target_first_adoption: str | None = None
    target_first_adoption_display: str | None = None
    holders_in_group: int
    group_size: int
    adopted_earlier_than_share: float | None = None
    adopted_earlier_than_share_display: str | None = None
    summary: str


class BenchmarkPeer(Base, kw_only=True):
    """A peer of the benchmark: its id and its name in the wanted script, as /peers names it."""

    id: str
    name: str = ""
    name_local: str
    name_latin: str
    country: str


class Benchmark(Base, kw_only=True):
    municipality_id: str
    as_of: dt.date
    as_of_display: str | None = None
    method: Method
    peer_ids: list[str]
    peers: list[BenchmarkPeer] = []  # the same peers, in the same order, with their names
    models: list[ModelBenchmark]


class RankedMunicipality(Base, kw_only=True):
    rank: int
    id: str
    name: str = ""
    name_local: str
    name_latin: str
    country: str
    country_name: str | None = None
    kind: str
    kind_label: str | None = None
    population: int | None = None
    population_display: str | None = None
    score: float
    components: dict[str, float]
    scaled: dict[str, float]
    # models adopted whose status on as_of no evidence reaches: not scored
    unknown: list[str]


class Component(Base, kw_only=True):
    code: str
    label: str
    weight: float


class Rankings(Base, kw_only=True):
    as_of: dt.date
    as_of_display: str | None = None
    method: Method
    components: list[Component]
    ranked_total: int
    unranked_without_records: int
    items: list[RankedMunicipality]
    next: str | None = None


class GroupRegion(Base, kw_only=True):
    """The region a statistics group stands for (by=region), named in the reader's language."""

    code: str
    kind: str
    kind_label: str | None = None
    name_local: str
    name_latin: str
    label: str | None = None


class StatsGroup(Base, kw_only=True):
    group: str
    # what the group stands for, named in the reader's language: its country (by=country), kind
    # (by=kind) or region (by=region); null for a year or a group of units without a region
    country: str | None = None
    country_name: str | None = None
    kind: str | None = None
    kind_label: str | None = None
    region: GroupRegion | None = None
    denominator: int
    denominator_display: str | None = None
    holders_confirmed: int | None  # the evidence confirms they hold it (evidenced or inferred)
    # … and those that may: no evidence reaches the day, after holding it
    holders_possible: int | None
    holding_rate_low: float | None
    holding_rate_low_display: str | None = None
    holding_rate_high: float | None
    holding_rate_high_display: str | None = None
    first_adoptions: int
    cumulative_adopters: int
    adopter_rate: float | None
    adopter_rate_display: str | None = None
    awards: int | None = None  # award schemes: awards granted in the year or period
    coverage: str
    coverage_label: str | None = None
    incomplete_countries: list[str]
    undated_adopters: int
    holding_on: dt.date | None = None
    holding_on_display: str | None = None


class AdoptionStats(Base, kw_only=True):
    model: str
    model_label: str | None = None
    countries: list[str] | None
    by: str
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    as_of_display: str | None = None
    method: Method
    groups: list[StatsGroup]


class FunnelStage(Base, kw_only=True):
    stage: str
    stage_label: str | None = None
    reached: int
    at_stage: list[str]
    median_days_from_joining: float | None = None


class ProgressMember(Base, kw_only=True):
    municipality_id: str
    name: str = ""
    name_local: str
    name_latin: str
    joined: str | None = None
    joined_display: str | None = None
    stage: str
    stage_label: str | None = None
    self_assessment: str | None = None  # each milestone's first event, at its date's precision
    self_assessment_display: str | None = None
    improvement_plan: str | None = None
    improvement_plan_display: str | None = None
    external_feedback: str | None = None
    external_feedback_display: str | None = None
    label: str | None = None
    label_display: str | None = None
    status: str | None = None  # in the programme's model on as_of
    status_label: str | None = None
    basis: str | None = None
    basis_label: str | None = None
    next_due: str | None = None
    next_due_display: str | None = None


class ProgrammeProgress(Base, kw_only=True):
    programme_id: str
    as_of: dt.date
    as_of_display: str | None = None
    method: Method
    enrolled: int
    funnel: list[FunnelStage]
    members: list[ProgressMember]


class ExpiringCertificate(Base, kw_only=True):
    municipality_id: str
    name: str = ""
    name_local: str
    name_latin: str
    country: str
    country_name: str | None = None
    model: str
    model_label: str | None = None
    status: str
    status_label: str | None = None
    basis: str
    basis_label: str | None = None
    edition: str | None = None
    valid_until: str | None
    valid_until_display: str | None = None
    # from as_of to the earliest day the validity can end: a valid_until of a month or a year names
    # no day, and the certificate may run to that period's end
    days_left: Annotated[
        int,
        Meta(
            description="Days from as_of to the earliest day the validity can end; with a "
            "valid_until of a month or a year, it may run to that period's end."
        ),
    ]
    last_audit: str | None = None
    last_audit_display: str | None = None
    next_due: str | None = None
    next_due_display: str | None = None
    overdue: bool
    body: Ref | None = None  # the body of the last audit, {id, name} as in the profile


class Expiring(Base, kw_only=True):
    as_of: dt.date
    as_of_display: str | None = None
    until: dt.date
    until_display: str | None = None
    items: list[ExpiringCertificate]
