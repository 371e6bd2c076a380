"""Request bodies for writes to the model catalogue (POST/PATCH /v1/models, their editions and
levels)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from registry.curation.schemas import COUNTRY, Code, In, Names, Text
from registry.schemas import END
from registry.vocab import EditionStatus, Lifecycle, ModelKind

ModelCodeText = Annotated[str, Meta(pattern=rf"^[A-Z0-9][A-Z0-9-]{{0,59}}{END}")]
Months = Annotated[int, Meta(ge=1, le=240)] | None
# 0: no grace after a missed surveillance (ISO 37120)
GraceMonths = Annotated[int, Meta(ge=0, le=240)] | None


class ModelIn(In, kw_only=True):
    """A model: a standard, framework, label, regional certification, quality award or mark, or
    programme. `country` makes it a national scheme of that country (editors of it may write it);
    none: international."""

    code: ModelCodeText
    name: Text
    kind: ModelKind
    lifecycle: Lifecycle
    country: Annotated[str, Meta(pattern=COUNTRY)] | None = None
    owner: Code | None = None
    description: Text | None = None
    aliases: Names = msgspec.field(default_factory=list)
    source_id: Code | None = None
    source_note: Text | None = None
    cycle_months: Months = None
    surveillance_interval_months: Months = None
    surveillance_grace_months: GraceMonths = None
    label_validity_months: Months = None
    activity_window_months: Months = None


class ModelPatch(In, kw_only=True):
    name: Text | UnsetType = UNSET
    kind: ModelKind | UnsetType = UNSET
    lifecycle: Lifecycle | UnsetType = UNSET
    country: Annotated[str, Meta(pattern=COUNTRY)] | None | UnsetType = UNSET
    owner: Code | None | UnsetType = UNSET
    description: Text | None | UnsetType = UNSET
    aliases: Names | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
    source_note: Text | None | UnsetType = UNSET
    cycle_months: Months | UnsetType = UNSET
    surveillance_interval_months: Months | UnsetType = UNSET
    surveillance_grace_months: GraceMonths | UnsetType = UNSET
    label_validity_months: Months | UnsetType = UNSET
    activity_window_months: Months | UnsetType = UNSET


class EditionIn(In, kw_only=True):
    code: Annotated[str, Meta(pattern=rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,29}}{END}")]
    label: Text
    status: EditionStatus = "current"
    published: Annotated[str, Meta(max_length=21)] | None = None
    withdrawn_on: dt.date | None = None
    certificates_valid_until: dt.date | None = None
    aliases: Names = msgspec.field(default_factory=list)
    note: Text | None = None


class EditionPatch(In, kw_only=True):
    label: Text | UnsetType = UNSET
    status: EditionStatus | UnsetType = UNSET
    published: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    withdrawn_on: dt.date | None | UnsetType = UNSET
    certificates_valid_until: dt.date | None | UnsetType = UNSET
    aliases: Names | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET


class LevelIn(In, kw_only=True):
    """A scheme's tier: `code` defaults to one made from the label ('Začetnik CAF' ->
    zacetnik-caf)."""

    code: Annotated[str, Meta(pattern=rf"^[a-z0-9][a-z0-9_-]{{0,59}}{END}")] | None = None
    label: Text
    rank: Annotated[int, Meta(ge=1, le=100)] | None = None
    aliases: Names = msgspec.field(default_factory=list)
    note: Text | None = None
    source_id: Code | None = None


class LevelPatch(In, kw_only=True):
    label: Text | UnsetType = UNSET
    rank: Annotated[int, Meta(ge=1, le=100)] | None | UnsetType = UNSET
    aliases: Names | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
