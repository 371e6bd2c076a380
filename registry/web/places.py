"""The home page (search, and what the registry holds per country) and a municipality's page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from registry.analytics import peers as peer_search
from registry.analytics.common import split_identifier
from registry.codes import check_country
from registry.csvout import csv_response
from registry.dates import as_of_day
from registry.errors import BadParameter, RegistryError
from registry.http import Answers, Conn, sees_private
from registry.i18n import gettext, labeller
from registry.labelling import labelled
from registry.places import repo as places
from registry.status.store import audience
from registry.text import fold
from registry.web import figures, repo
from registry.web.render import Links, Text, page

AsOf = Annotated[dt.date | None, QueryParameter(description="The day statuses are derived on")]
SEARCH_LIMIT = 50


def like_pattern(q: str) -> str:
    """A name search as the list endpoint's `q` reads it: folded (case, diacritics, script),
    LIKE-escaped."""
    return fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(
    db: asyncpg.Connection,
    q: str,
    country: str | None,
    day: dt.date,
    hide: str,
    limit: int = SEARCH_LIMIT,
) -> tuple[list, bool]:
    """The municipalities whose names match `q` in any script and spelling (whole names first, then
    names starting with it, then the others), and whether there are more."""
    if not 1 <= len(q) <= 100:
        raise BadParameter("q", gettext("give 1 to 100 characters of a name"))
    country = await check_country(db, country) if country else None
    items, last = await places.list_municipalities(
        db,
        country=country,
        region=None,
        kind=None,
        model=None,
        status=None,
        basis=None,
        as_of=day,
        q=like_pattern(q),
        include_sub_units=True,
        sort_language=None,
        after=None,
        limit=limit,
        hide=hide,
    )
    return labelled(items), last is not None


class PlacePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="home")
    async def home(
        self,
        request: Request,
        db: Conn,
        answers: Answers,
        as_of: AsOf = None,
        q: Text = None,
        country: Text = None,
    ) -> Response:
        day = as_of_day(as_of)
        hide = audience(sees_private(request))
        results: list = []
        more = False
        if q is not None and q.strip():
            results, more = await search(db, q.strip(), country or None, day, hide)

        async def compute() -> list[repo.CountryHolding]:
            return await repo.country_holdings(db, day, hide)

        holdings = await answers.get(db, ("web-holdings", day, hide), compute)
        choices = await answers.get(db, ("web-choices",), lambda: repo.choices(db))
        total = sum(c.municipality_count for c in holdings)
        return page(
            request,
            "home.html",
            "home",
            q=q or "",
            country=country or "",
            results=results,
            more=more,
            holdings=holdings,
            total=total,
            as_of=day,
            countries=choices.countries,
            searched=q is not None and bool(q.strip()),
        )

    @get("/municipalities", name="find")
    async def find(
        self, request: Request, db: Conn, q: Text = None, country: Text = None
    ) -> Redirect:
        """The search form's address without JavaScript lands on the home page's results."""
        return Redirect(Links(request)("/", q=q, country=country))

    @get("/municipalities/{municipality_id:str}", name="municipality")
    async def municipality(
        self, request: Request, db: Conn, municipality_id: FromPath[str], as_of: AsOf = None
    ) -> Response:
        day = as_of_day(as_of)
        scheme, value = split_identifier(municipality_id)
        if scheme != "id":  # teryt:1261011 and the like: the page lives at the registry id
            found = await places.resolve_identifier(db, scheme, value)
            return Redirect(Links(request)(f"/municipalities/{found}", as_of=as_of))
        profile, spans, bench = await municipality_data(db, request, municipality_id, day)
        timeline = figures.timeline_figure(request, profile, spans, day)
        benchmark = (
            figures.benchmark_figure(request, profile.id, profile.name, bench)
            if bench and bench.models
            else None
        )
        periods = {
            a.id: period_rows(spans.get((profile.id, a.model, a.id), [])) for a in profile.adoptions
        }
        labels = [(a, e) for a in profile.adoptions for e in a.events if e.type == "label_granted"]
        peer_names = await repo.names(db, bench.peer_ids) if bench else {}
        return page(
            request,
            "municipality.html",
            None,
            m=profile,
            periods=periods,
            timeline=timeline,
            bench=bench,
            benchmark=benchmark,
            as_of=day,
            labels=labels,
            peer_names=peer_names,
            sources={src.id: src for src in profile.sources},
        )

    @get("/municipalities/{municipality_id:str}/events.csv", name="municipality-events-csv")
    async def events_csv(
        self, request: Request, db: Conn, municipality_id: FromPath[str], as_of: AsOf = None
    ) -> Response:
        """Every event of the municipality's adoptions with its source and quote, one row each."""
        private = sees_private(request)
        profile = await places.get_municipality(
            db, municipality_id, as_of_day(as_of), private, audience(private)
        )
        rows = [
            {
                "municipality": profile.id,
                "model": a.model,
                "scope": a.scope,
                "event_id": e.id,
                "type": e.type,
                "date": e.date,
                "date_precision": e.date_precision,
                "date_kind": e.date_kind,
                "edition": e.edition,
                "body": e.body.name if e.body else None,
                "certificate_number": e.certificate_number,
                "valid_until": e.valid_until,
                "evidence_level": e.evidence_level,
                "source_id": e.source_id,
                "quote": e.quote,
                "note": e.note,
            }
            for a in profile.adoptions
            for e in a.events
        ]
        columns = [
            "municipality",
            "model",
            "scope",
            "event_id",
            "type",
            "date",
            "date_precision",
            "date_kind",
            "edition",
            "body",
            "certificate_number",
            "valid_until",
            "evidence_level",
            "source_id",
            "quote",
            "note",
        ]
        return csv_response(rows, columns, f"{profile.id}-events.csv")

    @get("/municipalities/{municipality_id:str}/timeline.csv", name="municipality-timeline-csv")
    async def timeline_csv(
        self, request: Request, db: Conn, municipality_id: FromPath[str]
    ) -> Response:
        """Every period of every adoption: from, to (exclusive), status and how well the evidence
        supports it."""
        private = sees_private(request)
        profile = await places.get_municipality(
            db, municipality_id, dt.date.today(), private, audience(private)
        )
        spans = await repo.municipality_spans(db, [profile.id], audience(private))
        rows = [
            {
                "municipality": profile.id,
                "model": model,
                "adoption_id": adoption,
                "from": None if p.open_start else p.start,
                "to": None if p.open_end else p.end,
                "status": p.status,
                "basis": p.basis,
                "reason": p.reason,
                "since": p.since,
                "valid_until": p.valid_until,
                "last_evidence_date": p.last_evidence_date,
            }
            for (_, model, adoption), found in sorted(spans.items())
            for p in found
        ]
        columns = [
            "municipality",
            "model",
            "adoption_id",
            "from",
            "to",
            "status",
            "basis",
            "reason",
            "since",
            "valid_until",
            "last_evidence_date",
        ]
        return csv_response(rows, columns, f"{profile.id}-timeline.csv")


def period_rows(periods: list[repo.Period]) -> list[tuple[str, str, str, str, str, str]]:
    """The periods of an adoption as the page's table writes them (from, to, status, its words, the
    basis, the reason), in the reader's language; the time before any evidence is left out."""
    lab = labeller()
    still = gettext("open")
    return [
        (
            "" if p.open_start else lab.day(p.start)[1] or "",
            still if p.open_end else lab.day(p.end)[1] or "",
            p.status,
            lab.label("status", p.status) or p.status,
            lab.label("basis", p.basis) or p.basis,
            lab.label("status_reason", p.reason) or "",
        )
        for p in periods
        if not (p.status == "unknown" and p.reason == "no_evidence_yet")
    ]


async def municipality_data(
    db: asyncpg.Connection,
    request: Request,
    municipality_id: str,
    day: dt.date,
    benchmark: bool = True,
):
    """The profile, the periods of its adoptions and (with `benchmark`) where it stands among its
    ten nearest peers, labelled."""
    private = sees_private(request)
    hide = audience(private)
    profile = await places.get_municipality(db, municipality_id, day, private, hide)
    spans = await repo.municipality_spans(db, [profile.id], hide)
    try:
        bench = (
            await peer_search.benchmark(db, profile.id, "knn", 10, "country", None, day, hide)
            if benchmark
            else None
        )
    except RegistryError:  # no peers can be found for it: the page says so
        bench = None
    return labelled(profile), spans, labelled(bench) if bench else None
