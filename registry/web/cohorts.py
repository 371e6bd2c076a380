"""What a ministry follows: its programme's cohort (a funnel, and who is at which milestone since
when, with the dates that are due) and the certificates that expire or whose audits are overdue in a
window."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from registry.analytics import progress
from registry.analytics import schemas as s
from registry.cache import VersionedCache
from registry.codes import check_country, check_model
from registry.csvout import csv_response
from registry.dates import as_of_day, parse_partial
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.http import Answers, Conn, sees_private
from registry.i18n import country_name, display_date, label, place_name, script_wanted
from registry.labelling import labelled
from registry.programmes.schemas import Programme, ProgrammeSummary
from registry.status.store import audience
from registry.web import figures, repo
from registry.web.render import Text, page

AsOf = Annotated[dt.date | None, QueryParameter(description="The day the answer is computed on")]
Within = Annotated[
    str,
    QueryParameter(description="How far ahead: 30d, 90d, 6m, 1y (at most 5 years)", max_length=8),
]
WINDOWS = ("30d", "90d", "6m", "1y", "2y")


def is_past(date: str | None, day: dt.date) -> bool:
    """Whether a date, at its precision, has surely passed on `day`."""
    if not date:
        return False
    try:
        end = parse_partial(date).end
    except ValueError:
        return False
    return end is not None and end < day


async def programme_data(
    db: asyncpg.Connection,
    answers: VersionedCache,
    request: Request,
    programme_id: str,
    day: dt.date,
) -> tuple[Programme, s.ProgrammeProgress]:
    """The programme with its members' statuses (GET /v1/programmes/{id}) and its funnel
    (…/progress)."""
    hide = audience(sees_private(request))
    row = await db.fetchrow(
        queries.get_programme, require_printable("programme", programme_id), day, hide
    )
    if row is None:
        raise NotFound("programme", programme_id)
    programme = msgspec.convert({**dict(row), "as_of": day.isoformat()}, Programme)

    async def compute() -> s.ProgrammeProgress:
        return await progress.programme_progress(db, programme_id, day, hide)

    funnel = await answers.get(db, ("web-progress", programme_id, day, hide), compute)
    return programme, funnel


def milestone_since(member: s.ProgressMember) -> str | None:
    """When the member reached its furthest milestone (joining, for those enrolled only)."""
    return (
        member.joined_display
        if member.stage == "enrolled"
        else getattr(member, f"{member.stage}_display")
    )


async def attention_rows(
    db: asyncpg.Connection,
    request: Request,
    within: str,
    country: str | None,
    model: str | None,
    day: dt.date,
) -> tuple[dt.date, list[dict]]:
    until = progress.add_within(day, *progress.parse_within(within))
    country = await check_country(db, country) if country else None
    model = await check_model(db, model) if model else None
    rows = await repo.attention(db, day, until, country, model, audience(sees_private(request)))
    found = []
    for r in rows:
        row = dict(r)
        row.update(
            name=place_name(r["name_local"], r["name_latin"], r["country"], script_wanted()),
            country_name=country_name(r["country"]),
            status_label=label("status", r["status"]),
            basis_label=label("basis", r["basis"]),
            valid_until_display=display_date(r["valid_until"]),
            last_audit_display=display_date(r["last_audit"]),
            next_due_display=display_date(r["next_due"]),
        )
        found.append(row)
    return until, found


ATTENTION_COLUMNS = [
    "municipality_id",
    "name_local",
    "country",
    "model",
    "status",
    "basis",
    "edition",
    "valid_until",
    "days_left",
    "expiring",
    "last_audit",
    "next_due",
    "overdue",
    "body",
]


class CohortPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/programmes", name="programmes")
    async def programmes(self, request: Request, db: Conn) -> Response:
        rows = await db.fetch(queries.list_programmes)
        items = labelled([msgspec.convert(dict(r), ProgrammeSummary) for r in rows])
        return page(request, "programmes.html", "programmes", programmes=items)

    @get("/programmes/{programme_id:str}", name="programme")
    async def programme(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        programme_id: FromPath[str],
        as_of: AsOf = None,
    ) -> Response:
        day = as_of_day(as_of)
        programme, funnel = await programme_data(db, answers, request, programme_id, day)
        labelled(programme)
        # nothing awaited from here to the page: the answer may be shared (registry/cache.py)
        labelled(funnel)
        chart = figures.funnel_figure(request, funnel, programme.name)
        statuses = {m.municipality_id: m for m in programme.members}
        return page(
            request,
            "programme.html",
            "programmes",
            p=programme,
            f=funnel,
            chart=chart,
            as_of=day,
            statuses=statuses,
            since=milestone_since,
            is_past=is_past,
        )

    @get("/certificates", name="certificates")
    async def certificates(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        as_of: AsOf = None,
        within: Within = "90d",
        country: Text = None,
        model: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        until, rows = await attention_rows(db, request, within, country or None, model or None, day)
        choices = await answers.get(db, ("web-choices",), lambda: repo.choices(db))
        return page(
            request,
            "certificates.html",
            "certificates",
            rows=rows,
            until=until,
            within=within,
            windows=WINDOWS,
            country=(country or "").upper(),
            model=(model or "").upper(),
            choices=choices,
            as_of=day,
        )

    @get("/certificates.csv", name="certificates-csv")
    async def certificates_csv(
        self,
        request: Request,
        db: Conn,
        as_of: AsOf = None,
        within: Within = "90d",
        country: Text = None,
        model: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        _until, rows = await attention_rows(
            db, request, within, country or None, model or None, day
        )
        return csv_response(rows, ATTENTION_COLUMNS, f"certificates-due-{day.isoformat()}.csv")
