"""CSV answers: chosen with `Accept: text/csv` (or `?format=csv`), one flat row per record."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from litestar import Request, Response

CSV = "text/csv; charset=utf-8"


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
