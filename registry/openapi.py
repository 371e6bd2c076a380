"""The OpenAPI document (/schema/openapi.json): litestar's, completed from the rules the code
follows.

Litestar writes the paths, operations and parameters from the handlers' signatures. What a signature
cannot say is added here, once for every operation it concerns, each from the code that does it:

- request bodies and answers: msgspec's JSON Schema of the structs the handlers take and return
  (msgspec decodes the bodies, so it describes them exactly: patterns, bounds, unknown fields
  refused);
- what In (registry/curation/schemas.py) and as_of_day (registry/dates.py) refuse: control
  characters in text, days outside the ones the registry records;
- problem responses (registry/errors.py), by the rules that raise them (statuses());
- the bearer key (registry/auth.py): needed by writes, optional for reads (which then show
  non-public facts);
- `lang` and `script` (registry/app.py, negotiate_language), as two shared parameters;
- CSV answers (registry/csvout.py): every list page, and the handlers that say `opt={"csv": True}`.

The pieces added (problem meanings, patterns, CSV, shared parameters, headers, links) are in
registry/openapi_parts.py. tests/test_openapi_contract.py runs schemathesis over every operation of
this document against the API.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar, Request, Response
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import JsonRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin

from registry.openapi_parts import (
    CONTENT,
    MEANING,
    MULTILINE_TEXT,
    ONE_LINE,
    SCHEMAS,
    SHARED_PARAMETERS,
    csv,
    headers,
    links,
    parameters,
    problem_response,
    text_pattern,
)
from registry.schemas import Problem
from registry.text import MULTILINE

BEARER = "bearerKey"
WRITES = ("post", "put", "patch", "delete")


# lang/script; a wrong key is refused before any handler; load; outage
EVERYWHERE = (400, 401, 429, 431, 503)


def statuses(method: str, operation: dict, handler: HTTPRouteHandler | None) -> list[int]:
    """The problem statuses an operation can answer, and 304 where it takes If-None-Match."""
    params = {(p.get("in"), p.get("name")) for p in operation.get("parameters", [])}
    found = set(EVERYWHERE)
    if any(where == "path" for where, _ in params):
        found.add(404)
    if ("header", "If-None-Match") in params:
        found.add(304)
    if method in WRITES:
        found |= {403, 409}
    if "requestBody" in operation:
        found |= {413, 422}
    if ("header", "If-Match") in params:
        found |= {412, 428}
    found |= {int(s) for s in (handler.responses or {}) if int(s) >= 300} if handler else set()
    return sorted(found)


# ---------------------------------------------------------------- the document


def document(app: Litestar, generated: dict | None = None) -> dict:
    """The completed document of an application (computed once per application)."""
    cached = app.state.get("openapi_document")
    if cached is None:
        cached = complete(generated or app.openapi_schema.to_schema(), _handlers(app))
        app.state.openapi_document = cached
    return cached


def complete(generated: dict, handlers: dict[str, HTTPRouteHandler]) -> dict:
    doc = copy.deepcopy(generated)
    components = doc.setdefault("components", {})
    operations = list(_operations(doc))
    _bodies_and_answers(doc, operations, handlers)
    _texts(doc)
    csv(doc, operations, handlers)
    components["parameters"] = SHARED_PARAMETERS
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <key>`. Writes need a key (an editor's is "
            "scoped to countries); "
            "reads take one too and then show non-public facts.",
        }
    }
    for _path, method, operation in operations:
        handler = handlers.get(operation.get("operationId", ""))
        parameters(operation)
        operation["security"] = [{BEARER: []}] if method in WRITES else [{}, {BEARER: []}]
        for code in statuses(method, operation, handler):
            if handler is None or str(code) not in _declared(handler):
                operation["responses"][str(code)] = problem_response(code)
        # litestar's own error shape is not what errors.py sends
        for code in list(operation["responses"]):
            if int(code) >= 400 and int(code) not in MEANING:
                del operation["responses"][code]
        headers(method, operation)
    links(doc, operations)
    return doc


def _operations(doc: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", *WRITES):
                yield path, method, operation


def _handlers(app: Litestar) -> dict[str, HTTPRouteHandler]:
    found = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler.operation_id, str):
                found[handler.operation_id] = handler
    return found


def _answer_type(handler: HTTPRouteHandler) -> Any:
    """What the handler's answer is, from its return annotation (`Response[X]` answers X)."""
    field = handler.parsed_fn_signature.return_type
    if field.is_subclass_of(Response):
        return field.inner_types[0].annotation if field.inner_types else None
    return field.annotation


def _bodies_and_answers(doc: dict, operations: list, handlers: dict[str, HTTPRouteHandler]) -> None:
    """Every request body and answer as msgspec describes the struct behind it; the components are
    msgspec's."""
    wanted: list[Any] = [Problem]
    for _, _, operation in operations:
        handler = handlers.get(operation.get("operationId"))
        if handler is None:
            continue
        data = handler.parsed_fn_signature.parameters.get("data")
        for kind in (
            _answer_type(handler),
            data.annotation if data else None,
            *_declared(handler).values(),
        ):
            if kind is not None and kind not in wanted and kind is not Any:
                wanted.append(kind)
    schemas, components = msgspec.json.schema_components(wanted, ref_template=SCHEMAS + "{name}")
    by_type = {kind: schema for kind, schema in zip(wanted, schemas, strict=True)}
    doc["components"]["schemas"] = components
    for _, _, operation in operations:
        handler = handlers.get(operation.get("operationId"))
        if handler is None:
            continue
        answer = operation["responses"].setdefault(str(handler.status_code), {"description": "OK"})
        kind = _answer_type(handler)
        answer.pop("content", None)
        if kind in by_type:
            answer["content"] = {"application/json": {"schema": by_type[kind]}}
        data = handler.parsed_fn_signature.parameters.get("data")
        if data is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": by_type[data.annotation]}},
            }
        for code, kind in _declared(handler).items():  # responses=: a shape of the handler's own
            operation["responses"][code]["content"] = {
                "application/json": {"schema": by_type[kind]}
            }
        for part, content in CONTENT.get(operation["operationId"], {}).items():
            if part == "request":
                operation["requestBody"] = {"required": True, "content": content}
            else:
                operation["responses"][part]["content"] = content


def _declared(handler: HTTPRouteHandler) -> dict[str, Any]:
    """The answers a handler declares with a shape of its own in `responses=` (problems() declares
    none)."""
    return {
        str(code): spec.data_container
        for code, spec in (handler.responses or {}).items()
        if spec.data_container is not None
    }


def _reachable(doc: dict, roots: list) -> set[str]:
    """The component schemas the given schemas refer to, directly or not."""
    components = doc["components"]["schemas"]
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMAS) and ref[len(SCHEMAS) :] not in seen:
                seen.add(ref[len(SCHEMAS) :])
                stack.append(components.get(ref[len(SCHEMAS) :]))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return seen


def answer_components(doc: dict) -> set[str]:
    """The component schemas of JSON answers (not of request bodies, not of problems)."""
    roots = [
        media["schema"]
        for _, _, operation in _operations(doc)
        for code, response in operation["responses"].items()
        if int(code) < 300
        for kind, media in (response.get("content") or {}).items()
        if kind == "application/json"
    ]
    return _reachable(doc, roots)


def _texts(doc: dict) -> None:
    """Text in request bodies holds no control character but tab and newline in multi-line text, as
    In checks it (registry/curation/schemas.py), unless a pattern of its own says more."""
    components = doc["components"]["schemas"]
    bodies = [
        media["schema"]
        for _, _, op in _operations(doc)
        for media in op.get("requestBody", {}).get("content", {}).values()
    ]
    for name in _reachable(doc, bodies):
        for key, schema in components[name].get("properties", {}).items():
            text_pattern(schema, MULTILINE_TEXT if key in MULTILINE else ONE_LINE)


# ---------------------------------------------------------------- serving it


class _Completing:
    """A render plugin that renders the completed document (registry/openapi.py) instead of
    litestar's."""

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        # a mixin: super() is the plugin class it is mixed with, which mypy cannot see here
        return super().render(request, document(request.app, openapi_schema))  # type: ignore[misc]


class JsonDocument(_Completing, JsonRenderPlugin):
    pass


class ScalarDocument(_Completing, ScalarRenderPlugin):
    pass


class SwaggerDocument(_Completing, SwaggerRenderPlugin):
    pass


def render_plugins() -> list:
    """/schema (Scalar), /schema/swagger and /schema/openapi.json, all of the completed document."""
    return [ScalarDocument(), SwaggerDocument(path="/swagger"), JsonDocument()]
