"""Domain errors and the one map from errors (and SQLSTATEs) to RFC 9457 problem responses."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class RegistryError(Exception):
    """Base of the errors a client can cause; each maps to one HTTP status."""

    status = 400
    title = "Bad request"
    headers: dict[str, str] = {}

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(RegistryError):
    status = 404
    title = "Not found"

    def __init__(self, kind: str, key: str) -> None:
        from registry.i18n import gettext, label

        super().__init__(
            gettext("no {record} with id {id}").format(
                record=label("record", kind) or kind, id=repr(key)
            ),
            kind=kind,
            id=key,
        )


def require_printable(kind: str, key: str) -> str:
    """Ids never hold control characters (PostgreSQL text cannot even store NUL): such a key names
    nothing."""
    if any(ord(ch) < 32 for ch in key):
        raise NotFound(kind, key)
    return key


class BadParameter(RegistryError):
    status = 400
    title = "Invalid parameter"

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(
            f"{parameter}: {problem}", invalid_params=[{"name": parameter, "reason": problem}]
        )


class Conflict(RegistryError):
    status = 409
    title = "Conflict"


class Unauthorized(RegistryError):
    status = 401
    title = "Unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="registry"'}


class Forbidden(RegistryError):
    status = 403
    title = "Forbidden"


class PreconditionFailed(RegistryError):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(RegistryError):
    """RFC 6585: a change to a record others curate must say which version it changes (If-Match)."""

    status = 428
    title = "Precondition required"


# seconds: the embedded server is restarted within about as long (registry/supervise.py)
RETRY_AFTER = 2
UNREACHABLE = f"the database cannot be reached; nothing was done: try again in {RETRY_AFTER} s"
INTERRUPTED = (
    f"the database stopped answering during the request (it may be restarting): try again in "
    f"{RETRY_AFTER} s; a write that got this answer may or may not have been applied, so read the "
    f"record "
    "before repeating it"
)


class DatabaseUnavailable(RegistryError):
    """The database does not answer: down, restarting or unreachable. 503 with Retry-After, never a
    500."""

    status = 503
    title = "Service unavailable"
    headers = {"Retry-After": str(RETRY_AFTER)}


class ClientGone(RegistryError):
    """The client closed the connection before the answer (the work was cancelled); nobody reads
    this."""

    status = 499
    title = "Client closed request"


# errors that say the database is unreachable or went away, not that the request or the registry is
# wrong: refused or lost connections, a server shutting down, crashed, starting up or in recovery,
# or full
OUTAGE_SQLSTATES = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def is_outage(exc: BaseException) -> bool:
    """Whether an error means the database is not answering (503) rather than a bad request or a
    bug."""
    if isinstance(exc, (DatabaseUnavailable, *OUTAGE_SQLSTATES, ConnectionError, TimeoutError)):
        return True
    # several dependencies failing together (litestar's cleanup)
    if isinstance(exc, BaseExceptionGroup):
        return all(is_outage(e) for e in exc.exceptions)
    # asyncpg says "connection is closed" (or "the underlying connection is closed") when a
    # connection that the server dropped is used again; its other InterfaceErrors are misuse, i.e.
    # bugs. A server that dies sends each idle connection a FATAL message before closing it: a
    # statement sent in between finds the protocol still reading that error ("cannot switch to state
    # 12; another operation (2) is in progress", asyncpg 0.32).
    if isinstance(exc, asyncpg.InterfaceError):
        return "connection is closed" in str(exc)
    return isinstance(exc, asyncpg.InternalClientError) and str(exc).startswith(
        "cannot switch to state"
    )


class InvalidRecord(RegistryError):
    """A well-formed body that breaks a rule of the registry: 422 naming the field."""

    status = 422
    title = "Unprocessable record"

    def __init__(self, field: str, problem: str, **extra: Any) -> None:
        super().__init__(
            f"{field}: {problem}", invalid_params=[{"name": field, "reason": problem}], **extra
        )


class InvalidBody(InvalidRecord):
    """A request body that cannot be read, or holds a value of the wrong form: 400 naming the
    field."""

    status = 400
    title = "Invalid body"


def problem(
    status: int, title: str, detail: str, request: Request | None = None, **extra: Any
) -> Response:
    """An RFC 9457 problem document; the title is in the negotiated language."""
    from registry.i18n import current, label

    language = current()
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": label("problem", title) or title,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    return Response(
        body,
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={"Content-Language": language.content_language(), "Vary": "Accept-Language"},
    )


def _registry_error(request: Request, exc: RegistryError) -> Response:
    response = problem(exc.status, exc.title, exc.detail, request, **exc.extra)
    response.headers.update(exc.headers)
    return response


_STATUSES = frozenset(s.value for s in HTTPStatus)
_NAMED_FIELD = re.compile(
    r"^Object (?:contains unknown|missing required) field `(?P<field>[^`]+)`$"
)


def _plain(key: str | None, message: str) -> tuple[str, str]:
    """(field, reason) from one of msgspec's messages: the field it names, the reason without code
    quotes."""
    named = _NAMED_FIELD.match(message)
    if named:
        field = named["field"] if key is None else f"{key}.{named['field']}"
        return field, "unknown field" if "unknown" in message else "required"
    reason = message.replace("`", "")
    return key or "body", reason[:1].lower() + reason[1:]


def _sent_as(request: Request, key: str | None) -> str | None:
    """The name a request gave a parameter: litestar names a parameter declared as `period_to` with
    QueryParameter(name="to") by its Python name."""
    field = request.route_handler.parsed_fn_signature.parameters.get(key) if key else None
    alias = getattr(getattr(field, "kwarg_definition", None), "name", None)
    return alias or key


def _validation_error(request: Request, exc: ValidationException) -> Response:
    params, in_body = [], False
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key, source = _sent_as(request, item.get("key")), item.get("source")
            in_body = in_body or source == "body"
            # data: the body
            name, reason = _plain(
                None if source == "body" and key == "data" else key or source,
                item.get("message", "invalid"),
            )
            params.append({"name": name, "reason": reason})
    missing = re.match(r"Missing required \w+ parameter '([^']+)'", str(exc.detail))
    if missing and not params:  # litestar names a missing parameter only in its message
        params.append({"name": missing.group(1), "reason": "required"})
    names = ", ".join(p["name"] for p in params) or "request"
    reasons = "; ".join(f"{p['name']}: {p['reason']}" for p in params) or str(exc.detail)
    return problem(
        400,
        "Invalid body" if in_body else "Invalid parameter",
        f"invalid {names} — {reasons}",
        request,
        invalid_params=params,
    )


def _http_error(request: Request, exc: HTTPException) -> Response:
    # the registry's own titles, never the detail: that can be a decoder's message (RFC 9457: the
    # title of a type does not change from occurrence to occurrence)
    titles = {
        404: "Not found",
        405: "Method not allowed",
        413: "Request body too large",
        429: "Too many requests",
        400: "Bad request",
    }
    detail = exc.detail
    if isinstance(exc, NotFoundException) and detail in ("Not Found", ""):
        detail = f"no resource at {request.url.path}"
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 429:
        headers.setdefault("Retry-After", str(headers.get("RateLimit-Reset", 60)))
        detail = "too many requests: wait Retry-After seconds"
    if exc.status_code == 413:
        detail = "the request body is larger than this registry accepts"
    title = titles.get(exc.status_code) or (
        HTTPStatus(exc.status_code).phrase if exc.status_code in _STATUSES else "Error"
    )
    resp = problem(exc.status_code, title, detail, request)
    resp.headers.update(headers)
    return resp


_SQLSTATE = {
    asyncpg.UniqueViolationError: (409, "Conflict", "a record with the same key exists"),
    asyncpg.ForeignKeyViolationError: (
        409,
        "Conflict",
        "the record refers to something that does not exist, or is still referred to",
    ),
    asyncpg.CheckViolationError: (
        422,
        "Unprocessable record",
        "the record breaks a rule of the registry",
    ),
    asyncpg.NotNullViolationError: (422, "Unprocessable record", "a required field is missing"),
    asyncpg.DataError: (400, "Invalid parameter", "a value is not of the expected form"),
}


def _unavailable(request: Request, exc: Exception) -> Response:
    detail = exc.detail if isinstance(exc, DatabaseUnavailable) else INTERRUPTED
    log.warning(
        "database unavailable on %s %s: %s: %s",
        request.method,
        request.url.path,
        type(exc).__name__,
        exc,
    )
    response = problem(503, DatabaseUnavailable.title, detail, request)
    response.headers.update(DatabaseUnavailable.headers)
    return response


# concurrent writes, still clashing after retries
BUSY = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)


def _database_error(request: Request, exc: asyncpg.PostgresError) -> Response:
    if is_outage(exc):
        return _unavailable(request, exc)
    if isinstance(exc, BUSY):
        log.warning(
            "write still clashing with concurrent writes after retries on %s: %s",
            request.url.path,
            exc,
        )
        response = problem(
            503,
            DatabaseUnavailable.title,
            "the write clashed with concurrent writes and was not "
            f"applied: try again in {RETRY_AFTER} s",
            request,
        )
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    for cls, (status, title, detail) in _SQLSTATE.items():
        if isinstance(exc, cls):
            extra = {"constraint": getattr(exc, "constraint_name", None)} if status != 400 else {}
            return problem(status, title, detail, request, **extra)
    return _internal_error(request, exc)


def _other_error(request: Request, exc: Exception) -> Response:
    """An error that means an outage when is_outage says so (lost connections, timeouts), else a
    bug."""
    return _unavailable(request, exc) if is_outage(exc) else _internal_error(request, exc)


def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return problem(
        500, "Internal error", "the registry failed to answer; the error was logged", request
    )


exception_handlers: dict[int | type[Exception], Callable[[Request, Any], Response]] = {
    DatabaseUnavailable: _unavailable,
    RegistryError: _registry_error,
    ValidationException: _validation_error,
    NotFoundException: _http_error,
    MethodNotAllowedException: _http_error,
    HTTPException: _http_error,
    asyncpg.PostgresError: _database_error,
    asyncpg.InterfaceError: _other_error,
    asyncpg.InternalClientError: _other_error,
    OSError: _other_error,
    Exception: _other_error,
}
