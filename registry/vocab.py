"""The stable codes of the registry, in one place, as Literal types the API validates against."""

from __future__ import annotations

from typing import Literal

Status = Literal[
    "certified",
    "suspended",
    "withdrawn",
    "expired",
    "in_implementation",
    "self_declared",
    "self_assessed",
    "label_valid",
    "inactive",
    "unknown",
]
# how well the evidence supports a status (registry/status/rules.py); a filter may also ask for
# either of the first two (confirmed, the default) or any
Basis = Literal["evidenced", "inferred", "unknown", "confirmed", "any"]
Kind = Literal[
    "city",
    "urban_municipality",
    "municipality",
    "city_municipality",
    "rayon",
    "gmina_urban",
    "gmina_urban_rural",
    "gmina_rural",
    "commune",
    "lau_unit",
    "other",
    "county",
    "city_county",
    "regional_government",
    "agency",
]
# what a holder is: a local government (the default, and what rates count), a county or district (a
# Polish powiat), a regional government (a voivodeship's marshal office), or a body a municipality
# owns (a city agency)
Tier = Literal["municipality", "county", "region", "agency"]
ModelKind = Literal[
    "certifiable_standard",
    "guidance_standard",
    "self_assessment_framework",
    "label",
    "regional_certification",
    "award_scheme",
    "quality_mark",
    "programme",
]
BodyRole = Literal[
    "certification_body",
    "accreditation_body",
    "award_organiser",
    "ministry",
    "national_caf_organiser",
    "standards_body",
    "model_owner",
    "network",
    "registry",
    "assessor",
    "programme_operator",
]
EventType = Literal[
    "decision",
    "implementation_start",
    "declaration",
    "management_review",
    "stage1_audit",
    "stage2_audit",
    "certification",
    "certification_audit",
    "surveillance",
    "recertification",
    "edition_transition",
    "scope_change",
    "certificate_observed",
    "suspension",
    "withdrawal",
    "expiry",
    "self_assessment",
    "improvement_plan",
    "external_feedback",
    "label_granted",
]
# what an event's date is: the event's own, the page's publication date, or the day the page was
# seen
DateKind = Literal["event", "published", "observed"]
EvidenceLevel = Literal[
    "accredited_certificate",
    "third_party_certificate",
    "scheme_specific_attestation",
    "third_party_label",
    "external_assessment",
    "official_programme_record",
    "self_declared",
]
AwardLevel = Literal["winner", "laureate", "distinction", "nomination", "medal"]
DatePrecision = Literal["day", "month", "year", "range", "unknown"]
# what a write may say of a date: also a day and month whose year the source does not give
# ('--11-30')
StatedPrecision = Literal["day", "month", "year", "range", "unknown", "month_day"]
Lifecycle = Literal["certification", "assessment", "award"]
EditionStatus = Literal["current", "superseded", "withdrawn", "draft"]
# Crosswalk identifiers of municipalities: those of the national rosters and Eurostat's LAU codes,
# and Wikidata's for municipalities curators add; `id` (the registry's own) resolves too wherever a
# scheme is asked for.
IdentifierScheme = Literal["iso3166_2", "teryt", "rzs", "si_obcina", "lau", "wikidata"]
# what GET /v1/municipalities/by/{scheme} takes (a Literal inside a Literal adds its values)
LookupScheme = Literal["id", IdentifierScheme]
