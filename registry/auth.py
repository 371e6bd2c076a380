"""API keys: `Authorization: Bearer <key>`, roles (admin, editor scoped to countries, reader),
hashed storage."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

import asyncpg
import msgspec

from registry.db import queries
from registry.errors import Forbidden, Unauthorized

ROLES = ("admin", "editor", "reader")
KEY_PREFIX = "mqr_"


class Principal(msgspec.Struct, frozen=True):
    """Who is calling: the key's name, its role and (for editors) the countries it may change."""

    name: str
    role: str
    countries: tuple[str, ...] = ()

    def may_write(self, country: str | None) -> bool:
        if self.role == "admin":
            return True
        if self.role != "editor":
            return False
        return country is not None and country.upper() in self.countries


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


async def create_key(
    conn: asyncpg.Connection, name: str, role: str, countries: Iterable[str]
) -> str:
    """Store a new key (its hash only) and return the secret, which is shown once."""
    countries = sorted({c.upper() for c in countries})
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "editor" and not countries:
        raise ValueError("an editor key needs at least one --country")
    if role != "editor" and countries:
        raise ValueError("only editor keys are scoped to countries")
    secret = new_secret()
    await conn.execute(queries.insert_key, name, role, countries, hash_secret(secret), secret[:10])
    return secret


def key_hash(authorization: str | None) -> str | None:
    """The identity of the key in an Authorization header: the hash it is stored under. None without
    a header; 401 unless it is `Bearer <key>`. The scheme's case and the whitespace around and
    between do not matter, so every spelling of one key is the same caller (for authentication and
    for the rate limit alike)."""
    if not authorization:
        return None
    parts = authorization.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise Unauthorized("use Authorization: Bearer <key>")
    return hash_secret(parts[1])


async def authenticate(conn: asyncpg.Connection, authorization: str | None) -> Principal | None:
    """The principal behind an Authorization header; None without one; 401 for a wrong or revoked
    key."""
    identity = key_hash(authorization)
    if identity is None:
        return None
    row = await conn.fetchrow(queries.key_by_hash, identity)
    if row is None:
        raise Unauthorized("the key is unknown or revoked")
    return Principal(row["name"], row["role"], tuple(row["countries"]))


def require_writer(principal: Principal | None, country: str | None, what: str) -> Principal:
    """The principal if it may change `what` in `country`; 401 without a key, 403 outside its
    scope."""
    if principal is None:
        raise Unauthorized("writes need a key: Authorization: Bearer <key>")
    if not principal.may_write(country):
        if principal.role == "reader":
            raise Forbidden(f"key {principal.name!r} is a reader key and cannot change {what}")
        raise Forbidden(
            f"key {principal.name!r} may change records of "
            f"{', '.join(principal.countries) or 'no country'}"
            f", not {what}" + (f" in {country}" if country else "")
        )
    return principal
