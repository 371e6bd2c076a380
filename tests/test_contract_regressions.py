"""What schemathesis found where the API and its document disagreed
(tests/test_openapi_contract.py), each kept fixed by one focused test."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.settings import Settings


@pytest.fixture
async def api(scratch_url):
    """A client on a fresh clone with an editor key for SI."""
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "regressions-si", "editor", ["SI"])
    await conn.close()
    async with AsyncTestClient(
        create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2))
    ) as client:
        client.editor = {"Authorization": f"Bearer {key}"}
        yield client


def named(response, status: int, name: str) -> bool:
    """A problem of this status whose invalid_params name the parameter or field."""
    body = response.json()
    return response.status_code == status and name in [
        p["name"] for p in body.get("invalid_params", [])
    ]


async def test_anonymous_writes_are_401_before_the_body_is_read(api):
    # they were 422 naming the registry's rules (an unknown model, a municipality that does not
    # exist)
    r = await api.post(
        "/v1/programmes", json={"id": "x", "name": "x", "model": "nothing", "country": "SI"}
    )
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert (await api.delete("/v1/programmes/si-mju-caf-obcine/members/nowhere")).status_code == 401
    assert (await api.post("/v1/events", content=b"{not json")).status_code == 401


async def test_options_lists_every_method_of_the_address(api):
    # litestar 2 listed only the method registered first ("DELETE, OPTIONS")
    r = await api.options("/v1/programmes/si-mju-caf-obcine")
    assert r.status_code == 204 and r.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
    assert (await api.options("/v1/countries")).headers["allow"] == "GET, OPTIONS"


async def test_a_member_address_naming_no_municipality_is_404(api):
    # it was 422 naming a field the request has no body for
    r = await api.put(
        "/v1/programmes/si-mju-caf-obcine/members/si-999",
        json={"unsourced": True},
        headers=api.editor,
    )
    assert r.status_code == 404 and "si-999" in r.json()["detail"]
    r = await api.delete("/v1/programmes/si-mju-caf-obcine/members/si-999", headers=api.editor)
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v1/municipalities?as_of=null", "as_of"),
        ("/v1/rankings?population_min=null", "population_min"),
        ("/v1/municipalities?kind=null", "kind"),
        ("/v1/certificates/expiring?as_of=null&as_of=2020-01-01", "as_of"),
    ],
)
async def test_null_is_not_a_value_of_a_date_a_number_or_a_code(api, path, name):
    # `null` meant the parameter's default (today, no bound, every kind)
    assert named(await api.get(path), 400, name)


async def test_q_may_still_be_the_text_null(api):
    assert (await api.get("/v1/municipalities", params={"q": "null"})).status_code == 200


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"public": 0}, "public"),
        ({"year": "2006"}, "year"),
        ({"level": 1}, "level"),
    ],
)
async def test_json_bodies_are_read_strictly(api, body, name):
    # `"public": 0` was read as false and `"year": "2006"` as 2006
    r = await api.patch("/v1/awards/1", json=body, headers={**api.editor, "If-Match": '"1"'})
    assert named(r, 400, name)


async def test_a_whole_number_written_with_a_fraction_is_an_integer(api):
    r = await api.patch(
        "/v1/awards/1", json={"year": 2006.0}, headers={**api.editor, "If-Match": '"1"'}
    )
    # JSON Schema's integer; 403: award 1 is Polish, the key Slovenian
    assert r.status_code != 400, r.text


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v1/events/1180591620717411303424", "event_id"),
        ("/v1/awards/0", "award_id"),
        ("/v1/rankings?population_max=99999999999", "population_max"),
    ],
)
async def test_numbers_beyond_what_is_stored_are_refused_by_name(api, path, name):
    # ids above bigint reached PostgreSQL: an unnamed 400 "a value is not of the expected form"
    assert named(await api.get(path), 400, name)


async def test_a_population_beyond_integer_is_refused_by_name(api):
    r = await api.post(
        "/v1/municipalities",
        json={"country": "LI", "kind": "municipality", "name_local": "X", "population": 2**40},
        headers=api.editor,
    )
    assert named(r, 400, "population")


@pytest.mark.parametrize("since", ["1700000000", "2024-01-01", "2024-01-01T00:00:00", "yesterday"])
async def test_since_is_a_date_time_with_an_offset(api, since):
    # epoch seconds were read as a date-time
    assert named(await api.get("/v1/changes", params={"since": since}), 400, "since")


@pytest.mark.parametrize("since", ["2024-01-01T00:00:00Z", "2024-01-01t08:30:00.5+02:00"])
async def test_rfc_3339_date_times_are_a_since(api, since):
    assert (await api.get("/v1/changes", params={"since": since})).status_code == 200


async def test_an_empty_lang_is_refused(api):
    # `?lang=` was taken for no lang at all
    assert named(await api.get("/v1/countries", params={"lang": ""}), 400, "lang")


@pytest.mark.parametrize(
    ("path", "name"), [("/v1/stats/adoption", "model"), ("/v1/compare", "ids")]
)
async def test_required_parameters_are_required(api, path, name):
    # documented as optional with a default of "", answered 400 without
    assert named(await api.get(path), 400, name)


async def test_identifier_schemes_are_a_vocabulary(api):
    assert named(await api.get("/v1/municipalities/by/nuts/SI044"), 400, "scheme")
    # known scheme, no such value
    assert (await api.get("/v1/municipalities/by/wikidata/Q1")).status_code == 404
    r = await api.post(
        "/v1/municipalities",
        json={
            "country": "LI",
            "kind": "municipality",
            "name_local": "X",
            "identifiers": {"nuts": "LI0"},
        },
        headers=api.editor,
    )
    assert r.status_code == 400 and "identifiers" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (
            {
                "id": "trailing-newline\n",
                "title": "T",
                "language": "en",
                "url": "https://example.org/",
            },
            "id",
        ),
        (
            {"id": "control", "title": "T", "language": "en", "url": "https://example.org/\x1e"},
            "url",
        ),
    ],
)
async def test_patterns_mean_what_the_document_says(api, body, name):
    # Python's `$` let "trailing-newline\n" through as a source id, and its `\S` refused U+001E
    # where the document's (ECMA-262) `\S` admits it
    assert named(await api.post("/v1/sources", json=body, headers=api.editor), 400, name)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v1/municipalities/si-050/peers?scope=planet", "scope"),
        ("/v1/stats/adoption?model=CAF&to=20x", "to"),
        ("/v1/export?format=pdf", "format"),
    ],
)
async def test_a_parameter_is_named_as_the_request_names_it(api, path, name):
    # litestar named them by their Python names: peer_scope, period_to, export_format
    assert named(await api.get(path, headers=api.editor), 400, name)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"model": "ZG\x00f"}, "model"),
        ({"region": "PL\x0012"}, "region"),
        ({"country": "S\x85"}, "country"),
    ],
)
async def test_query_values_are_one_line_of_text(api, params, name):
    # a NUL reached PostgreSQL, which cannot hold it in text: an unnamed 400 "a value is not of the
    # expected form"
    assert named(await api.get("/v1/municipalities", params=params), 400, name)
