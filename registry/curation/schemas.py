"""Request bodies for writes (Create = every field, Patch = only what changes) and change-feed
shapes.

Unknown fields are refused (400 naming them); rules that need the database answer 422 naming the
field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from registry.dates import OUTSIDE, in_range
from registry.errors import InvalidBody, InvalidRecord
from registry.schemas import END, Base
from registry.text import CONTROL, CONTROL_IN_TEXT, MULTILINE
from registry.vocab import (
    AwardLevel,
    BodyRole,
    DateKind,
    EventType,
    EvidenceLevel,
    IdentifierScheme,
    Kind,
    StatedPrecision,
    Tier,
)

Code = Annotated[str, Meta(min_length=1, max_length=100)]
Text = Annotated[str, Meta(min_length=1, max_length=2000)]
Quote = Annotated[str, Meta(min_length=1, max_length=5000)]
Slug = Annotated[str, Meta(pattern=rf"^[a-z0-9][a-z0-9-]{{0,99}}{END}")]
NonNegative = Annotated[int, Meta(ge=0, le=10_000)]
# printable ASCII: an address with a space or a control character is none
URL = rf"^https?://[!-~]+{END}"
COUNTRY = rf"^[A-Za-z]{{2}}{END}"


class In(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of request bodies. Every value is checked where it is decoded, for writes and imports
    alike: text holds no control character (400 naming the field), days lie in the days the registry
    records (422)."""

    def __post_init__(self) -> None:
        for name, value in zip(self.__struct_fields__, msgspec.structs.astuple(self), strict=True):
            # most values: checked here, without a call (imports convert every row)
            if value.__class__ is str:
                if not value.isprintable():
                    _check(name, value)
            elif isinstance(value, (list, dict, dt.date)):
                _check(name, value)


# an adoption's scope (part of its identity): "" or null = the whole administration, which answers
# give as null
Scope = Annotated[str, Meta(max_length=200)] | None


def _check(field: str, value: Any) -> None:
    if isinstance(value, str):
        multiline = field in MULTILINE
        found = (CONTROL_IN_TEXT if multiline else CONTROL).search(value)
        if found is not None:
            raise InvalidBody(
                field,
                f"holds the control character U+{ord(found.group()):04X} (character "
                f"{found.start() + 1}): "
                + (
                    "of the control characters only tab and newline may occur in it"
                    if multiline
                    else "it is one line of text, without tabs, line breaks or other control "
                    "characters"
                ),
            )
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _check(f"{field}[{n}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(f"{field}.{key}", item)
    elif isinstance(value, dt.date) and not in_range(value):
        raise InvalidRecord(field, f"{value} {OUTSIDE}")


class _Scoped(In, kw_only=True):
    """A body naming an adoption's scope: "" or null for the whole administration (stored as "")."""

    def __post_init__(self) -> None:
        if getattr(self, "scope", "") is None:
            setattr(self, "scope", "")  # noqa: B010 - the subclasses declare scope
        super().__post_init__()


class EventIn(_Scoped, kw_only=True):
    municipality: Code
    model: Code
    scope: Scope = ""
    type: EventType
    date: Annotated[str, Meta(max_length=21)] | None = None
    date_precision: StatedPrecision | None = None
    date_kind: DateKind = "event"
    edition: Code | None = None
    edition_stated: Annotated[str, Meta(min_length=1, max_length=300)] | None = None
    level: Code | None = None
    body: Code | None = None
    certificate_number: Annotated[str, Meta(max_length=100)] | None = None
    valid_until: Annotated[str, Meta(max_length=21)] | None = None
    major_nonconformities: NonNegative | None = None
    minor_nonconformities: NonNegative | None = None
    evidence_level: EvidenceLevel
    score: Annotated[float, Meta(ge=0, le=100)] | None = None
    public: bool = True
    note: Text | None = None
    source_id: Code | None = None
    quote: Quote | None = None
    unsourced: bool = False


class EventPatch(In, kw_only=True):
    type: EventType | UnsetType = UNSET
    date: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    date_precision: StatedPrecision | None | UnsetType = UNSET
    date_kind: DateKind | UnsetType = UNSET
    edition: Code | None | UnsetType = UNSET
    edition_stated: Annotated[str, Meta(min_length=1, max_length=300)] | None | UnsetType = UNSET
    level: Code | None | UnsetType = UNSET
    body: Code | None | UnsetType = UNSET
    certificate_number: Annotated[str, Meta(max_length=100)] | None | UnsetType = UNSET
    valid_until: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    major_nonconformities: NonNegative | None | UnsetType = UNSET
    minor_nonconformities: NonNegative | None | UnsetType = UNSET
    evidence_level: EvidenceLevel | UnsetType = UNSET
    score: Annotated[float, Meta(ge=0, le=100)] | None | UnsetType = UNSET
    public: bool | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
    quote: Quote | None | UnsetType = UNSET
    unsourced: bool | UnsetType = UNSET


class AwardIn(In, kw_only=True):
    municipality: Code
    scheme: Code
    year: Annotated[int, Meta(ge=1900, le=2100)] | None = None  # None: the source does not state it
    edition: Annotated[str, Meta(max_length=300)] | None = None
    category: Annotated[str, Meta(max_length=300)] | None = None
    level: AwardLevel
    scheme_level: Code | None = None  # one of the scheme's levels (GET /v1/models/{code})
    date: Annotated[str, Meta(max_length=21)] | None = None
    body: Code | None = None
    public: bool = True
    note: Text | None = None
    source_id: Code | None = None
    quote: Quote | None = None
    unsourced: bool = False


class AwardPatch(In, kw_only=True):
    scheme: Code | UnsetType = UNSET
    year: Annotated[int, Meta(ge=1900, le=2100)] | None | UnsetType = UNSET
    edition: Annotated[str, Meta(max_length=300)] | None | UnsetType = UNSET
    category: Annotated[str, Meta(max_length=300)] | None | UnsetType = UNSET
    level: AwardLevel | UnsetType = UNSET
    scheme_level: Code | None | UnsetType = UNSET
    date: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    body: Code | None | UnsetType = UNSET
    public: bool | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
    quote: Quote | None | UnsetType = UNSET
    unsourced: bool | UnsetType = UNSET


class SourceIn(In, kw_only=True):
    id: Slug
    url: Annotated[str, Meta(pattern=URL, max_length=2000)] | None = None
    document: Annotated[str, Meta(max_length=500)] | None = None
    title: Text
    publisher: Annotated[str, Meta(max_length=300)] | None = None
    language: Annotated[str, Meta(pattern=rf"^[A-Za-z]{{2,3}}(-[A-Za-z0-9]{{2,8}})*{END}")]
    published_on: Annotated[str, Meta(max_length=21)] | None = None
    seen_on: dt.date | None = None
    note: Text | None = None


class SourcePatch(In, kw_only=True):
    url: Annotated[str, Meta(pattern=URL, max_length=2000)] | None | UnsetType = UNSET
    document: Annotated[str, Meta(max_length=500)] | None | UnsetType = UNSET
    title: Text | UnsetType = UNSET
    publisher: Annotated[str, Meta(max_length=300)] | None | UnsetType = UNSET
    language: (
        Annotated[str, Meta(pattern=rf"^[A-Za-z]{{2,3}}(-[A-Za-z0-9]{{2,8}})*{END}")] | UnsetType
    ) = UNSET
    published_on: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    seen_on: dt.date | None | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET


Names = list[Annotated[str, Meta(min_length=1, max_length=2000)]]


class Accreditation(In, kw_only=True):
    """Who accredits a body, for what, when: the issuer -> accreditor chain of a certificate."""

    accreditor: Code  # the accreditation body's id
    scheme: Annotated[str, Meta(min_length=1, max_length=100)] = "ISO/IEC 17021-1"
    scope: Annotated[str, Meta(max_length=2000)] | None = None
    number: Annotated[str, Meta(max_length=100)] | None = None
    granted_on: dt.date | None = None
    valid_until: dt.date | None = None
    source_id: Code | None = None
    note: Text | None = None


class BodyIn(In, kw_only=True):
    id: Slug
    name: Text
    short_name: Annotated[str, Meta(max_length=100)] | None = None
    country: Annotated[str, Meta(pattern=COUNTRY)] | None = None
    roles: list[BodyRole] = msgspec.field(default_factory=list)
    url: Annotated[str, Meta(pattern=URL, max_length=2000)] | None = None
    source_id: Code | None = None
    note: Text | None = None
    aliases: Names = msgspec.field(default_factory=list)  # other ways sources write its name
    former_names: Names = msgspec.field(default_factory=list)
    accreditations: list[Accreditation] = msgspec.field(default_factory=list)


class BodyPatch(In, kw_only=True):
    name: Text | UnsetType = UNSET
    short_name: Annotated[str, Meta(max_length=100)] | None | UnsetType = UNSET
    country: Annotated[str, Meta(pattern=COUNTRY)] | None | UnsetType = UNSET
    roles: list[BodyRole] | UnsetType = UNSET
    url: Annotated[str, Meta(pattern=URL, max_length=2000)] | None | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    aliases: Names | UnsetType = UNSET
    former_names: Names | UnsetType = UNSET
    accreditations: list[Accreditation] | UnsetType = UNSET


class ProgrammeIn(In, kw_only=True):
    id: Slug
    name: Text
    owner: Code | None = None
    model: Code
    country: Annotated[str, Meta(pattern=COUNTRY)]
    started: Annotated[str, Meta(max_length=21)] | None = None
    note: Text | None = None
    source_id: Code | None = None
    quote: Quote | None = None


class ProgrammePatch(In, kw_only=True):
    name: Text | UnsetType = UNSET
    owner: Code | None | UnsetType = UNSET
    model: Code | UnsetType = UNSET
    started: Annotated[str, Meta(max_length=21)] | None | UnsetType = UNSET
    note: Text | None | UnsetType = UNSET
    source_id: Code | None | UnsetType = UNSET
    quote: Quote | None | UnsetType = UNSET


class MemberIn(In, kw_only=True):
    joined: Annotated[str, Meta(max_length=21)] | None = None
    source_id: Code | None = None
    quote: Quote | None = None
    unsourced: bool = False


class MunicipalityIn(In, kw_only=True):
    """A municipality of a country without a complete roster."""

    id: Annotated[str, Meta(pattern=rf"^[a-z]{{2}}-[a-z0-9][a-z0-9-]{{0,80}}{END}")] | None = None
    country: Annotated[str, Meta(pattern=COUNTRY)]
    national_code: Annotated[str, Meta(max_length=50)] | None = None
    kind: Kind
    region: Code | None = None
    name_local: Text
    name_latin: Text | None = None
    name_variants: list[Annotated[str, Meta(min_length=1, max_length=300)]] = msgspec.field(
        default_factory=list
    )
    population: Annotated[int, Meta(ge=0, le=2**31 - 1)] | None = None
    population_year: Annotated[int, Meta(ge=1800, le=2100)] | None = None
    area_km2: Annotated[float, Meta(ge=0.01, lt=1e10)] | None = None
    identifiers: dict[IdentifierScheme, Annotated[str, Meta(min_length=1, max_length=100)]] = (
        msgspec.field(default_factory=dict)
    )
    note: Text | None = None
    tier: Tier = "municipality"
    parent: Code | None = None  # the municipality that owns an agency (or holds a sub-unit)
    allow_similar: bool = False  # add it even though a unit of a similar name exists


class MunicipalityPatch(In, kw_only=True):
    """Curated fields of any municipality; the roster fields only of municipalities added by
    curators."""

    name_variants: list[Annotated[str, Meta(min_length=1, max_length=300)]] | UnsetType = UNSET
    identifiers: (
        dict[IdentifierScheme, Annotated[str, Meta(min_length=1, max_length=100)]] | UnsetType
    ) = UNSET
    note: Text | None | UnsetType = UNSET
    national_code: Annotated[str, Meta(max_length=50)] | None | UnsetType = UNSET
    kind: Kind | UnsetType = UNSET
    region: Code | None | UnsetType = UNSET
    name_local: Text | UnsetType = UNSET
    name_latin: Text | None | UnsetType = UNSET
    population: Annotated[int, Meta(ge=0, le=2**31 - 1)] | None | UnsetType = UNSET
    population_year: Annotated[int, Meta(ge=1800, le=2100)] | None | UnsetType = UNSET
    area_km2: Annotated[float, Meta(ge=0.01, lt=1e10)] | None | UnsetType = UNSET


ROSTER_FIELDS = (
    "national_code",
    "kind",
    "region",
    "name_local",
    "name_latin",
    "population",
    "population_year",
    "area_km2",
)


class AdoptionIn(_Scoped, kw_only=True):
    municipality: Code
    model: Code
    scope: Scope = ""
    note: Text | None = None


class AdoptionPatch(In, kw_only=True):
    note: Text | None | UnsetType = UNSET


class Written(Base, kw_only=True):
    """What a write did: the record's address, its new version (use it in If-Match) and the change
    id."""

    entity: str
    id: str
    version: int | None = None
    change_id: int | None = None  # None: the write changed nothing and recorded no change
    record: dict[str, Any] | None = None


class Change(Base, kw_only=True):
    id: int
    at: dt.datetime
    key_name: str
    action: str
    entity: str
    entity_id: str
    municipality_id: str | None = None
    import_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class ChangePage(Base, kw_only=True):
    items: list[Change]
    next: str | None = None
    resume: str
