"""Response shapes for models (with editions and lifecycle rules) and bodies."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref


class ModelSummary(Base, kw_only=True):
    code: str
    name: str
    label: str | None = None            # the model's name in the answer's language
    kind: str
    kind_label: str | None = None
    lifecycle: str
    owner: str | None = None
    description: str | None = None
    description_label: str | None = None
    edition_count: int
    adoption_count: int


class Edition(Base, kw_only=True):
    code: str
    label: str
    label_localized: str | None = None
    status: str
    status_label: str | None = None
    published: str | None = None
    published_display: str | None = None
    withdrawn_on: dt.date | None = None
    certificates_valid_until: dt.date | None = None
    certificates_valid_until_display: str | None = None
    note: str | None = None


class LifecycleRules(Base, kw_only=True):
    """The numbers status derivation reads for this model (see README, Status rules)."""

    cycle_months: int | None = None
    surveillance_interval_months: int | None = None
    surveillance_grace_months: int | None = None
    label_validity_months: int | None = None
    activity_window_months: int | None = None


class Model(Base, kw_only=True):
    code: str
    name: str
    label: str | None = None
    kind: str
    kind_label: str | None = None
    lifecycle: str
    description: str | None = None
    description_label: str | None = None
    source_note: str | None = None
    owner: Ref | None = None
    rules: LifecycleRules
    editions: list[Edition]
    adoption_count: int


class Body(Base, kw_only=True):
    id: str
    name: str
    short_name: str | None = None
    country: str | None = None
    country_name: str | None = None
    roles: list[str]
    roles_labels: list[str] = []
    url: str | None = None
    note: str | None = None
    accredited_by: list[str]
    accredits: list[str]
