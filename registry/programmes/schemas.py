"""Response shapes for programmes (e.g. a ministry's CAF cohort)."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref


class ProgrammeSummary(Base, kw_only=True):
    id: str
    name: str
    model: str
    owner: str | None = None
    country: str | None = None
    started: str | None = None
    member_count: int


class Member(Base, kw_only=True):
    municipality_id: str
    name_local: str
    name_latin: str
    joined: str | None = None
    status: str | None = None
    status_since: str | None = None
    source_id: str | None = None
    quote: str | None = None


class Programme(Base, kw_only=True):
    id: str
    as_of: dt.date
    name: str
    model: str
    owner: Ref | None = None
    country: str | None = None
    started: str | None = None
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    members: list[Member]
