"""Response shapes for sources and the facts that cite them."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base


class CitedFact(Base, kw_only=True):
    kind: str
    municipality_id: str
    country: str
    name_local: str
    name_latin: str
    name: str = ""  # the municipality's name in the answer's script
    id: int | None = None
    model: str | None = None
    model_label: str | None = None
    type: str | None = None
    type_label: str | None = None
    scheme: str | None = None
    scheme_label: str | None = None
    year: int | None = None
    level: str | None = None  # an award's level
    level_label: str | None = None
    category: str | None = None  # an award's category, as the scheme names it
    programme_id: str | None = None
    date: str | None = None
    date_display: str | None = None
    quote: str | None = None


class SourceSummary(Base, kw_only=True):
    id: str
    title: str
    publisher: str | None = None
    language: str
    url: str | None = None
    document: str | None = None
    published_on: str | None = None
    published_on_display: str | None = None
    seen_on: dt.date | None = None
    seen_on_display: str | None = None


class Source(SourceSummary, kw_only=True):
    version: int
    note: str | None = None
    events: list[CitedFact]
    awards: list[CitedFact]
    programme_members: list[CitedFact]
    roster_municipalities: int
