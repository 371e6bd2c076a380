"""HTTP routes for comparison, peers, benchmark, rankings, adoption statistics, cohort progress,
audit cycle."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from litestar import Controller, Request, Response, get
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter

from registry.analytics import compare as comparison
from registry.analytics import peers as peer_search
from registry.analytics import progress, statistics
from registry.analytics import rankings as ranking
from registry.analytics import schemas as s
from registry.codes import check_country, check_model, model_code
from registry.csvout import csv_response, wants_csv
from registry.dates import YEARS, as_of_day
from registry.db import queries
from registry.errors import BadParameter
from registry.http import Answers, Conn, LazyConn, Pages, encoded_json, render_json, sees_private
from registry.i18n import current, rendering_key
from registry.labelling import labelled
from registry.openapi_parts import problems
from registry.paging import decode_cursor, encode_cursor
from registry.schemas import END
from registry.status.store import audience
from registry.vocab import Kind, Tier

AsOf = Annotated[
    dt.date | None, QueryParameter(description="Compute on this day (YYYY-MM-DD); default today")
]
MunicipalityId = Annotated[
    str,
    PathParameter(
        description="Registry id, e.g. si-050",
        examples=[Example(value="si-050"), Example(value="pl-1261011")],
    ),
]
PeerBy = Annotated[
    Literal["knn", "band", "custom"],
    QueryParameter(
        description="knn: nearest on population, area, urbanisation; band: same country, kind and "
        "population band; "
        "custom: the ids given"
    ),
]
PeerK = Annotated[
    int, QueryParameter(ge=1, le=100, description="How many nearest neighbours (knn)")
]
PeerScope = Annotated[
    Literal["country", "all"],
    QueryParameter(name="scope", description="knn within the country or across all"),
]
PeerIds = Annotated[
    str | None, QueryParameter(description="by=custom: comma-separated ids or scheme:value")
]


WEIGHT = r"(breadth|continuity|recognition|engagement):[0-9]+(\.[0-9]+)?"
WEIGHTS = rf"^{WEIGHT}(,{WEIGHT})*{END}"
PERIOD = rf"^{YEARS}(-[0-9]{{2}}(-[0-9]{{2}})?)?{END}"


class AnalyticsController(Controller):
    path = "/v1"
    tags = ["benchmarking"]

    @get(
        "/compare",
        operation_id="compare",
        summary="Municipalities side by side",
        opt={"csv": True},
        responses=problems(404),
    )
    async def compare(
        self,
        lazy_db: LazyConn,
        pages: Pages,
        request: Request,
        ids: Annotated[
            str,
            QueryParameter(
                description="2 to 20 comma-separated ids or scheme:value "
                "(si-050, teryt:1261011, iso3166_2:AZ-GYG)",
                pattern=rf"^[^,]+(,[^,]+){{1,19}}{END}",
            ),
        ],
        as_of: AsOf = None,
    ) -> Response[s.Comparison]:
        """Per model: status, since when, years held continuously, edition, last audit, next audit
        due; awards, labels and programme memberships. Answers text/csv with `Accept: text/csv` or
        `format=csv`."""
        day, hide = as_of_day(as_of), audience(sees_private(request))

        async def compute() -> s.Comparison:
            return await comparison.compare(await lazy_db(), ids, day, hide)

        if wants_csv(request):
            return csv_response(
                comparison.compare_rows(await compute()), comparison.COMPARE_COLUMNS, "compare.csv"
            )

        async def encoded() -> bytes:
            return render_json(await compute())

        key = ("compare", ids, day, hide, rendering_key())
        return encoded_json(await pages.get(lazy_db, key, encoded))

    @get(
        "/municipalities/{municipality_id:str}/peers",
        operation_id="getPeers",
        summary="Peers of a municipality",
    )
    async def peers(
        self,
        db: Conn,
        municipality_id: MunicipalityId,
        by: PeerBy = "knn",
        k: PeerK = 10,
        peer_scope: PeerScope = "country",
        ids: PeerIds = None,
    ) -> s.Peers:
        """How the peers were chosen, each peer's distance and what contributed to it; peers without
        the data needed are reported under without_data."""
        return labelled(await peer_search.find_peers(db, municipality_id, by, k, peer_scope, ids))

    @get(
        "/municipalities/{municipality_id:str}/benchmark",
        operation_id="getBenchmark",
        summary="Where a municipality stands among its peers",
    )
    async def benchmark(
        self,
        db: Conn,
        request: Request,
        municipality_id: MunicipalityId,
        as_of: AsOf = None,
        by: PeerBy = "knn",
        k: PeerK = 10,
        peer_scope: PeerScope = "country",
        ids: PeerIds = None,
    ) -> s.Benchmark:
        """For each model: share of peers holding it, when peers adopted it, and where this
        municipality stands."""
        return labelled(
            await peer_search.benchmark(
                db,
                municipality_id,
                by,
                k,
                peer_scope,
                ids,
                as_of_day(as_of),
                audience(sees_private(request)),
            )
        )

    @get("/rankings", operation_id="getRankings", summary="Transparent rankings")
    async def rankings(
        self,
        lazy_db: LazyConn,
        answers: Answers,
        request: Request,
        as_of: AsOf = None,
        country: Annotated[str | None, QueryParameter(description="ISO 3166-1 alpha-2")] = None,
        model: Annotated[
            str | None, QueryParameter(description="Only municipalities that adopted this model")
        ] = None,
        kind: Annotated[Kind | None, QueryParameter(description="Kind of local government")] = None,
        tier: Annotated[
            Tier,
            QueryParameter(
                description=(
                    "Which holders are counted: municipality (the default: the local governments "
                    "of the rosters, "
                    "sub-units excluded), county, region or agency"
                )
            ),
        ] = "municipality",
        # schema_extra: litestar leaves a minimum of 0 out of the OpenAPI document
        population_min: Annotated[
            int | None, QueryParameter(ge=0, le=2**31 - 1, schema_extra={"minimum": 0})
        ] = None,
        population_max: Annotated[
            int | None, QueryParameter(ge=0, le=2**31 - 1, schema_extra={"minimum": 0})
        ] = None,
        weights: Annotated[
            str | None,
            QueryParameter(
                description="component:weight,… for breadth, continuity, recognition, engagement; "
                "unnamed components weigh 0. Default "
                "breadth:0.4,continuity:0.3,recognition:0.15,engagement:0.15",
                pattern=WEIGHTS,
            ),
        ] = None,
        window_years: Annotated[
            int,
            QueryParameter(
                ge=1,
                le=50,
                description=("The window, in years up to as_of, in which the evidence is counted"),
            ),
        ] = ranking.DEFAULT_WINDOW_YEARS,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(description="The `next` value of the previous page")
        ] = None,
    ) -> Response[s.Rankings]:
        """Score, rank and every component per municipality; the method and its version are in
        `method`. Answers text/csv with `Accept: text/csv` or `format=csv`."""
        offset = 0
        if cursor:
            position = decode_cursor(cursor) or ""
            if not position.isdigit():
                raise BadParameter("cursor", "not a cursor returned by this API")
            offset = int(position)
        weights_map = ranking.parse_weights(weights)
        hide = audience(sees_private(request))
        # the codes are checked when the answer is computed: a reused answer had them checked at
        # this version
        key = (
            "rankings",
            current().tag,
            country and country.upper(),
            model and model_code(model),
            kind,
            tier,
            population_min,
            population_max,
            as_of_day(as_of),
            window_years,
            tuple(sorted(weights_map.items())),
            limit,
            offset,
            hide,
        )

        async def compute() -> s.Rankings:
            db = await lazy_db()
            result = await ranking.rankings(
                db,
                country=await check_country(db, country),
                model=await check_model(db, model),
                kind=kind,
                population_min=population_min,
                population_max=population_max,
                as_of=as_of_day(as_of),
                window_years=window_years,
                weights=weights_map,
                limit=limit,
                offset=offset,
                hide=hide,
                tier=tier,
            )
            if offset + len(result.items) < result.ranked_total:
                result.next = encode_cursor(str(offset + len(result.items)))
            return result

        if wants_csv(request):
            return csv_response(
                ranking.ranking_rows(await answers.get(lazy_db, key, compute)),
                ranking.RANKING_COLUMNS,
                "rankings.csv",
                {"X-Ranking-Method": ranking.RANKING_VERSION},
            )
        return encoded_json(
            await answers.rendered(lazy_db, key, rendering_key(), compute, render_json)
        )

    @get(
        "/stats/adoption",
        operation_id="getAdoptionStats",
        summary="Adoption counts and rates",
        opt={"csv": True},
    )
    async def adoption_stats(
        self,
        lazy_db: LazyConn,
        answers: Answers,
        request: Request,
        model: Annotated[
            str, QueryParameter(description="Model code, e.g. CAF, ISO9001", min_length=1)
        ],
        as_of: AsOf = None,
        country: Annotated[
            str | None,
            QueryParameter(
                description="One code, several comma-separated, or all",
                pattern=rf"^(all|[A-Za-z]{{2}}(,[A-Za-z]{{2}})*){END}",
            ),
        ] = None,
        by: Annotated[
            Literal["year", "country", "kind", "region"], QueryParameter(description="Grouping")
        ] = "year",
        period_from: Annotated[
            str | None,
            QueryParameter(
                name="from", description="Start: YYYY, YYYY-MM or YYYY-MM-DD", pattern=PERIOD
            ),
        ] = None,
        period_to: Annotated[
            str | None,
            QueryParameter(
                name="to", description="End: YYYY, YYYY-MM or YYYY-MM-DD", pattern=PERIOD
            ),
        ] = None,
        include_empty: Annotated[
            bool, QueryParameter(description="Also groups without any adopter")
        ] = False,
        tier: Annotated[
            Tier,
            QueryParameter(
                description=(
                    "Which holders are counted: municipality (the default: the local governments "
                    "of the rosters, "
                    "sub-units excluded), county, region or agency"
                )
            ),
        ] = "municipality",
    ) -> Response[s.AdoptionStats]:
        """Per group: holding on as_of, first adoptions in the period, cumulative adopters, the
        roster denominator, rates where the roster is complete and a coverage flag. Answers text/csv
        with `Accept: text/csv` or `format=csv`."""
        countries = statistics.parse_countries(country)
        bounds = (
            statistics.period_bound(period_from, "from", end=False),
            statistics.period_bound(period_to, "to", end=True),
        )
        hide = audience(sees_private(request))
        # the codes are checked when the answer is computed: a reused answer had them checked at
        # this version
        key = (
            "stats",
            current().tag,
            model_code(model),
            tuple(countries or ()),
            by,
            bounds,
            as_of_day(as_of),
            include_empty,
            hide,
            tier,
        )

        async def compute() -> s.AdoptionStats:
            db = await lazy_db()
            for country_code in countries or []:
                await check_country(db, country_code)
            code = await check_model(db, model)
            return await statistics.adoption_stats(
                db,
                model=code,
                lifecycle=await db.fetchval(queries.model_lifecycle, code),
                countries=countries,
                by=by,
                period_from=bounds[0],
                period_to=bounds[1],
                as_of=as_of_day(as_of),
                include_empty=include_empty,
                hide=hide,
                tier=tier,
            )

        if wants_csv(request):
            result = await answers.get(lazy_db, key, compute)
            return csv_response(
                statistics.stats_rows(labelled(result)), statistics.STATS_COLUMNS, "adoption.csv"
            )
        return encoded_json(
            await answers.rendered(lazy_db, key, rendering_key(), compute, render_json)
        )

    @get(
        "/programmes/{programme_id:str}/progress",
        operation_id="getProgrammeProgress",
        summary="A programme's cohort funnel",
    )
    async def programme_progress(
        self,
        lazy_db: LazyConn,
        answers: Answers,
        request: Request,
        programme_id: Annotated[
            str,
            PathParameter(
                description="Programme id", examples=[Example(value="si-mju-caf-obcine")]
            ),
        ],
        as_of: AsOf = None,
    ) -> Response[s.ProgrammeProgress]:
        """Enrolled → first self-assessment → improvement plan → external feedback → label: counts,
        who is at each stage, median days to each milestone."""
        hide = audience(sees_private(request))
        key = ("progress", current().tag, programme_id, as_of_day(as_of), hide)

        async def compute() -> s.ProgrammeProgress:
            return await progress.programme_progress(
                await lazy_db(), programme_id, as_of_day(as_of), hide
            )

        return encoded_json(
            await answers.rendered(lazy_db, key, rendering_key(), compute, render_json)
        )

    @get(
        "/certificates/expiring",
        operation_id="getExpiringCertificates",
        summary="Certificates about to expire",
    )
    async def expiring(
        self,
        db: Conn,
        request: Request,
        as_of: AsOf = None,
        within: Annotated[
            str,
            QueryParameter(
                description="How far ahead, at most 5 years: 90d, 12w, 6m, 1y",
                pattern=rf"^[0-9]{{1,4}}[dwmy]{END}",
            ),
        ] = "90d",
        country: Annotated[str | None, QueryParameter(description="ISO 3166-1 alpha-2")] = None,
        model: Annotated[str | None, QueryParameter(description="Model code")] = None,
    ) -> s.Expiring:
        """Certificates in force on as_of whose validity ends within the window, with the next audit
        due and an overdue flag."""
        return labelled(
            await progress.expiring(
                db,
                within,
                as_of_day(as_of),
                await check_country(db, country),
                await check_model(db, model),
                audience(sees_private(request)),
            )
        )
