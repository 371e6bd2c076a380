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

tests/test_openapi_contract.py runs schemathesis over every operation of this document against the
API.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import msgspec
from babel import localedata
from litestar import Litestar, Request, Response
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin

from registry.dates import YEARS
from registry.errors import PROBLEM_JSON
from registry.i18n import SUPPORTED, resolve
from registry.schemas import Problem
from registry.text import CONTROL, CONTROL_IN_TEXT, MULTILINE

SCHEMAS = "#/components/schemas/"
ONE_LINE = f"^[^{CONTROL.pattern[1:-1]}]*$"
MULTILINE_TEXT = f"^[^{CONTROL_IN_TEXT.pattern[1:-1]}]*$"
# the days the registry answers for (registry/dates.py, as_of_day)
DAY = f"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
BEARER = "bearerKey"
WRITES = ("post", "put", "patch", "delete")


# What each problem status means; statuses() says where each can happen.
MEANING = {
    400: "A parameter, header or body cannot be read or is not allowed: `invalid_params` names it",
    401: "A key is needed (`Authorization: Bearer <key>`), or the key sent is unknown or revoked",
    403: "The key may not change this: a reader key, or a record of another country than the key's",
    404: "No such record",
    409: "Conflicts with what is stored: the id exists, the record is still referred to, or an "
    "identifier "
    "names several records",
    412: "If-Match names another version than the current one (a weak ETag never matches)",
    413: "The request body is larger than the registry accepts",
    422: "A well-formed body breaks a rule of the registry: `invalid_params` names the field",
    428: "If-Match is missing: a change names the version it changes (the ETag last read)",
    429: "Too many requests from this key (or address): wait Retry-After seconds",
    431: "The request's headers are too large",
    503: "The database is unavailable: try again after Retry-After seconds",
}
# lang/script; a wrong key is refused before any handler; load; outage
EVERYWHERE = (400, 401, 429, 431, 503)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` for a handler with problems of its own, beyond the rules of statuses()."""
    return {
        status: ResponseSpec(data_container=None, description=MEANING[status])
        for status in statuses
    }


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
    _csv(doc, operations, handlers)
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
        _parameters(operation)
        operation["security"] = [{BEARER: []}] if method in WRITES else [{}, {BEARER: []}]
        for code in statuses(method, operation, handler):
            if handler is None or str(code) not in _declared(handler):
                operation["responses"][str(code)] = _problem_response(code)
        # litestar's own error shape is not what errors.py sends
        for code in list(operation["responses"]):
            if int(code) >= 400 and int(code) not in MEANING:
                del operation["responses"][code]
        _headers(method, operation)
    _links(doc, operations)
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
            _text(schema, MULTILINE_TEXT if key in MULTILINE else ONE_LINE)


def _text(schema: dict, pattern: str) -> None:
    if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
        schema["pattern"] = pattern
    for inner in (
        *schema.get("anyOf", ()),
        schema.get("items"),
        schema.get("additionalProperties"),
    ):
        if isinstance(inner, dict):
            _text(inner, pattern)


# ---------------------------------------------------------------- content types

# Bodies that are not one struct, by operation: a request body ("request") or an answer (its
# status).
ROWS = {"type": "array", "items": {"type": "object"}}
CONTENT: dict[str, dict[str, dict]] = {
    # a file: any text is one (rows it cannot read are reported, not refused)
    "createImport": {
        "request": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {
                "schema": {
                    "anyOf": [
                        ROWS,
                        {"type": "object", "properties": {"rows": ROWS}, "required": ["rows"]},
                    ]
                }
            },
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
        }
    },
    "export": {
        "200": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/zip": {
                "schema": {"type": "string", "contentMediaType": "application/zip"}
            },
        }
    },
}
CSV = {
    "text/csv": {
        "schema": {
            "type": "string",
            "description": "The answer as CSV (with `Accept: text/csv` or "
            "`format=csv`): one row per item, a header row",
        }
    }
}


def _csv(doc: dict, operations: list, handlers: dict[str, HTTPRouteHandler]) -> None:
    """CSV next to JSON: every list page (registry/app.py, localize_response) and handlers with
    opt["csv"]."""
    components = doc["components"]["schemas"]
    for _, method, operation in operations:
        answer = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if method != "get" or answer is None:
            continue
        handler = handlers.get(operation.get("operationId"))
        ref = answer["schema"].get("$ref", "")
        items = components.get(ref[len(SCHEMAS) :], {}).get("properties", {}).get("items", {})
        if items.get("type") == "array" or (handler is not None and handler.opt.get("csv")):
            operation["responses"]["200"]["content"] |= CSV


# ---------------------------------------------------------------- parameters, problems, headers


def language_pattern() -> str:
    """A `lang` the registry answers in (registry/i18n.py, resolve): a tag of one of the six full
    languages with any subtags, or a locale CLDR knows (babel), as one regular expression grouped by
    language (an enum of the 1,082 CLDR locales would be as exact, but a test would then try every
    one on every operation)."""
    full = sorted({tag.split("-")[0] for tag in SUPPORTED})
    tails: dict[str, list[str]] = {}
    for tag in sorted(i.replace("_", "-") for i in localedata.locale_identifiers()):
        language, _, tail = tag.partition("-")
        if language not in full and resolve(tag) is not None:
            tails.setdefault(language, []).append(tail)
    branches = [f"(?:{'|'.join(full)})(?:-[A-Za-z0-9]{{2,8}})*"]
    for language, known in tails.items():
        subtags = "|".join(t for t in known if t)
        branches.append(
            language
            if not subtags
            else f"{language}(?:-(?:{subtags}))?"
            if "" in known
            else f"{language}-(?:{subtags})"
        )
    return f"^(?:{'|'.join(branches)})$"


SHARED_PARAMETERS = {
    "lang": {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": (
            "Answer in this language (BCP 47): en, sl, sr, sr-Latn, pl, az with every label "
            "translated, or any "
            "language CLDR knows for names, dates and numbers (labels then stay English). "
            "Default: Accept-Language, "
            "then English."
        ),
        "schema": {"type": "string", "pattern": language_pattern(), "examples": list(SUPPORTED)},
    },
    "script": {
        "name": "script",
        "in": "query",
        "required": False,
        "description": "Names of places in this script (Serbian Cyrillic ↔ Latin); default: the "
        "language's",
        "schema": {"type": "string", "enum": ["Latn", "Cyrl"]},
    },
}


# RFC 9110 8.8.3 (ASCII): If-Match compares strongly, so a weak one matches nothing
ETAG = '(W/)?"[!#-~]*"'
ETAGS = f"^(\\*|{ETAG}( *, *{ETAG})*)$"


def _parameters(operation: dict) -> None:
    """`lang` and `script` from the shared definitions; If-Match required; text values are never
    null."""
    out = []
    for param in operation.get("parameters", []):
        if param.get("in") == "query" and param.get("name") in SHARED_PARAMETERS:
            out.append({"$ref": f"#/components/parameters/{param['name']}"})
            continue
        schema = param.get("schema", {})
        # a query, path or header value is text: absent, never null
        for union in ("oneOf", "anyOf"):
            if union in schema:
                options = [s for s in schema[union] if s.get("type") != "null"]
                if len(options) == 1:
                    extra = {k: v for k, v in schema.items() if k != union}
                    schema = param["schema"] = {**options[0], **extra}
        if schema.get("format") == "date":
            schema["pattern"] = DAY
        # one line of text (registry/guards.py), unless a pattern says more
        elif param.get("in") == "query":
            _text(schema, ONE_LINE)
        for bound in ("minimum", "maximum"):  # litestar writes some integer bounds as floats
            if isinstance(schema.get(bound), float) and schema[bound].is_integer():
                schema[bound] = int(schema[bound])
        if param.get("in") == "header" and param.get("name") == "If-Match":
            # a change names the version it changes: 428 without If-Match, or with an empty one
            # (curation/audit.py)
            param["required"] = True
            param["schema"] = {**param["schema"], "pattern": ETAGS}
        out.append(param)
    operation["parameters"] = out


def _problem_response(code: int) -> dict:
    if code == 304:
        return {
            "description": "Not modified: the ETag sent in If-None-Match is current",
            "headers": {"ETag": {"schema": {"type": "string"}}},
        }
    return {
        "description": MEANING[code],
        "content": {PROBLEM_JSON: {"schema": {"$ref": SCHEMAS + "Problem"}}},
    }


def _headers(method: str, operation: dict) -> None:
    """Response headers the handlers always send: the ETag of a record read, the Location of a
    record made."""
    params = {(p.get("in"), p.get("name")) for p in operation.get("parameters", [])}
    responses = operation["responses"]
    if ("header", "If-None-Match") in params and "200" in responses:
        responses["200"].setdefault("headers", {})["ETag"] = {
            "required": True,
            "description": "The version: send it in If-Match to change the record",
            "schema": {"type": "string"},
        }
    if "201" in responses:
        responses["201"].setdefault("headers", {})["Location"] = {
            "required": True,
            "description": "The record's address",
            "schema": {"type": "string"},
        }


def _links(doc: dict, operations: list) -> None:
    """Where an answer leads (OpenAPI links): a record made (201) to reading, changing and deleting
    it at its address, and a record read to changing and deleting it with the ETag it was read
    with."""
    paths = doc["paths"]
    for path, method, operation in operations:
        if method == "post" and "201" in operation["responses"]:
            item = next(
                (
                    p
                    for p in paths
                    if p.startswith(path + "/{")
                    and p.count("/") == path.count("/") + 1
                    and p.endswith("}")
                ),
                None,
            )
            source, status = "$response.body#/id", "201"
        elif method == "get" and path.endswith("}") and "patch" in paths[path]:
            item = path
            source, status = f"$request.path.{path.rsplit('{', 1)[1][:-1]}", "200"
        else:
            continue
        if item is None or status not in operation["responses"]:
            continue
        name = item.rsplit("{", 1)[1][:-1]
        links = {}
        for target_method, target in paths[item].items():
            if target_method in ("get", "patch", "delete") and (target_method, item) != (
                method,
                path,
            ):
                parameters = {name: source}
                if target_method != "get":
                    parameters["header.If-Match"] = "$response.header.ETag"
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "parameters": parameters,
                }
        if links:
            operation["responses"][status]["links"] = links


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
