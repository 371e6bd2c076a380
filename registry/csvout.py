"""CSV answers: chosen with `Accept: text/csv` (or `?format=csv`), one flat row per record."""

from __future__ import annotations

import contextvars
import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from litestar import Request, Response

CSV = "text/csv"  # litestar adds "; charset=utf-8" to text types


csv_requested: contextvars.ContextVar[bool] = contextvars.ContextVar("csv_requested", default=False)


def wants_csv(request: Request) -> bool:
    """True when the client asked for CSV by Accept header or `format=csv`."""
    if request.query_params.get("format") == "csv":
        return True
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


# RFC 4180's line end, which also makes the csv module quote a value holding a lone carriage return
# (with "\n" it wrote one unquoted, and readers split the row there)
LINE_END = "\r\n"
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")
FORMULA_START = frozenset("=+-@\t\r")


def cell(value: Any) -> Any:
    """One CSV cell, wherever CSV is written (answers and the export): None is empty, booleans
    true/false, lists joined with '|'. Text a spreadsheet would run as a formula (starting with =,
    +, -, @, tab or carriage return) gets a single quote in front, as OWASP recommends; so does text
    whose quotes come before such a character, which keeps `restore` exact. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "|".join(map(str, value))
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_START:
        return "'" + value
    return value


def restore(text: str) -> str:
    """A CSV value as it was before `cell` quoted it (imports read the export's CSV files)."""
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_START:
        return text[1:]
    return text


def csv_response(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    filename: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """A CSV body with a header row; lists are joined with '|', None is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return Response(
        out.getvalue(),
        media_type=CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Vary": "Accept",
            **(headers or {}),
        },
    )


def flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """One CSV row from a JSON object: nested objects become `key.sub` columns, lists of objects
    JSON."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                row[f"{key}.{sub}"] = (
                    json.dumps(inner, ensure_ascii=False)
                    if isinstance(inner, (list, Mapping))
                    else inner
                )
        elif isinstance(value, list) and any(isinstance(v, (Mapping, list)) for v in value):
            row[key] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            row[key] = value
    return row


def page_as_csv(content: Mapping[str, Any], path: str) -> Response:
    """A list answer ({"items": [...]}) as CSV: the columns are every key the items have, in
    order."""
    rows = [flatten(item) for item in content["items"]]
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    headers = {"X-Next-Cursor": content["next"]} if content.get("next") else {}
    name = path.rstrip("/").rsplit("/", 1)[-1] or "items"
    return csv_response(rows, columns, f"{name}.csv", headers)
