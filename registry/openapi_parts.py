"""The parts the completed OpenAPI document (registry/openapi.py) adds to litestar's: what each
problem status means, text patterns, content types (CSV), the shared parameters, the problem
answers, headers and links.
"""

from __future__ import annotations

from babel import localedata
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from registry.dates import YEARS
from registry.errors import PROBLEM_JSON
from registry.i18n import SUPPORTED, resolve
from registry.text import CONTROL, CONTROL_IN_TEXT

SCHEMAS = "#/components/schemas/"
ONE_LINE = f"^[^{CONTROL.pattern[1:-1]}]*$"
MULTILINE_TEXT = f"^[^{CONTROL_IN_TEXT.pattern[1:-1]}]*$"
# the days the registry answers for (registry/dates.py, as_of_day)
DAY = f"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
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


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` for a handler with problems of its own, beyond the rules of statuses()."""
    return {
        status: ResponseSpec(data_container=None, description=MEANING[status])
        for status in statuses
    }


def text_pattern(schema: dict, pattern: str) -> None:
    if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
        schema["pattern"] = pattern
    for inner in (
        *schema.get("anyOf", ()),
        schema.get("items"),
        schema.get("additionalProperties"),
    ):
        if isinstance(inner, dict):
            text_pattern(inner, pattern)


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


def csv(doc: dict, operations: list, handlers: dict[str, HTTPRouteHandler]) -> None:
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


def parameters(operation: dict) -> None:
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
            text_pattern(schema, ONE_LINE)
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


def problem_response(code: int) -> dict:
    if code == 304:
        return {
            "description": "Not modified: the ETag sent in If-None-Match is current",
            "headers": {"ETag": {"schema": {"type": "string"}}},
        }
    return {
        "description": MEANING[code],
        "content": {PROBLEM_JSON: {"schema": {"$ref": SCHEMAS + "Problem"}}},
    }


def headers(method: str, operation: dict) -> None:
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


def links(doc: dict, operations: list) -> None:
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
