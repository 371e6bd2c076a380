"""Reads for the model catalogue and bodies."""

from __future__ import annotations

import asyncpg
import msgspec

from registry.catalogue.schemas import Body, Model, ModelSummary
from registry.db import queries
from registry.i18n import gettext
from registry.errors import BadParameter, NotFound, require_printable


def model_code(code: str) -> str:
    """Model codes are written upper-case without spaces or slashes: 'ISO/IEC 27001' -> 'ISO27001'."""
    return code.upper().replace(" ", "").replace("/IEC", "").replace("/", "")


async def check_model(conn: asyncpg.Connection, code: str | None, parameter: str = "model") -> str | None:
    if code is None:
        return None
    normal = model_code(code)
    if any(ord(ch) < 32 for ch in code) or not await conn.fetchval(queries.model_exists, normal):
        raise BadParameter(parameter, gettext("unknown model {code}: see GET /v1/models").format(code=repr(code)))
    return normal


async def list_models(conn: asyncpg.Connection, kind: str | None) -> list[ModelSummary]:
    return [msgspec.convert(dict(r), ModelSummary) for r in await conn.fetch(queries.list_models, kind)]


async def get_model(conn: asyncpg.Connection, code: str) -> Model:
    row = await conn.fetchrow(queries.get_model, model_code(require_printable("model", code)))
    if row is None:
        raise NotFound("model", code)
    return msgspec.convert(dict(row), Model)


async def list_bodies(conn: asyncpg.Connection, role: str | None, country: str | None) -> list[Body]:
    return [msgspec.convert(dict(r), Body) for r in await conn.fetch(queries.list_bodies, role, country)]
