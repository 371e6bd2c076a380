"""Response shapes for models (with editions and lifecycle rules) and bodies."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref


class ModelSummary(Base, kw_only=True):
    code: str
    name: str
    label: str | None = None  # the model's name in the answer's language
    kind: str
    kind_label: str | None = None
    lifecycle: str
    owner: str | None = None
    description: str | None = None
    description_label: str | None = None
    country: str | None = None  # a national scheme's country; None for an international model
    aliases: list[str]  # other spellings of its code and name that find it
    edition_count: int
    level_count: int
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
    aliases: list[str]
    version: int


class Level(Base, kw_only=True):
    """One of a scheme's tiers (ISO 37120/WCCD platinum, a Slovenian CAF recognition, a medal)."""

    code: str
    label: str  # as the scheme names it (the Slovenian CAF levels in Slovenian)
    label_localized: str | None = (
        None  # in the reader's language (the stored label where none is known)
    )
    rank: int | None = None  # 1 = the lowest tier, when the scheme orders them
    aliases: list[str]
    note: str | None = None
    source_id: str | None = None
    version: int


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
    country: str | None = None
    aliases: list[str]
    source_id: str | None = None
    version: int
    owner: Ref | None = None
    rules: LifecycleRules
    editions: list[Edition]
    levels: list[Level]
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
    aliases: list[str]
    former_names: list[str]
    accredited_by: list[str]
    accredits: list[str]
