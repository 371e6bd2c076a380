"""The English label of every stable code, by category; translations live in registry/locale/*.po.

`C_(context, text)` only marks a string for extraction (pybabel keyword `C_:1c,2`); the message
context is the category, so the same English word may be translated differently per category.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from registry.settings import SEEDS_DIR


def C_(context: str, text: str) -> str:  # noqa: N802 - the gettext marker convention
    return text


def _catalogue_texts() -> dict[str, dict[str, str]]:
    """Model names, model descriptions and edition labels from seeds/catalogue/models.json
    (English); their translations are in the catalogues under the contexts 'model',
    'model_description', 'edition'."""
    models = json.loads((SEEDS_DIR / "catalogue" / "models.json").read_text(encoding="utf-8"))[
        "models"
    ]
    return {
        "model": {m["code"]: m["name"] for m in models},
        "model_description": {m["code"]: m["description"] for m in models if m.get("description")},
        "edition": {e["label"]: e["label"] for m in models for e in m["editions"]},
    }


class _Labels(Mapping[str, dict[str, str]]):
    """LABELS: the categories written below, and those of the model catalogue, read on first use (no
    file is read at import)."""

    def __init__(self, fixed: dict[str, dict[str, str]]) -> None:
        self._fixed = fixed
        self._all: dict[str, dict[str, str]] | None = None

    def _load(self) -> dict[str, dict[str, str]]:
        if self._all is None:
            self._all = {**self._fixed, **_catalogue_texts()}
        return self._all

    def __getitem__(self, category: str) -> dict[str, str]:
        return (self._all or self._load())[category]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all or self._load())

    def __len__(self) -> int:
        return len(self._all or self._load())


LABELS = _Labels(
    {
        "status": {
            "certified": C_("status", "Certified"),
            "suspended": C_("status", "Suspended"),
            "withdrawn": C_("status", "Withdrawn"),
            "expired": C_("status", "Expired"),
            "in_implementation": C_("status", "In implementation"),
            "self_declared": C_("status", "Self-declared"),
            "self_assessed": C_("status", "Self-assessed"),
            "label_valid": C_("status", "Label valid"),
            "inactive": C_("status", "Inactive"),
            "unknown": C_("status", "Unknown"),
        },
        "basis": {
            "evidenced": C_("basis", "Shown by the evidence"),
            "inferred": C_("basis", "Inferred from the evidence"),
            "unknown": C_("basis", "No evidence reaches this day"),
        },
        "date_kind": {
            "event": C_("date_kind", "Date of the event"),
            "published": C_("date_kind", "Publication date of the source"),
            "observed": C_("date_kind", "Date the source was seen"),
        },
        "status_reason": {
            "evidence_shows_it": C_("status_reason", "An event on record shows it on this day"),
            "between_evidence": C_(
                "status_reason",
                "Between two pieces of evidence consistent with one unbroken period",
            ),
            "within_normal_validity": C_(
                "status_reason", "Within the normal validity after the last evidence"
            ),
            "within_stated_validity": C_(
                "status_reason", "Within the validity the evidence states"
            ),
            "label_within_validity": C_("status_reason", "The label is within its validity"),
            "suspension_on_record": C_("status_reason", "A suspension is on record"),
            "withdrawal_on_record": C_("status_reason", "A withdrawal is on record"),
            "expiry_on_record": C_("status_reason", "An expiry is on record"),
            "suspension_outcome_unknown": C_(
                "status_reason", "Suspended, and no later evidence says what followed"
            ),
            "decision_within_window": C_(
                "status_reason", "A decision to introduce it, within the activity window"
            ),
            "implementation_start_within_window": C_(
                "status_reason", "Implementation started, within the activity window"
            ),
            "stage1_audit_within_window": C_(
                "status_reason", "A stage 1 audit, within the activity window"
            ),
            "stage2_audit_within_window": C_(
                "status_reason", "A certification audit, within the activity window"
            ),
            "declaration_within_window": C_(
                "status_reason", "A declaration, within the activity window"
            ),
            "management_review_within_window": C_(
                "status_reason", "A management review, within the activity window"
            ),
            "no_evidence_since": C_(
                "status_reason", "No evidence reaches this day: the last evidence is earlier"
            ),
            "no_evidence_yet": C_(
                "status_reason", "No evidence reaches this day: the first evidence is later"
            ),
            "only_undated_evidence": C_("status_reason", "The only evidence is undated"),
        },
        "event_type": {
            "decision": C_("event_type", "Decision to introduce"),
            "implementation_start": C_("event_type", "Start of implementation"),
            "declaration": C_("event_type", "Declaration of conformity"),
            "management_review": C_("event_type", "Management review"),
            "stage1_audit": C_("event_type", "Stage 1 audit"),
            "stage2_audit": C_("event_type", "Certification audit (stage 2)"),
            "certification": C_("event_type", "Certification"),
            "certification_audit": C_("event_type", "Certification audit (kind not stated)"),
            "surveillance": C_("event_type", "Surveillance audit"),
            "recertification": C_("event_type", "Recertification audit"),
            "edition_transition": C_("event_type", "Transition to a new edition"),
            "scope_change": C_("event_type", "Change of scope"),
            "certificate_observed": C_("event_type", "Certificate seen in force"),
            "suspension": C_("event_type", "Suspension"),
            "withdrawal": C_("event_type", "Withdrawal"),
            "expiry": C_("event_type", "Expiry"),
            "self_assessment": C_("event_type", "Self-assessment"),
            "improvement_plan": C_("event_type", "Improvement plan"),
            "external_feedback": C_("event_type", "External feedback"),
            "label_granted": C_("event_type", "Label granted"),
        },
        "evidence_level": {
            "accredited_certificate": C_("evidence_level", "Accredited certificate"),
            "third_party_certificate": C_("evidence_level", "Third-party certificate"),
            "scheme_specific_attestation": C_("evidence_level", "Scheme-specific attestation"),
            "third_party_label": C_("evidence_level", "Third-party label"),
            "external_assessment": C_("evidence_level", "External assessment"),
            "official_programme_record": C_("evidence_level", "Official programme record"),
            "self_declared": C_("evidence_level", "Self-declared"),
        },
        "body_role": {
            "certification_body": C_("body_role", "Certification body"),
            "accreditation_body": C_("body_role", "Accreditation body"),
            "award_organiser": C_("body_role", "Award organiser"),
            "ministry": C_("body_role", "Ministry"),
            "national_caf_organiser": C_("body_role", "National CAF organiser"),
            "standards_body": C_("body_role", "Standards body"),
            "model_owner": C_("body_role", "Model owner"),
            "network": C_("body_role", "Network"),
            "registry": C_("body_role", "Registry"),
            "assessor": C_("body_role", "Assessor"),
            "programme_operator": C_("body_role", "Programme operator"),
        },
        "award_level": {
            "winner": C_("award_level", "Winner"),
            "laureate": C_("award_level", "Laureate"),
            "distinction": C_("award_level", "Distinction"),
            "nomination": C_("award_level", "Nomination"),
            "medal": C_("award_level", "Medal"),
        },
        # the tiers of a scheme (a model's `levels`), by level code: `label_localized` next to the
        # stored label
        "level": {
            "zacetnik-caf": C_("level", "CAF Beginner"),
            "uporabnik-caf": C_("level", "CAF User"),
            "uspesen-uporabnik-caf": C_("level", "Effective CAF User"),
            "aspirational": C_("level", "Aspirational"),
            "bronze": C_("level", "Bronze"),
            "silver": C_("level", "Silver"),
            "gold": C_("level", "Gold"),
            "platinum": C_("level", "Platinum"),
        },
        "milestone": {
            "enrolled": C_("milestone", "Enrolled"),
            "self_assessment": C_("milestone", "First self-assessment"),
            "improvement_plan": C_("milestone", "Improvement plan"),
            "external_feedback": C_("milestone", "External feedback"),
            "label": C_("milestone", "Label"),
        },
        "component": {
            "breadth": C_("component", "Breadth (models held)"),
            "continuity": C_("component", "Continuity (years of continuous certification)"),
            "recognition": C_("component", "Recognition (awards and labels)"),
            "engagement": C_("component", "Engagement (self-assessments and external feedback)"),
        },
        "municipality_kind": {
            "city": C_("municipality_kind", "City"),
            "urban_municipality": C_("municipality_kind", "Urban municipality"),
            "municipality": C_("municipality_kind", "Municipality"),
            "city_municipality": C_("municipality_kind", "City municipality"),
            "rayon": C_("municipality_kind", "Rayon"),
            "gmina_urban": C_("municipality_kind", "Urban gmina"),
            "gmina_urban_rural": C_("municipality_kind", "Urban-rural gmina"),
            "gmina_rural": C_("municipality_kind", "Rural gmina"),
            "commune": C_("municipality_kind", "Commune"),
            "lau_unit": C_("municipality_kind", "Local administrative unit (LAU)"),
            "other": C_("municipality_kind", "Other"),
            "county": C_("municipality_kind", "County"),
            "city_county": C_("municipality_kind", "City with county rights"),
            "regional_government": C_("municipality_kind", "Regional government"),
            "agency": C_("municipality_kind", "Agency of a municipality"),
        },
        "tier": {
            "municipality": C_("tier", "Municipality"),
            "county": C_("tier", "County or district"),
            "region": C_("tier", "Regional government"),
            "agency": C_("tier", "Agency of a municipality"),
        },
        "model_kind": {
            "certifiable_standard": C_("model_kind", "Certifiable standard"),
            "guidance_standard": C_("model_kind", "Guidance standard"),
            "self_assessment_framework": C_("model_kind", "Self-assessment framework"),
            "label": C_("model_kind", "Label"),
            "regional_certification": C_("model_kind", "Regional certification"),
            "award_scheme": C_("model_kind", "Award scheme"),
            "quality_mark": C_("model_kind", "Quality mark"),
            "programme": C_("model_kind", "Programme"),
        },
        "edition_status": {
            "current": C_("edition_status", "Current"),
            "superseded": C_("edition_status", "Superseded"),
            "withdrawn": C_("edition_status", "Withdrawn"),
            "draft": C_("edition_status", "Draft"),
        },
        "date_precision": {
            "day": C_("date_precision", "Day"),
            "month": C_("date_precision", "Month"),
            "year": C_("date_precision", "Year"),
            "range": C_("date_precision", "Range of days"),
            "unknown": C_("date_precision", "Unknown"),
            "month_day": C_("date_precision", "Day and month, year not stated"),
        },
        "coverage": {
            "complete": C_("coverage", "Complete"),
            "incomplete_roster": C_("coverage", "Incomplete roster: rate unknown"),
            "undated_evidence": C_("coverage", "Undated evidence: rate unknown"),
            "awards_counted": C_("coverage", "Awards counted"),
        },
        "region_kind": {
            "voivodeship": C_("region_kind", "Voivodeship"),
            "district": C_("region_kind", "District"),
            "city": C_("region_kind", "City"),
            "nuts3_statistical_region": C_("region_kind", "Statistical region (NUTS 3)"),
            "nuts3_2016": C_("region_kind", "NUTS 3 region"),
            "autonomous_republic": C_("region_kind", "Autonomous republic"),
            "autonomous_province": C_("region_kind", "Autonomous province"),
            "entity": C_("region_kind", "Entity"),
            "canton": C_("region_kind", "Canton"),
            "county": C_("region_kind", "County"),
            "country": C_("region_kind", "Country"),
        },
        "problem": {
            "Bad request": C_("problem", "Bad request"),
            "Invalid parameter": C_("problem", "Invalid parameter"),
            "Not found": C_("problem", "Not found"),
            "Conflict": C_("problem", "Conflict"),
            "Method not allowed": C_("problem", "Method not allowed"),
            "Unprocessable record": C_("problem", "Unprocessable record"),
            "Internal error": C_("problem", "Internal error"),
            "Service unavailable": C_("problem", "Service unavailable"),
        },
        "record": {
            "municipality": C_("record", "municipality"),
            "country": C_("record", "country"),
            "model": C_("record", "model"),
            "programme": C_("record", "programme"),
            "source": C_("record", "source"),
        },
    }
)

# which JSON keys carry a code of which category (the label goes next to it as `<key>_label`)
KEY_CATEGORY: dict[str, str | tuple[str, ...]] = {
    "status": ("status", "edition_status"),
    "target_status": "status",
    "model": "model",
    "scheme": "model",
    "status_reason": "status_reason",
    "reason": "status_reason",
    "type": "event_type",
    "evidence_level": "evidence_level",
    "level": "award_level",
    "stage": "milestone",
    "kind": ("municipality_kind", "model_kind", "region_kind"),
    "model_kind": "model_kind",
    "date_precision": "date_precision",
    "coverage": "coverage",
    "basis": "basis",
    "date_kind": "date_kind",
    "last_type": "event_type",
    "last_status": "status",
    "tier": "tier",
}
# lists of codes: labelled as `<key>_labels`
LIST_KEY_CATEGORY: dict[str, str] = {"roles": "body_role"}
