"""A programme's cohort as a funnel of milestones, and certificates whose validity ends within a
window."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import statistics

import asyncpg

from registry.analytics import schemas as s
from registry.db import queries
from registry.errors import BadParameter, NotFound, require_printable
from registry.i18n import gettext

MILESTONES = ("self_assessment", "improvement_plan", "external_feedback", "label")
STAGES = ("enrolled", *MILESTONES)


def _member(r: asyncpg.Record) -> s.ProgressMember:
    reached = [m for m in MILESTONES if r[m] is not None]
    return s.ProgressMember(
        municipality_id=r["municipality_id"],
        name_local=r["name_local"],
        name_latin=r["name_latin"],
        joined=r["joined"],
        stage=reached[-1] if reached else "enrolled",
        self_assessment=r["self_assessment"],
        improvement_plan=r["improvement_plan"],
        external_feedback=r["external_feedback"],
        label=r["label"],
        status=r["status"],
        basis=r["basis"],
        next_due=r["next_due"],
    )


async def programme_progress(
    conn: asyncpg.Connection, programme_id: str, as_of: dt.date, hide: str
) -> s.ProgrammeProgress:
    if not await conn.fetchval(
        queries.programme_exists, require_printable("programme", programme_id)
    ):
        raise NotFound("programme", programme_id)
    rows = await conn.fetch(queries.programme_progress, programme_id, as_of, hide)
    members = [_member(r) for r in rows]
    funnel = []
    for stage in STAGES:
        days = [
            (r[f"{stage}_day"] - r["joined_from"]).days
            for r in rows
            if stage != "enrolled" and r[stage] is not None and r["joined_from"] is not None
        ]
        funnel.append(
            s.FunnelStage(
                stage=stage,
                reached=len(rows)
                if stage == "enrolled"
                else sum(r[stage] is not None for r in rows),
                at_stage=sorted(m.municipality_id for m in members if m.stage == stage),
                median_days_from_joining=float(statistics.median(days)) if days else None,
            )
        )
    method = s.Method(
        name="programme_progress",
        description=gettext(
            "Members who had surely joined by as_of, in the programme's model. Milestones: first "
            "self-assessment, "
            "improvement plan, external feedback, label — each the first such event that had "
            "surely happened by "
            "as_of, at its date's precision. 'reached' counts members with the milestone; "
            "'at_stage' lists members "
            "whose furthest milestone it is; medians are days from the earliest possible joining "
            "day to the "
            "milestone's earliest possible day. Each member's status on as_of carries its basis "
            "(docs/status-rules.md); next_due is the next self-assessment due."
        ),
        parameters={"as_of": as_of.isoformat()},
    )
    return s.ProgrammeProgress(
        programme_id=programme_id,
        as_of=as_of,
        method=method,
        enrolled=len(rows),
        funnel=funnel,
        members=members,
    )


_WITHIN = re.compile(r"^(\d{1,4})([dwmy])$")


def parse_within(raw: str) -> tuple[int, str]:
    match = _WITHIN.match(raw.strip().lower())
    if not match:
        raise BadParameter("within", f"{raw!r}: write a number and a unit, e.g. 90d, 12w, 6m, 1y")
    n, unit = int(match.group(1)), match.group(2)
    days = n * {"d": 1, "w": 7, "m": 31, "y": 366}[unit]
    if days > 5 * 366:
        raise BadParameter("within", "at most 5 years ahead")
    return n, unit


def add_within(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "d":
        return day + dt.timedelta(days=n)
    if unit == "w":
        return day + dt.timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    return dt.date(
        target_year, target_month, min(day.day, calendar.monthrange(target_year, target_month)[1])
    )


async def expiring(
    conn: asyncpg.Connection,
    within: str,
    as_of: dt.date,
    country: str | None,
    model: str | None,
    hide: str,
) -> s.Expiring:
    until = add_within(as_of, *parse_within(within))
    rows = await conn.fetch(queries.certificates_expiring, as_of, until, country, model, hide)
    return s.Expiring(
        as_of=as_of, until=until, items=[s.ExpiringCertificate(**dict(r)) for r in rows]
    )
