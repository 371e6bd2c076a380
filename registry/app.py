"""create_app(settings) -> Litestar: routers, lifespan, dependencies, error handlers, OpenAPI."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import gc
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Literal

import asyncpg
import msgspec
from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.params import Parameter

from registry import __version__, web
from registry.analytics.routes import AnalyticsController
from registry.auth import key_hash
from registry.cache import VersionedCache, VersionWatch
from registry.catalogue.routes import BodyController, ModelController
from registry.csvout import csv_requested, page_as_csv, wants_csv
from registry.curation.routes import CurationController
from registry.db import LazyConnection, create_pool, ensure_registry_database
from registry.errors import (
    INTERRUPTED,
    BadParameter,
    DatabaseUnavailable,
    Unauthorized,
    exception_handlers,
    is_outage,
)
from registry.guards import bodies_are_strict, checked_before_reading
from registry.http import authenticate_request, provide_principal
from registry.i18n import (
    ENGLISH,
    NAMES,
    SUPPORTED,
    UnsupportedLanguage,
    activate,
    activate_script,
    current,
    negotiate,
)
from registry.limits import HeaderLimit
from registry.openapi import render_plugins
from registry.payload import RegistryRequest
from registry.places.routes import CountryController, MunicipalityController
from registry.programmes.routes import ProgrammeController
from registry.schemas import Base, Page
from registry.settings import Settings
from registry.sources.routes import SourceController
from registry.supervise import Supervisor, resolve_database


class Health(Base, kw_only=True):
    status: Literal["ok"]
    database: Literal["ok"]
    schema_version: int
    time: dt.datetime


class HealthDown(Base, kw_only=True):
    status: Literal["unavailable"]
    database: Literal["down"]
    detail: str
    time: dt.datetime


HEALTH_TIMEOUT = 2.0  # seconds the database has to answer /health
# encoded answers reused (profiles, list pages, comparisons; registry/cache.py): a few MB at most
PAGES_KEPT = 1024


current_path: contextvars.ContextVar[str] = contextvars.ContextVar("current_path", default="")


async def negotiate_language(request: Request) -> Response | None:
    """Before each request: the language (`lang`, then Accept-Language, then English) and the
    script."""
    if request.method == "OPTIONS":
        return allowed_methods(request)
    activate(ENGLISH)
    try:
        language = negotiate(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )
    except UnsupportedLanguage:
        raise BadParameter(
            "lang",
            "unknown language {lang}; supported: {tags} (other languages that CLDR knows "
            "get localized country names, dates and numbers with English labels)".format(
                lang=repr(request.query_params.get("lang")), tags=", ".join(SUPPORTED)
            ),
        ) from None
    activate(language)
    script = request.query_params.get("script")
    if script not in (None, "Latn", "Cyrl"):
        raise BadParameter("script", "use Latn or Cyrl")
    activate_script(script)
    csv_requested.set(wants_csv(request))
    current_path.set(request.scope["path"])
    await authenticate_request(request)
    await bodies_are_strict(request)
    return None


def allowed_methods(request: Request) -> Response:
    """OPTIONS: the methods of the address. Litestar 2's own answer lists only the method registered
    first at an address that has several (litestar issue 4169, fixed in 3)."""
    template = request.scope.get("path_template")
    methods = next(
        (route.methods for route in request.app.routes if route.path_format == template), set()
    )
    return Response(
        None, status_code=204, headers={"Allow": ", ".join(sorted({*methods, "OPTIONS"}))}
    )


async def localize_response(response: Response) -> Response:
    """After each request: a list page as CSV when that was asked for, and the language headers.
    Answers come labelled from their handlers (registry/labelling.py)."""
    language = current()
    content = response.content
    # a Response made without a status code gets the route's 200
    if (
        csv_requested.get()
        and isinstance(content, msgspec.Struct)
        and isinstance(getattr(content, "items", None), list)
        and (response.status_code or 200) < 300
    ):
        response = page_as_csv(msgspec.to_builtins(content), current_path.get())
    response.headers["Content-Language"] = language.content_language()
    vary = response.headers.get("Vary")  # a CSV answer's "Accept" (csv_response) stays
    response.headers["Vary"] = (
        f"{vary}, Accept-Language"
        if vary and "Accept-Language" not in vary
        else vary or "Accept-Language"
    )
    return response


class LanguageInfo(Base, kw_only=True):
    tag: str
    name: str
    full: bool


@get(
    "/v1/languages",
    operation_id="listLanguages",
    summary="Languages the registry answers in",
    tags=["meta"],
)
async def languages() -> Page[LanguageInfo]:
    """The six full languages: every label translated. Any other language CLDR knows gets localized
    country names, dates and numbers, English domain labels, and `Content-Language: <tag>, en`."""
    return Page(items=[LanguageInfo(tag=tag, name=NAMES[tag], full=True) for tag in SUPPORTED])


def provide_answers(state: State) -> VersionedCache:
    """The application's reused answers (one cache per application, i.e. per database)."""
    return state.answers


def provide_pages(state: State) -> VersionedCache:
    """The application's reused encoded answers: profiles, list pages, comparisons."""
    return state.pages


async def provide_db(state: State) -> AsyncGenerator[asyncpg.Connection, None]:
    """A pooled connection for the length of one request."""
    async with state.pool.acquire() as conn:
        yield conn


async def provide_lazy_db(state: State) -> AsyncGenerator[LazyConnection, None]:
    """A pooled connection taken only if the request asks for one, given back at its end."""
    lazy = LazyConnection(state.pool)
    try:
        yield lazy
    finally:
        await lazy.close()


async def _schema_version(state: State) -> int:
    async with state.pool.acquire() as conn:
        return await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migration")


# health probes past their time, kept until the database lets them end
_probes: set[asyncio.Task] = set()


def _probe_ended(probe: asyncio.Task) -> None:
    _probes.discard(probe)
    if not probe.cancelled():
        probe.exception()  # retrieved: nobody waits for it any more


HEALTH_DOWN = ResponseSpec(
    HealthDown,
    generate_examples=False,
    description=(
        f"The database does not answer (down, restarting or unreachable) within "
        f"{HEALTH_TIMEOUT:g} s; `Retry-After` "
        "says when to ask again"
    ),
)


@get(
    "/health",
    operation_id="health",
    summary="Liveness and database check",
    tags=["meta"],
    response_description=f"The database answers within {HEALTH_TIMEOUT:g} s: status and database "
    f"`ok`",
    responses={503: HEALTH_DOWN},
)
async def health(state: State) -> Response[Health]:
    """200 `ok` when the database answers within 2 s (HEALTH_TIMEOUT); the schema version is the
    last applied migration. 503 `unavailable` with `database: down`, the reason and `Retry-After`
    when it does not."""
    probe = asyncio.ensure_future(_schema_version(state))
    # shielded: a connection whose statement was cancelled goes back to the pool only once the
    # server acknowledges the cancel, and a server that does not answer would hold this answer as
    # long
    try:
        version = await asyncio.wait_for(asyncio.shield(probe), HEALTH_TIMEOUT)
    except Exception as exc:
        if not is_outage(exc):
            raise
        if not probe.done():
            probe.cancel()
            _probes.add(probe)
            probe.add_done_callback(_probe_ended)
        detail = (
            f"the database did not answer within {HEALTH_TIMEOUT:g} s"
            if isinstance(exc, TimeoutError)
            else exc.detail
            if isinstance(exc, DatabaseUnavailable)
            else INTERRUPTED
        )
        # documented as the 503 answer (HEALTH_DOWN), not the handler's return type
        down: Response = Response(
            HealthDown(
                status="unavailable", database="down", detail=detail, time=dt.datetime.now(dt.UTC)
            ),
            status_code=503,
            headers=dict(DatabaseUnavailable.headers),
        )
        return down
    return Response(
        Health(status="ok", database="ok", schema_version=version, time=dt.datetime.now(dt.UTC))
    )


def _caller(request: Request) -> str:
    """Rate-limit identity: the key (its hash, however the header spells it) when one is sent, else
    the client address (also for a malformed Authorization header, which gets 401)."""
    try:
        identity = key_hash(request.headers.get("authorization"))
    except Unauthorized:
        identity = None
    if identity is not None:
        return "key:" + identity
    return "addr:" + (request.client.host if request.client else "unknown")


def rate_limit(settings: Settings) -> RateLimitConfig:
    return RateLimitConfig(
        rate_limit=("minute", settings.rate_limit_per_minute),
        identifier_for_request=_caller,
        exclude=["/health"],
    )


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the application. With no database_url in settings, an embedded server is started."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        url, server = resolve_database(settings)
        if server is not None:
            url = await ensure_registry_database(url)
        app.state.pool = await create_pool(url, settings.pool_min, settings.pool_max)
        supervisor = Supervisor(server, app.state.pool) if server is not None else None
        # the embedded server is restarted if it ends (registry/supervise.py)
        if supervisor is not None:
            await supervisor.start()
        app.state.answers = VersionedCache()
        app.state.pages = VersionedCache(size=PAGES_KEPT)
        watch = VersionWatch(url)
        try:
            await watch.start()
            # one watch: a write this process makes is seen by both at once
            app.state.answers.watch = app.state.pages.watch = watch
        # answers stay correct: the version is read per request
        except (OSError, asyncpg.PostgresError) as exc:
            logging.getLogger("registry").warning("no data version listener (%s)", exc)
        # everything loaded so far (catalogues, CLDR data, routes) lives as long as the process:
        # keep it out of the collector's full passes, which otherwise pause every request for their
        # length
        gc.collect()
        gc.freeze()
        # a request allocates thousands of short-lived objects (an answer's structs before they are
        # encoded): collecting the young generation every 700 allocations, with 32 requests in
        # flight, traverses their live objects again and again. Measured with make bench's load on
        # the profiles at ~100k units: p99 11.7 ms with the default thresholds, 7.0 ms with these.
        gc.set_threshold(50_000, 20, 10)
        try:
            yield
        finally:
            if supervisor is not None:
                await supervisor.stop()
            await watch.stop()
            await app.state.pool.close()
            if server is not None:
                server.stop()

    app = Litestar(
        route_handlers=[
            health,
            languages,
            CountryController,
            MunicipalityController,
            ModelController,
            BodyController,
            ProgrammeController,
            SourceController,
            AnalyticsController,
            CurationController,
            web.router(),
        ],
        dependencies={
            "db": Provide(provide_db),
            "lazy_db": Provide(provide_lazy_db),
            "answers": Provide(provide_answers, sync_to_thread=False),
            "pages": Provide(provide_pages, sync_to_thread=False),
            "principal": Provide(provide_principal),
        },
        lifespan=[lifespan],
        # a browser that asks for a page that does not exist gets a page saying so
        # (registry/web/render.py)
        exception_handlers={
            **exception_handlers,
            NotFoundException: web.page_or_problem(exception_handlers[NotFoundException]),
            MethodNotAllowedException: web.page_or_problem(
                exception_handlers[MethodNotAllowedException]
            ),
        },
        template_config=web.template_config(),
        before_request=negotiate_language,
        guards=[checked_before_reading],
        after_request=localize_response,
        parameters={
            "lang": Parameter(
                str,
                required=False,
                description="Answer in this language (BCP 47): en, sl, sr, "
                "sr-Latn, pl, az, or any CLDR language for names, dates and numbers",
            ),
            "script": Parameter(
                str, required=False, description="Names of places in this script: Latn or Cyrl"
            ),
        },
        openapi_config=OpenAPIConfig(
            title="Municipal quality registry",
            version=__version__,
            description=(
                "How local governments adopt quality-management models (ISO 9001, ISO/IEC 27001, "
                "ISO 18091, CAF, …): every certificate, audit, self-assessment, label and award, "
                "with "
                "derived status on any date and the source behind each fact."
            ),
            path="/schema",
            render_plugins=render_plugins(),
        ),
        request_max_body_size=settings.max_body_bytes,
        request_class=RegistryRequest,
        middleware=[rate_limit(settings).middleware] if settings.rate_limit_per_minute else [],
        debug=False,
    )
    # before routing and every middleware: all paths answer 431
    app.asgi_handler = HeaderLimit(app.asgi_handler)
    return app
