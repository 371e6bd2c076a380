"""HTTP routes for the model catalogue and bodies."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter

from registry.catalogue import repo
from registry.catalogue.schemas import Body, Model, ModelSummary
from registry.curation.routes import BodyWrites
from registry.labelling import labelled
from registry.places.repo import check_country
from registry.schemas import Page
from registry.vocab import BodyRole, ModelKind

Conn = NamedDependency[asyncpg.Connection]


class ModelController(Controller):
    path = "/v1/models"
    tags = ["catalogue"]

    @get("/", operation_id="listModels", summary="The model catalogue")
    async def list_models(
        self, db: Conn, kind: Annotated[ModelKind | None, QueryParameter(description="Only this kind")] = None,
    ) -> Page[ModelSummary]:
        """Standards, frameworks, regional certifications and award schemes."""
        return Page(items=labelled(await repo.list_models(db, kind)))

    @get("/{code:str}", operation_id="getModel", summary="One model: editions and lifecycle rules")
    async def get_model(self, db: Conn, code: Annotated[str, PathParameter(description="e.g. ISO9001, CAF",
                                                                            examples=[Example(value="CAF")])]) -> Model:
        """Editions with publication and transition deadlines, and the rules status derivation uses."""
        return labelled(await repo.get_model(db, code))


class BodyController(Controller, BodyWrites):
    path = "/v1/bodies"
    tags = ["catalogue"]

    @get("/", operation_id="listBodies", summary="Certification, accreditation and award bodies, ministries")
    async def list_bodies(
        self, db: Conn,
        role: Annotated[BodyRole | None, QueryParameter(description="Only bodies with this role")] = None,
        country: Annotated[str | None, QueryParameter(description="ISO 3166-1 alpha-2")] = None,
    ) -> Page[Body]:
        """Bodies with their roles and who accredits whom."""
        country = await check_country(db, country)
        return Page(items=labelled(await repo.list_bodies(db, role, country)))
