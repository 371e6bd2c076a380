"""Reads for the model catalogue and bodies."""

from __future__ import annotations

import asyncpg
import msgspec

from registry.catalogue.schemas import Body, Model, ModelSummary
from registry.codes import resolve_model
from registry.db import queries
from registry.errors import NotFound, require_printable


async def list_models(
    conn: asyncpg.Connection, kind: str | None, country: str | None = None
) -> list[ModelSummary]:
    return [
        msgspec.convert(dict(r), ModelSummary)
        for r in await conn.fetch(queries.list_models, kind, country)
    ]


async def get_model(conn: asyncpg.Connection, code: str) -> Model:
    found = await resolve_model(conn, require_printable("model", code))
    row = await conn.fetchrow(queries.get_model, found) if found else None
    if row is None:
        raise NotFound("model", code)
    return msgspec.convert(dict(row), Model)


async def list_bodies(
    conn: asyncpg.Connection, role: str | None, country: str | None
) -> list[Body]:
    return [
        msgspec.convert(dict(r), Body) for r in await conn.fetch(queries.list_bodies, role, country)
    ]
