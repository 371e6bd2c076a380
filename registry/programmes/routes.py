"""HTTP routes for programmes and their members: reads and writes."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from registry.curation import reference
from registry.curation import schemas as c
from registry.curation.handlers import write, written
from registry.dates import as_of_day
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.http import (
    Conn,
    IfMatch,
    IfNoneMatch,
    Who,
    etag,
    not_modified,
    sees_private,
    unchanged,
)
from registry.labelling import labelled
from registry.programmes.schemas import Programme, ProgrammeSummary
from registry.schemas import Page
from registry.status.store import audience


class ProgrammeController(Controller):
    path = "/v1/programmes"
    tags = ["programmes"]

    @get(
        "/",
        operation_id="listProgrammes",
        summary="Adoption programmes such as a ministry's CAF cohort",
    )
    async def list_programmes(self, db: Conn) -> Page[ProgrammeSummary]:
        """Every programme with its model, owner and member count."""
        rows = await db.fetch(queries.list_programmes)
        return Page(items=labelled([msgspec.convert(dict(r), ProgrammeSummary) for r in rows]))

    @get(
        "/{programme_id:str}", operation_id="getProgramme", summary="One programme and its members"
    )
    async def get_programme(
        self,
        db: Conn,
        request: Request,
        programme_id: Annotated[
            str,
            PathParameter(
                description="Programme id", examples=[Example(value="si-mju-caf-obcine")]
            ),
        ],
        as_of: Annotated[
            dt.date | None, QueryParameter(description="Derive member statuses on this day")
        ] = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Programme]:
        """Members with their join date and their status in the programme's model on `as_of`. ETag
        "version.as_of.digest": the programme's version (for If-Match), the day, and a digest of
        what the answer holds, which also changes with its members and their statuses; If-None-Match
        gives 304."""
        day = as_of_day(as_of)
        row = await db.fetchrow(
            queries.get_programme,
            require_printable("programme", programme_id),
            day,
            audience(sees_private(request)),
        )
        if row is None:
            raise NotFound("programme", programme_id)
        digest = hashlib.sha256(msgspec.json.encode(dict(row))).hexdigest()[:16]
        tag = etag(row["version"], f"{day.isoformat()}.{digest}")
        if not_modified(if_none_match, tag):
            return unchanged({"ETag": tag})
        return Response(
            labelled(msgspec.convert({**dict(row), "as_of": day.isoformat()}, Programme)),
            headers={"ETag": tag},
        )

    @post("/", operation_id="createProgramme", summary="Add a programme")
    async def create_programme(
        self, state: State, principal: Who, data: JSONBody[c.ProgrammeIn]
    ) -> Response[c.Written]:
        """A programme such as a ministry's CAF cohort, in one country."""
        return written(await write(state, reference.create_programme, principal, data), 201)

    @patch("/{programme_id:str}", operation_id="updateProgramme", summary="Change a programme")
    async def update_programme(
        self,
        state: State,
        principal: Who,
        programme_id: FromPath[str],
        data: JSONBody[c.ProgrammePatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change."""
        return written(
            await write(state, reference.update_programme, principal, programme_id, data, if_match)
        )

    @delete(
        "/{programme_id:str}",
        operation_id="deleteProgramme",
        summary="Delete a programme",
        status_code=200,
    )
    async def delete_programme(
        self, state: State, principal: Who, programme_id: FromPath[str], if_match: IfMatch = None
    ) -> c.Written:
        """Its memberships go with it."""
        return await write(state, reference.delete_programme, principal, programme_id, if_match)

    @put(
        "/{programme_id:str}/members/{municipality_id:str}",
        operation_id="putProgrammeMember",
        summary="Add or change a member",
    )
    async def put_member(
        self,
        state: State,
        principal: Who,
        programme_id: FromPath[str],
        municipality_id: FromPath[str],
        data: JSONBody[c.MemberIn],
    ) -> Response[c.Written]:
        """Idempotent: the same body twice changes nothing the second time."""
        return written(
            await write(state, reference.put_member, principal, programme_id, municipality_id, data)
        )

    @delete(
        "/{programme_id:str}/members/{municipality_id:str}",
        operation_id="deleteProgrammeMember",
        summary="Remove a member",
        status_code=200,
    )
    async def delete_member(
        self,
        state: State,
        principal: Who,
        programme_id: FromPath[str],
        municipality_id: FromPath[str],
    ) -> c.Written:
        """The removed membership stays in the change feed."""
        return await write(state, reference.delete_member, principal, programme_id, municipality_id)
