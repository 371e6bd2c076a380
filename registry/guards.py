"""Checks that run before any handler reads its parameters or body: one litestar guard (registered
in app.py) and the strict reading of JSON bodies (called by app.py's before_request, once the key is
known)."""

from __future__ import annotations

import re

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.params import QueryParameter

from registry.errors import BadParameter, InvalidBody, Unauthorized
from registry.text import CONTROL

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def checked_before_reading(
    connection: ASGIConnection, route_handler: BaseRouteHandler
) -> None:
    """The guard of every route. Asynchronous and alone: litestar runs a synchronous guard in a
    worker thread and hands each guard its own copy of the handler, on every request."""
    writes_need_a_key(connection)
    values_are_one_line_of_text(connection)
    values_are_never_null(connection, route_handler)


def writes_need_a_key(connection: ASGIConnection) -> None:
    """A write without `Authorization` is 401 before its body is read or checked, so an anonymous
    caller learns nothing of the registry's rules from it (a wrong key is 401 too, from
    authenticate_request; a key that may not make the change is 403, from the write)."""
    if connection.scope.get("method") in WRITES and "authorization" not in connection.headers:
        raise Unauthorized("writes need a key: Authorization: Bearer <key>")


def values_are_one_line_of_text(connection: ASGIConnection) -> None:
    """No query value holds a control character: a NUL reached PostgreSQL (which cannot store it in
    text) and came back as an unnamed 400; the others name nothing the registry holds either."""
    for name, value in connection.query_params.multi_items():
        found = CONTROL.search(value)
        if found is not None:
            raise BadParameter(
                name,
                f"holds the control character U+{ord(found.group()):04X}: a parameter is "
                f"one line of text",
            )


def values_are_never_null(connection: ASGIConnection, route_handler: BaseRouteHandler) -> None:
    """`?as_of=null` is not a date: litestar reads the text `null` as an absent value for a
    parameter that may be absent and is not text (a date, a number, a code), so such a value would
    silently mean the default."""
    for name in _nullable(route_handler):
        if "null" in connection.query_params.getall(name, ()):
            raise BadParameter(
                name, "'null' is not a value of this parameter: leave it out for its default"
            )


async def bodies_are_strict(request: Request) -> None:
    """A JSON body is read as JSON Schema reads it: `"public": 0` is not a boolean nor `"year":
    "1990"` a number (litestar converts what it reads leniently, as it must for query text, and the
    handler would get `False` and 1990), while `1990.0` is the integer 1990. 400 naming the field;
    what litestar refuses anyway it reports itself, in errors.py's words."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return
    # request.json(): the one JSON reader (registry/payload.py)
    body = _integral(await request.json())
    try:
        msgspec.convert(body, type=data.annotation, strict=True)
    except msgspec.ValidationError as exc:
        try:
            msgspec.convert(body, type=data.annotation, strict=False)
        except msgspec.ValidationError:
            return  # refused either way: litestar says why
        where = re.search(r" - at `\$\.?([^`]*)`$", str(exc))
        reason = str(exc)[: where.start()] if where else str(exc)
        raise InvalidBody(
            where.group(1) if where and where.group(1) else "body", reason.replace("`", "")
        ) from None


def _integral(value: object) -> object:
    """A body's whole numbers written with a fraction (1990.0) as integers: JSON Schema's `integer`
    is any such number. The registry's bodies hold their numbers in their top-level fields."""
    if isinstance(value, dict):
        return {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in value.items()
        }
    return value


# by the handler's function: a guard is handed a fresh copy of the handler on every request (keyed
# by the copy, this held every request's copy: the server grew by ~1 KB a request)
_found: dict[object, tuple[str, ...]] = {}


def _nullable(handler: BaseRouteHandler) -> tuple[str, ...]:
    """The query parameters of a handler that may be absent and are not text (found once per
    handler)."""
    found = _found.get(handler.fn)
    if found is None:
        names: tuple[str, ...] = ()
        if isinstance(handler, HTTPRouteHandler):
            names = tuple(
                field.kwarg_definition.name or name
                for name, field in handler.parsed_fn_signature.parameters.items()
                if isinstance(field.kwarg_definition, QueryParameter)
                and field.is_optional
                and not any(
                    arg.is_subclass_of(str) for arg in field.inner_types if not arg.is_none_type
                )
            )
        found = _found[handler.fn] = names
    return found
