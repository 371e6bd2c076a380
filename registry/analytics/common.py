"""What the analytics share: reading municipality identifiers and id lists, and which statuses hold
a model."""

from __future__ import annotations

import asyncpg

from registry.db import queries
from registry.errors import BadParameter, require_printable
from registry.status.evidence import HELD

HOLDING = HELD  # as is_holding() in SQL (sql/functions/10_status.sql)


def split_identifier(token: str) -> tuple[str, str]:
    """'teryt:1261011' -> ('teryt', '1261011'); a bare token is a registry id (or an ISO 3166-2
    code)."""
    scheme, sep, value = token.strip().partition(":")
    if sep:
        return scheme.lower(), value.strip()
    return "id", token.strip()


async def resolve_ids(conn: asyncpg.Connection, tokens: list[str], parameter: str) -> list[str]:
    """Registry ids for crosswalk tokens, in order; 400 naming every token that resolves to
    nothing."""
    pairs = [split_identifier(t) for t in tokens]
    for token in tokens:
        require_printable("municipality", token)
    rows = await conn.fetch(queries.resolve_many, [p[0] for p in pairs], [p[1] for p in pairs])
    unknown = [tokens[r["ord"] - 1] for r in rows if r["municipality_id"] is None]
    if unknown:
        raise BadParameter(
            parameter,
            f"no municipality for {', '.join(unknown)} "
            "(use registry ids such as si-050, or scheme:value such as teryt:1261011)",
        )
    return [r["municipality_id"] for r in rows]


def id_list(raw: str, parameter: str, minimum: int, maximum: int) -> list[str]:
    tokens = [t for t in (x.strip() for x in raw.split(",")) if t]
    if not minimum <= len(tokens) <= maximum:
        raise BadParameter(
            parameter, f"give {minimum} to {maximum} comma-separated ids, got {len(tokens)}"
        )
    if len(set(tokens)) != len(tokens):
        raise BadParameter(parameter, "an id is repeated")
    return tokens
