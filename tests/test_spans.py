"""Status spans are kept by the writes themselves: a status answered on any day follows every write
at once, and a reader who may not see a fact gets statuses derived without it."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.db import init_connection
from registry.settings import Settings
from registry.status import store

SELF_ASSESSMENT = {
    "municipality": "si-094",
    "model": "CAF",
    "type": "self_assessment",
    "date": "2021-05-10",
    "evidence_level": "self_declared",
    "unsourced": True,
}


@pytest.fixture
async def api(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "mju-si", "editor", ["SI"])
    await conn.close()
    async with AsyncTestClient(
        create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2))
    ) as client:
        client.key = {"Authorization": f"Bearer {key}"}
        client.url = scratch_url
        yield client


def _caf(profile: dict) -> dict:
    return next(a for a in profile["adoptions"] if a["model"] == "CAF")


async def test_a_status_follows_each_write_at_once(api):
    day = {"as_of": "2022-01-01"}
    before = _caf(
        (await api.get("/v1/municipalities/si-094", params={"as_of": "2020-06-01"})).json()
    )
    assert (
        _caf((await api.get("/v1/municipalities/si-094", params=day)).json())["status"] == "unknown"
    )
    created = await api.post("/v1/events", json=SELF_ASSESSMENT, headers=api.key)
    caf = _caf((await api.get("/v1/municipalities/si-094", params=day)).json())
    assert (caf["status"], caf["basis"], caf["status_since"]) == (
        "self_assessed",
        "inferred",
        "2021-05-10",
    )
    listed = (
        await api.get(
            "/v1/municipalities", params=day | {"status": "self_assessed", "country": "SI"}
        )
    ).json()
    assert [m["id"] for m in listed["items"]] == ["si-094"]
    changed = await api.patch(
        created.headers["location"],
        json={"date": "2019-02"},
        headers=api.key | {"If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200
    assert (
        _caf((await api.get("/v1/municipalities/si-094", params=day)).json())["status"] == "unknown"
    )
    assert (
        _caf((await api.get("/v1/municipalities/si-094", params={"as_of": "2020-06-01"})).json())[
            "status_since"
        ]
        == "2019-02"
    )
    await api.delete(
        created.headers["location"], headers=api.key | {"If-Match": changed.headers["etag"]}
    )
    assert (
        _caf((await api.get("/v1/municipalities/si-094", params={"as_of": "2020-06-01"})).json())
        == before
    )


async def test_a_non_public_fact_does_not_show_through_a_derived_status(api):
    created = await api.post(
        "/v1/events", json=SELF_ASSESSMENT | {"public": False, "score": 70}, headers=api.key
    )
    assert created.status_code == 201
    day = {"as_of": "2022-01-01"}
    anonymous = _caf((await api.get("/v1/municipalities/si-094", params=day)).json())
    keyed = _caf((await api.get("/v1/municipalities/si-094", params=day, headers=api.key)).json())
    assert anonymous["status"] == "unknown" and anonymous["evidence"]["last_date"] != "2021-05-10"
    assert keyed["status"] == "self_assessed" and keyed["evidence"]["last_date"] == "2021-05-10"
    query = day | {"status": "self_assessed", "country": "SI"}
    assert (await api.get("/v1/municipalities", params=query)).json()["items"] == []
    assert [
        m["id"]
        for m in (await api.get("/v1/municipalities", params=query, headers=api.key)).json()[
            "items"
        ]
    ] == ["si-094"]
    stats = {"model": "CAF", "country": "SI", "from": "2021", "to": "2021", "as_of": "2022-01-01"}
    anonymous_stats = (await api.get("/v1/stats/adoption", params=stats)).json()["groups"][0]
    keyed_stats = (await api.get("/v1/stats/adoption", params=stats, headers=api.key)).json()[
        "groups"
    ][0]
    assert keyed_stats["holders_confirmed"] == anonymous_stats["holders_confirmed"] + 1
    compared = (await api.get("/v1/compare", params={"ids": "si-094,si-050", **day})).json()
    assert (
        next(m for m in compared["municipalities"][0]["models"] if m["model"] == "CAF")["status"]
        == "unknown"
    )
    progress = (await api.get("/v1/programmes/si-mju-caf-obcine/progress", params=day)).json()
    member = next(m for m in progress["members"] if m["municipality_id"] == "si-094")
    assert member["self_assessment"] is None and member["stage"] == "enrolled"


async def test_a_change_of_a_model_s_rules_derives_its_adoptions_again(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    await init_connection(conn)
    try:
        day = (
            "SELECT sp.status FROM adoption_status_span sp JOIN adoption a ON a.id = "
            "sp.adoption_id "
            "WHERE a.municipality_id = 'si-050' AND sp.valid_from <= '2006-06-01' AND "
            "'2006-06-01' < sp.valid_to"
        )
        # Koper's certificate of 2003: normally valid to 2005
        assert await conn.fetchval(day) == "unknown"
        async with conn.transaction():
            await conn.execute("UPDATE model SET cycle_months = 48 WHERE code = 'ISO9001'")
            assert await store.refresh_model(conn, "ISO9001") > 3
        assert await conn.fetchval(day) == "certified"
    finally:
        await conn.close()
