"""Edges of answers a user meets: far dates, CSV media types, programme ETags."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.settings import Settings

AS_OF_ROUTES = [
    "/v1/municipalities/si-050",
    "/v1/municipalities",
    "/v1/programmes/si-mju-caf-obcine",
    "/v1/programmes/si-mju-caf-obcine/progress",
    "/v1/rankings",
    "/v1/municipalities/si-050/benchmark",
    "/v1/certificates/expiring",
    "/v1/compare?ids=si-050,pl-1261011",
    "/v1/stats/adoption?model=CAF&country=SI",
]


@pytest.fixture
async def admin(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "admin", "admin", [])
    await conn.close()
    async with AsyncTestClient(
        create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2))
    ) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


@pytest.mark.parametrize(
    "day", ["9999-12-31", "9999-12-30", "0001-01-01", "1899-12-31", "2101-01-01"]
)
async def test_a_far_as_of_is_refused_naming_the_days_the_registry_answers_for(client, day):
    for route in AS_OF_ROUTES:
        r = await client.get(f"{route}{'&' if '?' in route else '?'}as_of={day}")
        assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json", (
            route,
            r.text,
        )
        problem = r.json()
        assert (
            problem["invalid_params"][0]["name"] == "as_of"
            and "1900-01-01 to 2100-12-31" in problem["detail"]
        )


async def test_the_last_day_the_registry_answers_for_is_shown(client):
    for route in AS_OF_ROUTES:
        r = await client.get(f"{route}{'&' if '?' in route else '?'}as_of=2100-12-31")
        assert r.status_code == 200 and r.json()["as_of"] == "2100-12-31", route


async def test_far_dates_are_refused_in_writes_imports_and_periods(admin, client):
    event = {
        "municipality": "si-094",
        "model": "CAF",
        "type": "self_assessment",
        "evidence_level": "self_declared",
        "unsourced": True,
    }
    r = await admin.post("/v1/events", json=event | {"date": "9999"})
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "date", r.text
    r = await admin.post("/v1/events", json=event | {"date": "2019", "valid_until": "9999-12-31"})
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "valid_until", r.text
    r = await admin.post("/v1/imports", json=[event | {"record": "event", "date": "0001-01-01"}])
    assert r.status_code == 422 and r.json()["report"]["errors"][0]["field"] == "date", r.text
    r = await client.get(
        "/v1/stats/adoption", params={"model": "CAF", "country": "SI", "from": "2018", "to": "9999"}
    )
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "to"


@pytest.mark.parametrize(
    "route",
    [
        "/v1/municipalities?country=SI",
        "/v1/compare?ids=si-050,pl-1261011",
        "/v1/rankings?country=SI",
        "/v1/stats/adoption?model=CAF&country=SI",
    ],
)
async def test_csv_answers_name_their_charset_once(client, route):
    r = await client.get(route, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"


async def test_a_programme_has_an_etag_that_follows_its_members_and_gives_304(admin):
    path = "/v1/programmes/si-mju-caf-obcine"
    first = await admin.get(path, params={"as_of": "2024-01-01"})
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('"1.2024-01-01.')
    again = await admin.get(path, params={"as_of": "2024-01-01"}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    assert (
        await admin.get(path, params={"as_of": "2024-01-02"}, headers={"If-None-Match": tag})
    ).status_code == 200
    # a new member changes the answer, not the programme's own version: the tag changes all the same
    joined = await admin.put(f"{path}/members/si-094", json={"joined": "2023", "unsourced": True})
    assert joined.status_code == 200, joined.text
    changed = await admin.get(path, params={"as_of": "2024-01-01"}, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert "si-094" in [m["municipality_id"] for m in changed.json()["members"]]
    # the tag names the version If-Match checks
    renamed = await admin.patch(
        path, json={"note": "checked"}, headers={"If-Match": changed.headers["etag"]}
    )
    assert renamed.status_code == 200, renamed.text


@pytest.mark.parametrize("part", ["editions/1999", "levels/platinum"])
async def test_changing_a_missing_edition_or_level_names_it(admin, part):
    path = f"/v1/models/ISO9001/{part}"
    name = f"ISO9001/{part.split('/')[1]}"
    for r in (
        await admin.patch(path, json={"note": "x"}),
        await admin.delete(path),
    ):
        assert r.status_code == 404 and name in r.json()["detail"], r.text
    # a curator who read it before: it was deleted meanwhile
    r = await admin.patch(path, json={"note": "x"}, headers={"If-Match": '"1"'})
    assert r.status_code == 412 and name in r.json()["detail"], r.text
