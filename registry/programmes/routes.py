"""HTTP routes for programmes and their members."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from registry.curation.routes import ProgrammeWrites
from registry.dates import as_of_day
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.programmes.schemas import Programme, ProgrammeSummary
from registry.schemas import Page

Conn = NamedDependency[asyncpg.Connection]


class ProgrammeController(Controller, ProgrammeWrites):
    path = "/v1/programmes"
    tags = ["programmes"]

    @get("/", operation_id="listProgrammes", summary="Adoption programmes such as a ministry's CAF cohort")
    async def list_programmes(self, db: Conn) -> Page:
        """Every programme with its model, owner and member count."""
        rows = await db.fetch(queries.list_programmes)
        return Page(items=[msgspec.convert(dict(r), ProgrammeSummary) for r in rows])

    @get("/{programme_id:str}", operation_id="getProgramme", summary="One programme and its members")
    async def get_programme(
        self, db: Conn, programme_id: FromPath[str],
        as_of: Annotated[dt.date | None, QueryParameter(description="Derive member statuses on this day")] = None,
    ) -> Programme:
        """Members with their join date and their status in the programme's model on `as_of`."""
        day = as_of_day(as_of)
        row = await db.fetchrow(queries.get_programme, require_printable("programme", programme_id), day)
        if row is None:
            raise NotFound("programme", programme_id)
        return msgspec.convert({**dict(row), "as_of": day.isoformat()}, Programme)
