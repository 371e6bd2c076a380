"""The comparison page: 2 to 20 municipalities side by side and their timelines on one axis.

Without JavaScript the form is a name search (`q`) whose results are check boxes (`id`, repeated)
added to those already chosen; site.js turns the search into suggestions as you type. `ids=a,b,c`
(the API's form) works too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from registry.analytics import compare as comparison
from registry.dates import as_of_day
from registry.errors import BadParameter, RegistryError, problem
from registry.http import Conn, sees_private
from registry.labelling import labelled
from registry.status.store import audience
from registry.web import charts, figures, repo
from registry.web.places import search
from registry.web.render import Text, page

AsOf = Annotated[dt.date | None, QueryParameter(description="The day statuses are derived on")]
MAXIMUM = 20


def chosen_ids(ids: str | None, picked: list[str] | None) -> list[str]:
    """The municipalities chosen, in order, each once: `ids` (comma-separated) then the `id`
    boxes."""
    tokens = [t.strip() for t in (ids or "").split(",")] + [t.strip() for t in picked or []]
    return list(dict.fromkeys(t for t in tokens if t))


async def comparison_data(
    db: asyncpg.Connection, request: Request, tokens: list[str], day: dt.date
):
    """The comparison (labelled), the periods of every adoption compared, and their common years."""
    hide = audience(sees_private(request))
    result = await comparison.compare(db, ",".join(tokens), day, hide)
    spans = await repo.municipality_spans(db, [c.id for c in result.municipalities], hide)
    rows = [charts.TimelineRow("", periods) for periods in spans.values()]
    return labelled(result), spans, charts.year_range(rows, day)


class ComparePages(Controller):
    path = "/compare"
    include_in_schema = False

    @get("/", name="compare")
    async def compare(
        self,
        request: Request,
        db: Conn,
        as_of: AsOf = None,
        ids: Text = None,
        picked: Annotated[
            list[str] | None, QueryParameter(name="id", description="A municipality chosen")
        ] = None,
        q: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        tokens = chosen_ids(ids, picked)
        found: list = []
        timelines: list = []
        more, error, result = False, None, None
        if q and q.strip():
            found, more = await search(
                db, q.strip(), None, day, audience(sees_private(request)), limit=20
            )
            found = [m for m in found if m.id not in tokens]
        elif tokens:
            try:
                if len(tokens) < 2 or len(tokens) > MAXIMUM:
                    raise BadParameter(
                        "ids", f"give 2 to {MAXIMUM} comma-separated ids, got {len(tokens)}"
                    )
                result, spans, years = await comparison_data(db, request, tokens, day)
                timelines = [
                    figures.compare_figure(request, result, spans, model, day, years)
                    for model in result.models
                ]
            # the page again, saying what is wrong, with the status the API gives
            except RegistryError as exc:
                error = problem(exc.status, exc.title, exc.detail).content
        names = await repo.names(db, [t.lower() for t in tokens])
        status = error["status"] if error else 200
        return page(
            request,
            "compare.html",
            "compare",
            status=status,
            tokens=tokens,
            names={t: names.get(t.lower(), t) for t in tokens},
            q=q or "",
            found=found,
            more=more,
            error=error,
            c=result,
            timelines=timelines,
            as_of=day,
            maximum=MAXIMUM,
            ids=",".join(tokens),
        )
