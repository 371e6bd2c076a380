"""HTTP routes for the model catalogue and bodies: reads and writes."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from registry.catalogue import repo
from registry.catalogue.schemas import Body, Model, ModelSummary
from registry.codes import check_country
from registry.curation import catalogue as writes
from registry.curation import catalogue_in as ci
from registry.curation import reference
from registry.curation import schemas as c
from registry.curation.handlers import write, written
from registry.curation.records import BodyRecord
from registry.db import queries
from registry.errors import NotFound
from registry.http import Conn, IfMatch, IfNoneMatch, Who, etag, not_modified, record_response
from registry.labelling import labelled
from registry.schemas import Page
from registry.vocab import BodyRole, ModelKind

Code = Annotated[
    str,
    PathParameter(
        description="The model's code, e.g. ISO9001, CAF, BFC-SEE",
        examples=[Example(value="CAF")],
        min_length=1,
        max_length=100,
    ),
]
Part = Annotated[
    str, PathParameter(description="The edition's or level's code", min_length=1, max_length=100)
]


class ModelController(Controller):
    path = "/v1/models"
    tags = ["catalogue"]

    @get("/", operation_id="listModels", summary="The model catalogue")
    async def list_models(
        self,
        db: Conn,
        kind: Annotated[ModelKind | None, QueryParameter(description="Only this kind")] = None,
        country: Annotated[
            str | None,
            QueryParameter(
                description="Only international models and national schemes of this country (ISO "
                "3166-1 alpha-2)"
            ),
        ] = None,
    ) -> Page[ModelSummary]:
        """Standards, frameworks, labels, regional certifications, quality awards and marks,
        programmes."""
        country = await check_country(db, country)
        return Page(items=labelled(await repo.list_models(db, kind, country)))

    @get(
        "/{code:str}",
        operation_id="getModel",
        summary="One model: editions, levels and lifecycle rules",
    )
    async def get_model(self, db: Conn, code: Code) -> Model:
        """Editions with publication and transition deadlines, levels, aliases, and the rules status
        derivation uses. The code may be written in any common spelling or as an alias (BFC SEE,
        BFC_SEE)."""
        return labelled(await repo.get_model(db, code))

    @post("/", operation_id="createModel", summary="Add a model to the catalogue")
    async def create_model(
        self, state: State, principal: Who, data: JSONBody[ci.ModelIn]
    ) -> Response[c.Written]:
        """International models (no country) need an admin key; a national scheme an editor of its
        country."""
        return written(await write(state, writes.create_model, principal, data), 201)

    @patch("/{code:str}", operation_id="updateModel", summary="Change a model")
    async def update_model(
        self,
        state: State,
        principal: Who,
        code: Code,
        data: JSONBody[ci.ModelPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change; a change of its rules refreshes the statuses of its
        adoptions."""
        return written(await write(state, writes.update_model, principal, code, data, if_match))

    @delete(
        "/{code:str}", operation_id="deleteModel", summary="Delete an unused model", status_code=200
    )
    async def delete_model(
        self, state: State, principal: Who, code: Code, if_match: IfMatch = None
    ) -> c.Written:
        """409 while it is adopted, awarded or run as a programme; its editions and levels go with
        it."""
        return await write(state, writes.delete_model, principal, code, if_match)

    @post("/{code:str}/editions", operation_id="createEdition", summary="Add an edition of a model")
    async def create_edition(
        self, state: State, principal: Who, code: Code, data: JSONBody[ci.EditionIn]
    ) -> Response[c.Written]:
        """An edition with its publication, withdrawal and transition dates."""
        return written(await write(state, writes.create_edition, principal, code, data), 201)

    @patch(
        "/{code:str}/editions/{edition:str}",
        operation_id="updateEdition",
        summary="Change an edition",
    )
    async def update_edition(
        self,
        state: State,
        principal: Who,
        code: Code,
        edition: Part,
        data: JSONBody[ci.EditionPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change; statuses of the model's adoptions are refreshed."""
        return written(
            await write(state, writes.update_edition, principal, code, edition, data, if_match)
        )

    @delete(
        "/{code:str}/editions/{edition:str}",
        operation_id="deleteEdition",
        summary="Delete an unused edition",
        status_code=200,
    )
    async def delete_edition(
        self, state: State, principal: Who, code: Code, edition: Part, if_match: IfMatch = None
    ) -> c.Written:
        """409 while events name it."""
        return await write(state, writes.delete_edition, principal, code, edition, if_match)

    @post("/{code:str}/levels", operation_id="createLevel", summary="Add a level of a model")
    async def create_level(
        self, state: State, principal: Who, code: Code, data: JSONBody[ci.LevelIn]
    ) -> Response[c.Written]:
        """A scheme's tier (WCCD platinum, Začetnik CAF, a medal), ranked from 1 = the lowest."""
        return written(await write(state, writes.create_level, principal, code, data), 201)

    @patch("/{code:str}/levels/{level:str}", operation_id="updateLevel", summary="Change a level")
    async def update_level(
        self,
        state: State,
        principal: Who,
        code: Code,
        level: Part,
        data: JSONBody[ci.LevelPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change."""
        return written(
            await write(state, writes.update_level, principal, code, level, data, if_match)
        )

    @delete(
        "/{code:str}/levels/{level:str}",
        operation_id="deleteLevel",
        summary="Delete an unused level",
        status_code=200,
    )
    async def delete_level(
        self, state: State, principal: Who, code: Code, level: Part, if_match: IfMatch = None
    ) -> c.Written:
        """409 while facts name it."""
        return await write(state, writes.delete_level, principal, code, level, if_match)


class BodyController(Controller):
    path = "/v1/bodies"
    tags = ["catalogue"]

    @get(
        "/",
        operation_id="listBodies",
        summary="Certification, accreditation and award bodies, ministries",
    )
    async def list_bodies(
        self,
        db: Conn,
        role: Annotated[
            BodyRole | None, QueryParameter(description="Only bodies with this role")
        ] = None,
        country: Annotated[str | None, QueryParameter(description="ISO 3166-1 alpha-2")] = None,
    ) -> Page[Body]:
        """Bodies with their roles and who accredits whom."""
        country = await check_country(db, country)
        return Page(items=labelled(await repo.list_bodies(db, role, country)))

    @post("/", operation_id="createBody", summary="Add a body")
    async def create_body(
        self, state: State, principal: Who, data: JSONBody[c.BodyIn]
    ) -> Response[c.Written]:
        """A certification or accreditation body, award organiser, ministry …"""
        return written(await write(state, reference.create_body, principal, data), 201)

    @get("/{body_id:str}", operation_id="getBody", summary="One body")
    async def get_body(
        self, db: Conn, body_id: FromPath[str], if_none_match: IfNoneMatch = None
    ) -> Response[BodyRecord]:
        """The body with its roles and accreditation links, with its ETag."""
        row = await db.fetchrow(queries.get_body, body_id)
        if row is None:
            raise NotFound("body", body_id)
        if not_modified(if_none_match, etag(row["version"])):
            return record_response(dict(row), if_none_match)  # 304
        # labelled like the list's bodies: country_name and roles_labels in the reader's language
        body = labelled(msgspec.convert(dict(row), BodyRecord))
        return Response(body, headers={"ETag": etag(row["version"])})

    @patch("/{body_id:str}", operation_id="updateBody", summary="Change a body")
    async def update_body(
        self,
        state: State,
        principal: Who,
        body_id: FromPath[str],
        data: JSONBody[c.BodyPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change."""
        return written(
            await write(state, reference.update_body, principal, body_id, data, if_match)
        )

    @delete(
        "/{body_id:str}",
        operation_id="deleteBody",
        summary="Delete an unused body",
        status_code=200,
    )
    async def delete_body(
        self, state: State, principal: Who, body_id: FromPath[str], if_match: IfMatch = None
    ) -> c.Written:
        """409 while facts name it."""
        return await write(state, reference.delete_body, principal, body_id, if_match)
