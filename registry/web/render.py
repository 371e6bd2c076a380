"""Rendering the pages: the Jinja environment (litestar's template support), what every template
gets, static assets, and HTML error pages that say what the API's problem documents say.

A page is rendered to text inside its handler (`page()`), while the answers it shows are labelled in
the reader's language: answers reused across requests (registry/cache.py) are labelled in place, so
nothing may run between labelling and rendering.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import MediaType, Request, Response
from litestar.datastructures import CacheControlHeader
from litestar.params import QueryParameter
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from registry.errors import exception_handlers
from registry.i18n import (
    NAMES,
    SUPPORTED,
    country_name,
    current,
    display_date,
    display_number,
    display_percent,
    gettext,
    label,
    names_script,
)

HERE = Path(__file__).resolve().parent
TEMPLATES, STATIC = HERE / "templates", HERE / "static"
CARRIED = ("lang", "script")  # the reader's choices, kept on every link and form of the pages
Text = Annotated[str | None, QueryParameter(max_length=1000)]  # a page's optional text parameter


@functools.cache
def _digest(name: str) -> str:
    """Read on first use, not on import (importing the registry reads no data)."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def static(name: str) -> str:
    """A static asset's address, with its digest so it can be cached for a year."""
    return f"/static/{name}?v={_digest(name)}"


async def _as_it_is(response: Any) -> Any:
    """Files are sent as they are: the application's after_request labels answers, which files are
    not."""
    return response


def static_router() -> Router:
    return create_static_files_router(
        path="/static",
        directories=[STATIC],
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=31_536_000, public=True),
        after_request=_as_it_is,
    )


def model_short(code: str) -> str:
    """The name a chart has room for: 'ISO 9001', 'ISO/IEC 27001', 'CAF'."""
    if code.startswith("ISO") and code[3:].isdigit():
        return ("ISO/IEC " if code in ("ISO27001", "ISO27701", "ISO20000") else "ISO ") + code[3:]
    return code


def fmt_number(value: float | int | None) -> str:
    return "" if value is None else display_number(value) or ""


def fmt_percent(value: float | None) -> str:
    return "" if value is None else display_percent(value) or ""


def fmt_date(value: dt.date | dt.datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else value
    return display_date(text) or text


def js_words() -> dict[str, str]:
    """The words site.js says, in the reader's language (given to it in data attributes)."""
    return {
        "options": gettext("Suggestions"),
        "count": gettext("Suggestions: {n}"),
        "added": gettext("Added: {name}"),
    }


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.globals.update(
        gettext=gettext,
        label=label,
        static=static,
        model_short=model_short,
        num=fmt_number,
        country_name=country_name,
        js_words=js_words,
        pct=fmt_percent,
        day=fmt_date,
    )
    return env


def template_config() -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment()))


class Links:
    """Addresses on the pages, carrying the reader's `lang` and `script` choices."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.carried = {k: v for k in CARRIED if (v := request.query_params.get(k))}

    def __call__(self, path: str, **params: Any) -> str:
        query = {**{k: v for k, v in params.items() if v not in (None, "", [])}, **self.carried}
        items = [(k, x) for k, v in query.items() for x in (v if isinstance(v, list) else [v])]
        return f"{path}?{urlencode(items)}" if items else path

    def here(self, **changes: Any) -> str:
        """This page with some parameters changed (None removes one)."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k not in changes]
        params += [(k, v) for k, v in changes.items() if v is not None]
        return f"{self.request.url.path}?{urlencode(params)}" if params else self.request.url.path


NAV = (
    ("home", "/"),
    ("compare", "/compare"),
    ("statistics", "/statistics"),
    ("programmes", "/programmes"),
    ("certificates", "/certificates"),
    ("rankings", "/rankings"),
)


def _nav_labels() -> dict[str, str]:
    return {
        "home": gettext("Home"),
        "compare": gettext("Compare"),
        "statistics": gettext("Statistics"),
        "programmes": gettext("Programmes"),
        "certificates": gettext("Certificates due"),
        "rankings": gettext("Rankings"),
    }


def base_context(request: Request, active: str | None) -> dict[str, Any]:
    """What the layout needs: the language and script switches, the navigation, the addresses
    helper."""
    language = current()
    links = Links(request)
    words = _nav_labels()
    return {
        "request": request,
        "href": links,
        "here": links.here,
        "carried": links.carried,
        "active": active,
        "html_lang": language.tag,
        "language": language,
        "script": names_script(language),
        "nav": [(key, words[key], links(path)) for key, path in NAV],
        "languages": [
            (tag, NAMES[tag], links.here(lang=tag), tag == language.tag) for tag in SUPPORTED
        ],
        "scripts": [
            ("Latn", gettext("Latin script"), links.here(script="Latn")),
            ("Cyrl", gettext("Cyrillic script"), links.here(script="Cyrl")),
        ],
        "script_wanted": request.query_params.get("script"),
        "today": dt.date.today(),
    }


def render(request: Request, template: str, context: dict[str, Any]) -> str:
    engine = request.app.template_engine
    assert isinstance(engine, JinjaTemplateEngine)
    return engine.get_template(template).render(**context)


def page(
    request: Request,
    template: str,
    active: str | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A page rendered now, in the reader's language."""
    html = render(request, template, {**base_context(request, active), **context})
    return Response(html, status_code=status, media_type=MediaType.HTML, headers=headers or {})


# ---------------------------------------------------------------- errors as pages


def error_page(request: Request, problem: Response) -> Response:
    """An API problem (registry/errors.py) as an HTML page with the same status, title and words."""
    body = problem.content if isinstance(problem.content, dict) else {}
    status = problem.status_code or 500
    headers = {
        k: v
        for k, v in problem.headers.items()
        if k.lower() not in ("content-type", "content-length")
    }
    try:
        return page(
            request,
            "error.html",
            None,
            status=status,
            headers=headers,
            status_code=status,
            title=body.get("title", ""),
            detail=body.get("detail", ""),
            invalid=body.get("invalid_params") or [],
        )
    except Exception:  # the layout failed too: the words alone
        return Response(
            f"{status} {body.get('title', '')}: {body.get('detail', '')}",
            status_code=status,
            media_type=MediaType.TEXT,
            headers=headers,
        )


def _as_page(handler: Callable[[Request, Any], Response]) -> Callable[[Request, Any], Response]:
    def handle(request: Request, exc: Any) -> Response:
        return error_page(request, handler(request, exc))

    return handle


PAGE_ERRORS = {kind: _as_page(handler) for kind, handler in exception_handlers.items()}


def wants_page(request: Request) -> bool:
    """A browser asking for an address outside the API and its documents."""
    path = request.url.path
    api = path.startswith(("/v1/", "/schema", "/health")) or path in ("/v1", "/openapi.json")
    return not api and "text/html" in request.headers.get("accept", "")


def page_or_problem(
    handler: Callable[[Request, Any], Response],
) -> Callable[[Request, Any], Response]:
    """For the application's own 404 and 405: a page to a browser outside /v1, the problem document
    otherwise."""

    def handle(request: Request, exc: Any) -> Response:
        answer = handler(request, exc)
        return error_page(request, answer) if wants_page(request) else answer

    return handle
