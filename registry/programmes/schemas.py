"""Response shapes for programmes (e.g. a ministry's CAF cohort)."""

from __future__ import annotations

import datetime as dt

from registry.schemas import Base, Ref


class ProgrammeSummary(Base, kw_only=True):
    id: str
    name: str
    model: str
    model_label: str | None = None
    owner: Ref | None = None  # {id, name}, as in the programme
    country: str | None = None
    country_name: str | None = None
    started: str | None = None
    started_display: str | None = None
    member_count: int


class Member(Base, kw_only=True):
    municipality_id: str
    name: str = ""
    name_local: str
    name_latin: str
    joined: str | None = None
    joined_display: str | None = None
    status: str | None = None  # in the programme's model on as_of, with its basis
    status_label: str | None = None
    basis: str | None = None
    basis_label: str | None = None
    status_since: str | None = None
    status_since_display: str | None = None
    source_id: str | None = None
    quote: str | None = None


class Programme(Base, kw_only=True):
    id: str
    as_of: dt.date
    as_of_display: str | None = None
    name: str
    model: str
    model_label: str | None = None
    owner: Ref | None = None
    country: str | None = None
    country_name: str | None = None
    started: str | None = None
    started_display: str | None = None
    note: str | None = None
    source_id: str | None = None
    quote: str | None = None
    members: list[Member]
