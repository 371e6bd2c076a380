"""CSV answers: chosen with `Accept: text/csv` (or `?format=csv`), one flat row per record."""

from __future__ import annotations

import csv
import io
import json
import contextvars
from collections.abc import Iterable, Mapping
from typing import Any

from litestar import Request, Response

CSV = "text/csv; charset=utf-8"


csv_requested: contextvars.ContextVar[bool] = contextvars.ContextVar("csv_requested", default=False)


def wants_csv(request: Request) -> bool:
    """True when the client asked for CSV by Accept header or `format=csv`."""
    if request.query_params.get("format") == "csv":
        return True
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(map(str, value))
    return value


def csv_response(rows: Iterable[Mapping[str, Any]], columns: list[str], filename: str,
                 headers: dict[str, str] | None = None) -> Response:
    """A CSV body with a header row; lists are joined with '|', None is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return Response(out.getvalue(), media_type=CSV, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept", **(headers or {})})


def flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """One CSV row from a JSON object: nested objects become `key.sub` columns, lists of objects JSON."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                row[f"{key}.{sub}"] = json.dumps(inner, ensure_ascii=False) if isinstance(inner, (list, Mapping)) \
                    else inner
        elif isinstance(value, list) and any(isinstance(v, (Mapping, list)) for v in value):
            row[key] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            row[key] = value
    return row


def page_as_csv(content: Mapping[str, Any], path: str) -> Response:
    """A list answer ({"items": [...]}) as CSV: the columns are every key the items have, in order."""
    rows = [flatten(item) for item in content["items"]]
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    headers = {"X-Next-Cursor": content["next"]} if content.get("next") else {}
    name = path.rstrip("/").rsplit("/", 1)[-1] or "items"
    return csv_response(rows, columns, f"{name}.csv", headers)
