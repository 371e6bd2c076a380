"""HTTP routes for countries and municipalities: reads, writes and a municipality's history."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from registry.cache import VersionedCache
from registry.codes import check_country, check_model, model_code
from registry.csvout import csv_requested, page_as_csv
from registry.curation import feed, municipalities
from registry.curation import schemas as c
from registry.curation.handlers import write, written
from registry.dates import as_of_day
from registry.db import LazyConnection, queries
from registry.errors import BadParameter, NotFound
from registry.http import (
    Conn,
    IfMatch,
    IfNoneMatch,
    LazyConn,
    Pages,
    Who,
    encoded_json,
    etag,
    not_modified,
    render_json,
    sees_private,
    unchanged,
)
from registry.i18n import current, gettext, rendering_key
from registry.labelling import labelled
from registry.openapi_parts import problems
from registry.paging import decode_cursor, encode_cursor
from registry.places import repo
from registry.places.schemas import Country, CountrySummary, Municipality, MunicipalityPage
from registry.schemas import Page
from registry.status.store import audience
from registry.text import fold
from registry.vocab import Basis, Kind, LookupScheme, Status, Tier

AsOf = Annotated[
    dt.date | None,
    QueryParameter(description="Derive statuses on this day (YYYY-MM-DD); default today."),
]


def _like_pattern(q: str) -> str:
    return fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _position(cursor: str | None) -> tuple[bytes, int, str] | None:
    """The (sort key, match rank, id) a list cursor points after."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    sort_hex, _, rest = key.partition(":")
    rank, sep, last_id = rest.partition(":")
    try:
        sort_key = bytes.fromhex(sort_hex)
    except ValueError:
        sort_key = None
    if sort_key is None or not sep or not rank.isdigit():
        raise BadParameter("cursor", gettext("not a cursor returned by this API"))
    return sort_key, int(rank), last_id


async def _profile_response(
    lazy_db: LazyConnection,
    pages: VersionedCache,
    municipality_id: str,
    day: dt.date,
    private: bool,
    if_none_match: str | None,
) -> Response:
    """The profile, labelled in the caller's language, or 304 when the caller has this version;
    encoded once per data version, day, audience, language and script (registry/cache.py)."""

    async def compute() -> tuple[str, bytes]:
        db = await lazy_db()
        profile = await repo.get_municipality(db, municipality_id, day, private, audience(private))
        # the same address answers key holders with their facts: their tag differs from the
        # anonymous one
        tag = etag(profile.version, day.isoformat() + (".k" if private else ""))
        return tag, render_json(profile)

    key = ("profile", municipality_id, day, private, rendering_key())
    tag, body = await pages.get(lazy_db, key, compute)
    headers = {"ETag": tag, "Vary": "Accept-Language, Authorization"}
    if not_modified(if_none_match, tag):
        return unchanged(headers)
    return encoded_json(body, headers)


class CountryController(Controller):
    path = "/v1/countries"
    tags = ["places"]

    @get("/", operation_id="listCountries", summary="All countries (ISO 3166-1)")
    async def list_countries(self, db: Conn) -> Page[CountrySummary]:
        """Countries with the number of local governments the registry holds for each."""
        return Page(items=labelled(await repo.list_countries(db)))

    @get("/{code:str}", operation_id="getCountry", summary="One country, its roster and regions")
    async def get_country(
        self,
        db: Conn,
        code: Annotated[
            str, PathParameter(description="ISO 3166-1 alpha-2", examples=[Example(value="SI")])
        ],
    ) -> Country:
        """The country's municipality count, where its roster comes from, and its regions."""
        return labelled(await repo.get_country(db, code))


class MunicipalityController(Controller):
    path = "/v1/municipalities"
    tags = ["places"]

    @get("/", operation_id="listMunicipalities", summary="Find municipalities")
    async def list_municipalities(
        self,
        lazy_db: LazyConn,
        pages: Pages,
        request: Request,
        as_of: AsOf = None,
        country: Annotated[
            str | None, QueryParameter(description="ISO 3166-1 alpha-2, e.g. SI")
        ] = None,
        region: Annotated[str | None, QueryParameter(description="Region code, e.g. PL-12")] = None,
        kind: Annotated[Kind | None, QueryParameter(description="Kind of local government")] = None,
        model: Annotated[
            str | None,
            QueryParameter(description="Only those with an adoption of this model, e.g. CAF"),
        ] = None,
        status: Annotated[
            Status | None,
            QueryParameter(description="Only those with an adoption in this status on as_of"),
        ] = None,
        basis: Annotated[
            Basis | None,
            QueryParameter(
                description=(
                    "With status: how well the evidence must support it (docs/status-rules.md): "
                    "evidenced, inferred, "
                    "confirmed (either; the default), unknown or any"
                )
            ),
        ] = None,
        q: Annotated[
            str | None,
            QueryParameter(
                description="Name search; ignores case, diacritics and Cyrillic/Latin script",
                min_length=1,
                max_length=100,
            ),
        ] = None,
        include_sub_units: Annotated[
            bool,
            QueryParameter(
                description="Also list sub-units such as Belgrade's city municipalities"
            ),
        ] = False,
        tier: Annotated[
            Tier | Literal["all"],
            QueryParameter(
                description=(
                    "Which holders: municipality (the default: local governments), county (Polish "
                    "powiats), region "
                    "(voivodeships' self-governments), agency (bodies a municipality owns), or all"
                )
            ),
        ] = "municipality",
        limit: Annotated[int, QueryParameter(ge=1, le=500, description="Page size")] = 50,
        cursor: Annotated[
            str | None, QueryParameter(description="The `next` value of the previous page")
        ] = None,
        sort: Annotated[
            Literal["id", "name"],
            QueryParameter(
                description="id, or name in the alphabet of the answer's language (Polish Ł after "
                "L, …)"
            ),
        ] = "id",
    ) -> Response[MunicipalityPage]:
        """Filtered and paged by id; `next` is null on the last page."""
        day = as_of_day(as_of)
        language = current()
        hide = audience(sees_private(request))
        after = _position(cursor)

        async def compute() -> MunicipalityPage:
            db = await lazy_db()
            items, last = await repo.list_municipalities(
                db,
                country=country.upper() if country else None,
                region=region.upper() if region else None,
                kind=kind,
                model=model_code(model) if model else None,
                status=status,
                basis=basis,
                as_of=day,
                q=_like_pattern(q) if q else None,
                include_sub_units=include_sub_units,
                sort_language=language.labels if sort == "name" else None,
                after=after,
                limit=limit,
                hide=hide,
                tier=None if tier == "all" else tier,
            )
            if not items:
                # a filter that names a country, region or model the registry does not know can
                # only give an empty page (they are foreign keys), so they are checked here, saving
                # three queries on every other page
                await check_country(db, country)
                await repo.check_region(db, region)
                await check_model(db, model)
            following = encode_cursor(f"{last[0].hex()}:{last[1]}:{last[2]}") if last else None
            return MunicipalityPage(items=items, next=following, as_of=day)

        if csv_requested.get():
            page = labelled(await compute())
            return page_as_csv(msgspec.to_builtins(page), request.scope["path"])

        async def encoded() -> bytes:
            return render_json(await compute())

        # every parameter, the audience, the language and the script of names
        key = (
            "list",
            country, region, kind, model, status, basis, day, q, include_sub_units,
            tier, limit, cursor, sort, hide, rendering_key(),
        )  # fmt: skip
        return encoded_json(await pages.get(lazy_db, key, encoded))

    @get(
        "/{municipality_id:str}",
        operation_id="getMunicipality",
        summary="Everything known about one municipality",
    )
    async def get_municipality(
        self,
        lazy_db: LazyConn,
        pages: Pages,
        request: Request,
        municipality_id: Annotated[
            str,
            PathParameter(
                description="Registry id, e.g. pl-1261011", examples=[Example(value="pl-1261011")]
            ),
        ],
        as_of: AsOf = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Municipality]:
        """Identifiers, adoptions with derived status and full event timeline, awards, programmes,
        sources. ETag "version.as_of": send it back in If-Match to change the municipality, in
        If-None-Match for 304."""
        return await _profile_response(
            lazy_db,
            pages,
            municipality_id,
            as_of_day(as_of),
            sees_private(request),
            if_none_match,
        )

    @get(
        "/by/{scheme:str}/{value:str}",
        operation_id="getMunicipalityByIdentifier",
        summary="Resolve any crosswalk identifier",
        responses=problems(409),
    )
    async def by_identifier(
        self,
        lazy_db: LazyConn,
        pages: Pages,
        request: Request,
        scheme: Annotated[LookupScheme, PathParameter(description="The identifier's scheme")],
        value: Annotated[
            str,
            PathParameter(
                description="The identifier, e.g. SI-050, 1261011, 70327, PL_1001121261011",
                examples=[Example(value="1261011")],
            ),
        ],
        as_of: AsOf = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Municipality]:
        """The same document as GET /v1/municipalities/{id}; Content-Location names the canonical
        address."""
        municipality_id = await repo.resolve_identifier(await lazy_db(), scheme, value)
        response = await _profile_response(
            lazy_db,
            pages,
            municipality_id,
            as_of_day(as_of),
            sees_private(request),
            if_none_match,
        )
        response.headers["Content-Location"] = f"/v1/municipalities/{municipality_id}"
        return response

    @post(
        "/",
        operation_id="createMunicipality",
        summary="Add a municipality of a country without a complete roster",
    )
    async def create_municipality(
        self, state: State, principal: Who, data: JSONBody[c.MunicipalityIn]
    ) -> Response[c.Written]:
        """The id defaults to a readable one from the country and the Latin name."""
        return written(await write(state, municipalities.create_municipality, principal, data), 201)

    @patch(
        "/{municipality_id:str}",
        operation_id="updateMunicipality",
        summary="Change a municipality's curated fields",
    )
    async def update_municipality(
        self,
        state: State,
        principal: Who,
        municipality_id: FromPath[str],
        data: JSONBody[c.MunicipalityPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Name variants, identifiers, note; the roster fields only of curator-added
        municipalities."""
        return written(
            await write(
                state,
                municipalities.update_municipality,
                principal,
                municipality_id,
                data,
                if_match,
            )
        )

    @delete(
        "/{municipality_id:str}",
        operation_id="deleteMunicipality",
        summary="Delete a curator-added municipality without facts",
        status_code=200,
    )
    async def delete_municipality(
        self, state: State, principal: Who, municipality_id: FromPath[str], if_match: IfMatch = None
    ) -> c.Written:
        """Roster municipalities cannot be deleted."""
        return await write(
            state, municipalities.delete_municipality, principal, municipality_id, if_match
        )

    @get(
        "/{municipality_id:str}/history",
        operation_id="getMunicipalityHistory",
        summary="One municipality's changes",
    )
    async def history(
        self,
        db: Conn,
        principal: Who,
        municipality_id: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        cursor: Annotated[
            str | None, QueryParameter(description="The `next` value of the previous page")
        ] = None,
    ) -> c.ChangePage:
        """The changes to the municipality and to the facts about it, oldest first."""
        if not await db.fetchval(queries.municipality_version, municipality_id.lower()):
            raise NotFound("municipality", municipality_id)
        return await feed.changes(db, principal, municipality_id.lower(), None, limit, cursor)
