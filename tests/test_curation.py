"""Curation: keys and scopes, validated writes, If-Match, the change feed, imports and the export
round trip.

Each test works on its own seeded clone (scratch_url); facts written here are marked unsourced or
cite the seed documents, and the municipalities created are in Liechtenstein, which has no roster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.db import with_database
from registry.migrations import migrate
from registry.seed import seed_all
from registry.settings import SEEDS_DIR, Settings
from tests import ROOT

EVENT = {
    "municipality": "si-094",
    "model": "CAF",
    "type": "self_assessment",
    "date": "2019",
    "evidence_level": "self_declared",
    "unsourced": True,
}


@pytest.fixture
async def env(scratch_url):
    """A client on a fresh clone and keys: admin, an SI editor, an SI+LI editor and a reader."""
    conn = await asyncpg.connect(scratch_url)
    keys = {
        "admin": await create_key(conn, "admin", "admin", []),
        "si": await create_key(conn, "mju-si", "editor", ["SI"]),
        "li": await create_key(conn, "li-office", "editor", ["LI", "SI"]),
        "reader": await create_key(conn, "research", "reader", []),
    }
    await conn.close()
    app = create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=3))
    async with AsyncTestClient(app) as client:
        client.keys = {k: {"Authorization": f"Bearer {v}"} for k, v in keys.items()}
        client.url = scratch_url
        yield client


async def count(url: str, table: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(
            {
                "event": "SELECT count(*) FROM event",
                "change": "SELECT count(*) FROM change",
                "award": "SELECT count(*) FROM award",
                "member": "SELECT count(*) FROM programme_member",
            }[table]
        )
    finally:
        await conn.close()


# ---------------------------------------------------------------- keys and scopes


async def test_writes_without_a_key_get_401(env):
    r = await env.post("/v1/events", json=EVENT)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = await env.post("/v1/events", json=EVENT, headers={"Authorization": "Bearer mqr_wrong"})
    assert r.status_code == 401 and "unknown or revoked" in r.json()["detail"]


async def test_an_editor_is_confined_to_its_countries_and_a_reader_cannot_write(env):
    polish = EVENT | {"municipality": "pl-1261011"}
    r = await env.post("/v1/events", json=polish, headers=env.keys["si"])
    assert r.status_code == 403 and "PL" in r.json()["detail"]
    r = await env.post("/v1/events", json=EVENT, headers=env.keys["reader"])
    assert r.status_code == 403
    r = await env.post("/v1/events", json=EVENT, headers=env.keys["si"])
    assert r.status_code == 201
    krakow_event = (await env.get("/v1/municipalities/pl-1261011")).json()["adoptions"][0][
        "events"
    ][0]["id"]
    r = await env.patch(
        f"/v1/events/{krakow_event}",
        json={"note": "x"},
        headers=env.keys["si"] | {"If-Match": '"1"'},
    )
    assert r.status_code == 403


async def test_a_membership_needs_the_programme_s_country_and_the_municipality_s(env):
    """A Polish editor may not put Kraków into the Slovenian ministry's CAF cohort, directly or by
    import."""
    conn = await asyncpg.connect(env.url)
    polish = {"Authorization": f"Bearer {await create_key(conn, 'pl-office', 'editor', ['PL'])}"}
    await conn.close()
    member = {"joined": "2021", "unsourced": True}
    r = await env.put(
        "/v1/programmes/si-mju-caf-obcine/members/pl-1261011", json=member, headers=polish
    )
    assert r.status_code == 403 and "si-mju-caf-obcine" in r.json()["detail"]
    r = await env.put(
        "/v1/programmes/si-mju-caf-obcine/members/pl-1261011", json=member, headers=env.keys["si"]
    )
    assert r.status_code == 403 and "pl-1261011" in r.json()["detail"]
    rows = (
        "record,municipality,programme,joined,unsourced\n"
        "programme_member,pl-1261011,si-mju-caf-obcine,2021,true\n"
    )
    r = await env.post(
        "/v1/imports", content=rows.encode(), headers=polish | {"Content-Type": "text/csv"}
    )
    assert r.status_code == 403
    r = await env.delete("/v1/programmes/si-mju-caf-obcine/members/si-094", headers=polish)
    assert r.status_code == 403
    assert await count(env.url, "member") == 6
    r = await env.put(
        "/v1/programmes/si-mju-caf-obcine/members/pl-1261011",
        json=member,
        headers=env.keys["admin"],
    )
    assert r.status_code == 200
    conn = await asyncpg.connect(env.url)
    tag = await conn.fetchval("SELECT version FROM programme WHERE id = 'si-mju-caf-obcine'")
    await conn.close()
    r = await env.delete(
        "/v1/programmes/si-mju-caf-obcine", headers=env.keys["si"] | {"If-Match": f'"{tag}"'}
    )
    assert r.status_code == 403 and "PL" in r.json()["detail"]


async def test_every_write_and_import_row_stays_inside_the_key_s_countries(env):
    """The same class of hole, checked on each write route and each import row type: a Polish editor
    changing Slovenian records gets 403 and nothing is written."""
    conn = await asyncpg.connect(env.url)
    polish = {"Authorization": f"Bearer {await create_key(conn, 'pl-office', 'editor', ['PL'])}"}
    koper_event = await conn.fetchval(
        "SELECT e.id FROM event e JOIN adoption a ON a.id = e.adoption_id "
        "WHERE a.municipality_id = 'si-050' LIMIT 1"
    )
    koper_adoption = await conn.fetchval(
        "SELECT id FROM adoption WHERE municipality_id = 'si-050' LIMIT 1"
    )
    await conn.close()
    one = {"If-Match": '"1"'}
    attempts = [
        ("post", "/v1/events", EVENT, {}),
        ("patch", f"/v1/events/{koper_event}", {"note": "x"}, one),
        ("delete", f"/v1/events/{koper_event}", None, one),
        (
            "post",
            "/v1/awards",
            {
                "municipality": "si-050",
                "scheme": "PNJ",
                "year": 2020,
                "level": "winner",
                "unsourced": True,
            },
            {},
        ),
        ("post", "/v1/adoptions", {"municipality": "si-050", "model": "ISO14001"}, {}),
        ("patch", f"/v1/adoptions/{koper_adoption}", {"note": "x"}, one),
        (
            "post",
            "/v1/programmes",
            {"id": "x-cohort", "name": "X", "model": "CAF", "country": "SI"},
            {},
        ),
        ("patch", "/v1/programmes/si-mju-caf-obcine", {"name": "x"}, one),
        ("post", "/v1/bodies", {"id": "x-body", "name": "X", "country": "SI"}, {}),
        ("patch", "/v1/bodies/mju-si", {"name": "x"}, one),
        ("patch", "/v1/municipalities/si-050", {"note": "x"}, one),
    ]
    changes = await count(env.url, "change")
    for method, path, body, headers in attempts:
        kwargs = {"json": body} if body is not None else {}
        r = await getattr(env, method)(path, headers=polish | headers, **kwargs)
        assert r.status_code == 403, (method, path, r.status_code, r.text)
    header = (
        "record,municipality,country,model,type,date,evidence_level,unsourced,scheme,year,level,programme,"
        "programme_name,body,body_name\n"
    )
    for row in [
        "event,si-050,,CAF,self_assessment,2019,self_declared,true,,,,,,,",
        "award,si-050,,,,,,true,PNJ,2020,winner,,,,",
        "adoption,si-050,,ISO14001,,,,,,,,,,,",
        "programme,,SI,CAF,,,,,,,,x-cohort,X,,",
        "programme_member,si-050,,,,2021,,true,,,,si-mju-caf-obcine,,,",
        "body,,SI,,,,,,,,,,,x-body,X",
    ]:
        r = await env.post(
            "/v1/imports",
            content=(header + row + "\n").encode(),
            headers=polish | {"Content-Type": "text/csv"},
        )
        assert r.status_code == 403, (row, r.text)
    assert await count(env.url, "change") == changes


async def test_keys_cli_shows_the_key_once_and_revokes_it(env):
    environment = {**os.environ, "DATABASE_URL": env.url}

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "registry", "keys", *a],
            capture_output=True,
            text=True,
            env=environment,
            cwd=ROOT,
            timeout=120,
        )

    created = run("create", "--name", "gov-pl", "--role", "editor", "--country", "PL")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("mqr_") and "only time" in created.stderr
    listed = run("list")
    assert "gov-pl\teditor\tPL" in listed.stdout and secret not in listed.stdout
    conn = await asyncpg.connect(env.url)
    # only a hash
    assert await conn.fetchval("SELECT count(*) FROM api_key WHERE secret_hash = $1", secret) == 0
    await conn.close()
    headers = {"Authorization": f"Bearer {secret}"}
    r = await env.post("/v1/events", json=EVENT | {"municipality": "pl-1261011"}, headers=headers)
    assert r.status_code == 201
    assert run("revoke", "--name", "gov-pl").returncode == 0
    r = await env.post(
        "/v1/events", json=EVENT | {"municipality": "pl-1261011", "date": "2020"}, headers=headers
    )
    assert r.status_code == 401
    assert run("create", "--name", "bad", "--role", "editor").returncode == 2


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"date": "2019-05-01", "date_precision": "year"}, 422, "date_precision"),
        ({"date": "2019-13"}, 422, "date"),
        ({"model": "ISO9001", "type": "certification", "edition": "2031"}, 422, "edition"),
        ({"unsourced": False}, 422, "source_id"),
        ({"source_id": "no-such-source"}, 422, "source_id"),
        ({"body": "no-such-body"}, 422, "body"),
        ({"municipality": "xx-404"}, 422, "municipality"),
        ({"model": "ISO0000"}, 422, "model"),
        ({"type": "party"}, 400, "type"),
        ({"colour": "blue"}, 400, "colour"),
        ({"major_nonconformities": -1}, 400, "major_nonconformities"),
    ],
)
async def test_invalid_events_are_refused_naming_the_field(env, change, status, field):
    before = await count(env.url, "event")
    r = await env.post("/v1/events", json=EVENT | change, headers=env.keys["admin"])
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.json()["detail"]
    assert await count(env.url, "event") == before


async def test_a_surveillance_after_its_certification_is_accepted(env):
    cert = {
        "municipality": "si-094",
        "model": "ISO9001",
        "type": "certification",
        "date": "2019-03-01",
        "edition": "2015",
        "evidence_level": "third_party_certificate",
        "unsourced": True,
    }
    assert (await env.post("/v1/events", json=cert, headers=env.keys["si"])).status_code == 201
    r = await env.post(
        "/v1/events",
        json=cert | {"type": "surveillance", "date": "2020-02"},
        headers=env.keys["si"],
    )
    assert r.status_code == 201
    profile = (await env.get("/v1/municipalities/si-094", params={"as_of": "2020-06-01"})).json()
    iso = next(a for a in profile["adoptions"] if a["model"] == "ISO9001")
    assert iso["status"] == "certified" and iso["last_audit"] == "2020-02"  # a month stays a month


# ---------------------------------------------------------------- concurrency


async def test_if_match_guards_updates_and_if_none_match_gives_304(env):
    created = await env.post("/v1/events", json=EVENT, headers=env.keys["si"])
    assert created.headers["etag"] == '"1"'
    location = created.headers["location"]
    read = await env.get(location)
    assert read.headers["etag"] == '"1"'
    assert (await env.get(location, headers={"If-None-Match": '"1"'})).status_code == 304
    first = await env.patch(
        location, json={"note": "first"}, headers=env.keys["si"] | {"If-Match": '"1"'}
    )
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    stale = await env.patch(
        location, json={"note": "second"}, headers=env.keys["si"] | {"If-Match": '"1"'}
    )
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    assert (await env.get(location)).json()["note"] == "first"
    profile = await env.get("/v1/municipalities/si-094", params={"as_of": "2024-01-01"})
    tag = profile.headers["etag"]
    again = await env.get(
        "/v1/municipalities/si-094", params={"as_of": "2024-01-01"}, headers={"If-None-Match": tag}
    )
    assert again.status_code == 304
    await env.patch(location, json={"note": "third"}, headers=env.keys["si"] | {"If-Match": '"2"'})
    changed = await env.get(
        "/v1/municipalities/si-094", params={"as_of": "2024-01-01"}, headers={"If-None-Match": tag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    stale_municipality = await env.patch(
        "/v1/municipalities/si-094", json={"note": "x"}, headers=env.keys["si"] | {"If-Match": tag}
    )
    assert stale_municipality.status_code == 412


async def test_changes_need_a_strong_if_match_and_an_empty_patch_changes_nothing(env):
    created = await env.post("/v1/events", json=EVENT, headers=env.keys["si"])
    location = created.headers["location"]
    missing = await env.patch(location, json={"note": "x"}, headers=env.keys["si"])
    assert missing.status_code == 428 and '"1"' in missing.json()["detail"]
    assert (await env.delete(location, headers=env.keys["si"])).status_code == 428
    weak = await env.patch(
        location, json={"note": "x"}, headers=env.keys["si"] | {"If-Match": 'W/"1"'}
    )
    assert weak.status_code == 412 and "weak" in weak.json()["detail"]
    changes = await count(env.url, "change")
    empty = await env.patch(location, json={}, headers=env.keys["si"] | {"If-Match": '"1"'})
    same = await env.patch(
        location, json={"date": "2019"}, headers=env.keys["si"] | {"If-Match": '"1"'}
    )
    assert empty.status_code == same.status_code == 200
    assert (
        empty.json()["change_id"] is None
        and same.json()["version"] == 1
        and empty.headers["etag"] == '"1"'
    )
    assert await count(env.url, "change") == changes
    gone = await env.delete(location, headers=env.keys["si"] | {"If-Match": '"1"'})
    assert gone.status_code == 200
    assert (
        await env.patch(location, json={"note": "x"}, headers=env.keys["si"] | {"If-Match": '"1"'})
    ).status_code == 412
    assert (
        await env.patch(location, json={"note": "x"}, headers=env.keys["si"])
    ).status_code == 404


async def test_an_event_keeps_what_its_source_says_about_its_dates(env):
    seen = EVENT | {
        "model": "ISO9001",
        "type": "certificate_observed",
        "date": "2019-05-02",
        "date_kind": "observed",
        "valid_until": "2023",
        "evidence_level": "scheme_specific_attestation",
    }
    r = await env.post("/v1/events", json=seen, headers=env.keys["si"])
    assert r.status_code == 201, r.text
    assert {k: r.json()["record"][k] for k in ("type", "date_kind", "valid_until")} == {
        "type": "certificate_observed",
        "date_kind": "observed",
        "valid_until": "2023",
    }
    r = await env.post("/v1/events", json=seen | {"valid_until": "2023-13"}, headers=env.keys["si"])
    assert r.status_code == 422 and "valid_until" in r.json()["detail"]


async def test_a_new_date_brings_its_own_precision(env):
    created = (await env.post("/v1/events", json=EVENT, headers=env.keys["si"])).json()
    r = await env.patch(
        f"/v1/events/{created['id']}",
        json={"date": "2020-05-04"},
        headers=env.keys["si"] | {"If-Match": '"1"'},
    )
    assert r.status_code == 200 and r.json()["record"]["date_precision"] == "day"


# ---------------------------------------------------------------- audit trail


async def test_the_change_feed_shows_each_write_once_with_before_and_after(env):
    # after the seed's changes
    start = (await env.get("/v1/changes", params={"limit": 1000})).json()["resume"]
    created = (await env.post("/v1/events", json=EVENT, headers=env.keys["si"])).json()
    await env.patch(
        f"/v1/events/{created['id']}",
        json={"note": "checked"},
        headers=env.keys["si"] | {"If-Match": '"1"'},
    )
    await env.delete(f"/v1/events/{created['id']}", headers=env.keys["si"] | {"If-Match": '"2"'})
    feed = (await env.get("/v1/changes", params={"cursor": start})).json()
    assert [(c["action"], c["entity"], c["entity_id"], c["key_name"]) for c in feed["items"]] == [
        ("create", "event", created["id"], "mju-si"),
        ("update", "event", created["id"], "mju-si"),
        ("delete", "event", created["id"], "mju-si"),
    ]
    create, update, delete = feed["items"]
    assert create["before"] is None and create["after"]["date"] == "2019"
    assert update["before"]["note"] is None and update["after"]["note"] == "checked"
    assert delete["before"]["note"] == "checked" and delete["after"] is None
    assert feed["next"] is None
    later = (await env.get("/v1/changes", params={"cursor": feed["resume"]})).json()
    assert later["items"] == []
    history = (await env.get("/v1/municipalities/si-094/history")).json()
    assert [c["action"] for c in history["items"]][-3:] == ["create", "update", "delete"]


async def test_non_public_facts_are_shown_only_to_key_holders(env):
    private = EVENT | {"public": False, "score": 61.5, "note": "unpublished score"}
    created = (await env.post("/v1/events", json=private, headers=env.keys["si"])).json()
    anonymous = (await env.get("/v1/municipalities/si-094")).json()
    assert all(e["id"] != int(created["id"]) for a in anonymous["adoptions"] for e in a["events"])
    assert (await env.get(f"/v1/events/{created['id']}")).status_code == 404
    reader = (await env.get("/v1/municipalities/si-094", headers=env.keys["reader"])).json()
    scored = [e for a in reader["adoptions"] for e in a["events"] if e["id"] == int(created["id"])]
    assert scored and scored[0]["score"] == 61.5
    feed = (await env.get("/v1/changes", params={"limit": 1000})).json()["items"]
    mine = next(c for c in feed if c["entity"] == "event" and c["entity_id"] == created["id"])
    assert mine["after"] is None
    keyed = (
        await env.get("/v1/changes", params={"limit": 1000}, headers=env.keys["reader"])
    ).json()["items"]
    assert keyed[-1]["after"]["score"] == 61.5


# ---------------------------------------------------------------- municipalities, sources,
# programmes


async def test_curated_municipalities_only_where_no_roster_exists(env):
    body = {
        "country": "LI",
        "kind": "municipality",
        "name_local": "Synthetic Gemeinde",
        "population": 1200,
        "identifiers": {"wikidata": "Q0"},
    }
    r = await env.post("/v1/municipalities", json=body, headers=env.keys["li"])
    assert r.status_code == 201 and r.json()["id"] == "li-synthetic-gemeinde"
    assert (await env.get("/v1/municipalities/by/wikidata/Q0")).json()[
        "id"
    ] == "li-synthetic-gemeinde"
    r = await env.post(
        "/v1/municipalities", json=body | {"country": "SI"}, headers=env.keys["admin"]
    )
    assert r.status_code == 409
    koper = {"If-Match": (await env.get("/v1/municipalities/si-050")).headers["etag"]}
    r = await env.patch(
        "/v1/municipalities/si-050", json={"population": 1}, headers=env.keys["si"] | koper
    )
    assert r.status_code == 422 and "population" in r.json()["detail"]
    r = await env.patch(
        "/v1/municipalities/si-050",
        json={"name_variants": ["Capodistria", "Koper-Capodistria"]},
        headers=env.keys["si"] | koper,
    )
    assert r.status_code == 200
    assert (await env.get("/v1/municipalities", params={"q": "koper-capodistria"})).json()["items"][
        0
    ]["id"] == "si-050"
    koper = {"If-Match": r.headers["etag"]}
    assert (
        await env.delete("/v1/municipalities/si-050", headers=env.keys["admin"] | koper)
    ).status_code == 409
    assert (
        await env.delete(
            "/v1/municipalities/li-synthetic-gemeinde", headers=env.keys["li"] | {"If-Match": '"1"'}
        )
    ).status_code == 200


async def test_sources_bodies_programmes_and_members(env):
    source = {
        "id": "example-src",
        "url": "https://example.org/doc",
        "title": "A document",
        "language": "en",
    }
    assert (await env.post("/v1/sources", json=source, headers=env.keys["si"])).status_code == 201
    assert (await env.post("/v1/sources", json=source, headers=env.keys["si"])).status_code == 409
    assert (
        await env.post(
            "/v1/sources", json=source | {"id": "x-2", "url": "ftp://x"}, headers=env.keys["si"]
        )
    ).status_code == 400
    cited = EVENT | {"unsourced": False, "source_id": "example-src", "quote": "…"}
    assert (await env.post("/v1/events", json=cited, headers=env.keys["si"])).status_code == 201
    assert (
        await env.delete("/v1/sources/example-src", headers=env.keys["si"] | {"If-Match": '"1"'})
    ).status_code == 409
    body = {
        "id": "si-cb",
        "name": "Synthetic certification body",
        "country": "SI",
        "roles": ["certification_body"],
    }
    assert (await env.post("/v1/bodies", json=body, headers=env.keys["si"])).status_code == 201
    assert (
        await env.post(
            "/v1/bodies", json=body | {"id": "pl-cb", "country": "PL"}, headers=env.keys["si"]
        )
    ).status_code == 403
    assert (await env.get("/v1/bodies/si-cb")).json()["roles"] == ["certification_body"]
    programme = {
        "id": "si-test-cohort",
        "name": "Test cohort",
        "model": "CAF",
        "country": "SI",
        "owner": "mju-si",
    }
    assert (
        await env.post("/v1/programmes", json=programme, headers=env.keys["si"])
    ).status_code == 201
    member = {"joined": "2021", "unsourced": True}
    first = await env.put(
        "/v1/programmes/si-test-cohort/members/si-050", json=member, headers=env.keys["si"]
    )
    again = await env.put(
        "/v1/programmes/si-test-cohort/members/si-050", json=member, headers=env.keys["si"]
    )
    assert (
        first.status_code == 200
        and first.json()["change_id"] > 0
        and again.json()["change_id"] is None
    )
    assert (await env.get("/v1/programmes/si-test-cohort")).json()["members"][0][
        "municipality_id"
    ] == "si-050"


# ---------------------------------------------------------------- imports


def _csv(*rows: str) -> bytes:
    header = (
        "record,municipality,country,municipality_name,model,type,date,edition,evidence_level,"
        "unsourced,body"
    )
    return ("\n".join([header, *rows]) + "\n").encode()


async def test_the_example_import_changes_nothing_on_the_seed_data(env):
    body = (SEEDS_DIR / "examples" / "import-example.csv").read_bytes()
    r = await env.post(
        "/v1/imports", content=body, headers=env.keys["admin"] | {"Content-Type": "text/csv"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["unchanged"] == 5 and r.json()["created"] == 0


async def test_dry_run_reports_and_writes_nothing(env):
    body = _csv(
        "event,si-094,,,CAF,self_assessment,2020,,self_declared,true,",
        "event,,SI,Žalec,CAF,self_assessment,2021,,self_declared,true,",
    )
    before = (await count(env.url, "event"), await count(env.url, "change"))
    r = await env.post(
        "/v1/imports",
        params={"dry_run": "true"},
        content=body,
        headers=env.keys["si"] | {"Content-Type": "text/csv"},
    )
    assert r.status_code == 200 and r.json()["created"] == 2 and r.json()["applied"] is False
    assert (await count(env.url, "event"), await count(env.url, "change")) == before


async def test_a_failing_row_rolls_back_the_whole_import_and_names_closest_matches(env):
    body = _csv(
        "event,si-094,,,CAF,self_assessment,2020,,self_declared,true,",
        "event,,SI,Trzicc,CAF,self_assessment,2021,,self_declared,true,",
        "event,si-094,,,ISO9001,certification,2019,,third_party_certificate,true,TUV Rheinland",
    )
    before = await count(env.url, "event")
    r = await env.post(
        "/v1/imports", content=body, headers=env.keys["si"] | {"Content-Type": "text/csv"}
    )
    assert r.status_code == 422
    errors = r.json()["report"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "municipality_name"), (3, "body")]
    assert errors[0]["closest"][0].startswith(
        "si-131 Tržič (municipality, SI042 Gorenjska, population"
    )
    assert "tuv-rheinland-polska" in errors[1]["closest"][0]
    assert await count(env.url, "event") == before


async def test_imports_respect_country_scopes(env):
    body = _csv(
        "event,si-094,,,CAF,self_assessment,2020,,self_declared,true,",
        "event,pl-1261011,,,CAF,self_assessment,2020,,self_declared,true,",
    )
    before = await count(env.url, "event")
    r = await env.post(
        "/v1/imports", content=body, headers=env.keys["si"] | {"Content-Type": "text/csv"}
    )
    assert r.status_code == 403 and r.json()["rows"][0]["row"] == 2
    assert await count(env.url, "event") == before
    assert (
        await env.post("/v1/imports", content=body, headers={"Content-Type": "text/csv"})
    ).status_code == 401


async def test_importing_the_same_file_twice_changes_nothing_the_second_time(env):
    rows = [
        {
            "record": "source",
            "source_url": "https://example.org/review",
            "source_title": "A review",
            "source_language": "en",
            "source": "review-2026",
        },
        {
            "record": "event",
            "municipality": "iso3166_2:SI-094",
            "model": "ISO 9001",
            "type": "certification",
            "date": "2019-03-01",
            "edition": "2015",
            "evidence_level": "third_party_certificate",
            "source": "review-2026",
            "quote": "certified",
        },
        {
            "record": "award",
            "municipality": "si-094",
            "scheme": "PNJ",
            "year": 2020,
            "level": "nomination",
            "unsourced": True,
        },
        {
            "record": "programme_member",
            "programme": "si-mju-caf-obcine",
            "municipality": "si-050",
            "joined": "2020",
            "unsourced": True,
        },
    ]
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    headers = env.keys["si"] | {"Content-Type": "application/x-ndjson"}
    first = await env.post("/v1/imports", content=body, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["created"] == 4
    changes = await count(env.url, "change")
    second = await env.post("/v1/imports", content=body, headers=headers)
    assert second.json()["created"] == 0 and second.json()["unchanged"] == 4
    assert await count(env.url, "change") == changes


async def test_imported_events_are_checked_like_single_writes(env):
    # a surveillance audit before any certification on record is accepted: it attests a certificate
    # of unknown start
    rows = [
        {
            "record": "event",
            "municipality": "si-094",
            "model": "ISO9001",
            "type": "surveillance",
            "date": "2019-05-01",
            "evidence_level": "third_party_certificate",
            "unsourced": True,
        },
        {
            "record": "event",
            "municipality": "si-094",
            "model": "ISO9001",
            "type": "certification",
            "date": "2019-03-01",
            "evidence_level": "third_party_certificate",
            "unsourced": True,
        },
        {
            "record": "event",
            "municipality": "si-094",
            "model": "ISO9001",
            "type": "surveillance",
            "date": "2020-03-01",
            "evidence_level": "third_party_certificate",
            "unsourced": True,
        },
        {
            "record": "event",
            "municipality": "si-094",
            "model": "ISO9001",
            "type": "surveillance",
            "date": "2020-03",
            "evidence_level": "third_party_certificate",
            "unsourced": True,
            "date_precision": "day",
        },
    ]
    headers = env.keys["si"] | {"Content-Type": "application/json"}
    r = await env.post(
        "/v1/imports",
        params={"dry_run": "true"},
        content=json.dumps(rows).encode(),
        headers=headers,
    )
    errors = r.json()["report"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(4, "date_precision")]
    r = await env.post("/v1/imports", content=json.dumps(rows[:3]).encode(), headers=headers)
    assert r.status_code == 200 and r.json()["created"] == 3, r.text


async def test_a_row_repeating_an_earlier_row_is_unchanged_and_every_created_event_is_audited(env):
    rows = [
        {
            "record": "event",
            "municipality": "si-094",
            "model": "CAF",
            "type": "self_assessment",
            "date": f"{year}-06-01",
            "evidence_level": "self_declared",
            "unsourced": True,
            "score": 50.5,
        }
        for year in (2016, 2018, 2016)
    ]
    r = await env.post(
        "/v1/imports",
        content=json.dumps(rows).encode(),
        headers=env.keys["si"] | {"Content-Type": "application/json"},
    )
    report = r.json()
    assert r.status_code == 200 and report["created"] == 2 and report["unchanged"] == 1, r.text
    first, _, third = report["results"]
    assert third["status"] == "unchanged" and third["id"] == first["id"]
    conn = await asyncpg.connect(env.url)
    try:
        audited = await conn.fetch(
            "SELECT entity_id, key_name, import_id, after FROM change "
            "WHERE entity = 'event' AND import_id = $1 ORDER BY id",
            report["import_id"],
        )
    finally:
        await conn.close()
    assert [a["entity_id"] for a in audited] == [first["id"], report["results"][1]["id"]]
    assert {a["key_name"] for a in audited} == {"mju-si"}
    shown = (await env.get(f"/v1/events/{first['id']}", headers=env.keys["si"])).json()
    assert json.loads(audited[0]["after"]) == {
        k: v for k, v in shown.items() if not k.endswith(("_label", "_display"))
    }
    # the municipality's status follows the imported assessments at once
    profile = (await env.get("/v1/municipalities/si-094", params={"as_of": "2018-07-01"})).json()
    caf = next(a for a in profile["adoptions"] if a["model"] == "CAF")
    assert caf["status"] == "self_assessed"


async def test_when_the_database_refuses_the_bulk_insert_rows_are_replayed_one_by_one(
    env, monkeypatch
):
    from registry.curation import bulk

    async def refused(*args, **kwargs):
        raise asyncpg.DataError("value out of range")

    monkeypatch.setattr(bulk, "_write", refused)
    # rebuilt from its values
    rows = [
        EVENT | {"record": "event", "date": "2015-04-01", "score": 61.5},
        # kept as read
        EVENT | {"record": "event", "date": "2016", "body": "TÜV Rheinland Polska Sp. z o.o."},
    ]
    r = await env.post(
        "/v1/imports",
        content=json.dumps(rows).encode(),
        headers=env.keys["si"] | {"Content-Type": "application/json"},
    )
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    events = {
        e["date"]: e
        for a in (await env.get("/v1/municipalities/si-094")).json()["adoptions"]
        for e in a["events"]
    }
    assert (
        events["2015-04-01"]["score"] == 61.5
        and events["2016"]["body"]["id"] == "tuv-rheinland-polska"
    )


async def test_an_unknown_municipality_in_any_row_is_reported_not_a_crash(env):
    rows = [
        {
            "record": "award",
            "municipality": "si-999",
            "scheme": "PNJ",
            "year": 2020,
            "level": "nomination",
            "unsourced": True,
        },
        {
            "record": "event",
            "municipality": "teryt:0000000",
            "model": "CAF",
            "type": "self_assessment",
            "date": "2020",
            "evidence_level": "self_declared",
            "unsourced": True,
        },
    ]
    r = await env.post(
        "/v1/imports",
        content=json.dumps(rows).encode(),
        headers=env.keys["admin"] | {"Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    errors = r.json()["report"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(1, "municipality"), (2, "municipality")]
    assert "si-999" in errors[0]["reason"] and "teryt:0000000" in errors[1]["reason"]


async def test_import_of_a_malformed_file_is_a_400(env):
    r = await env.post(
        "/v1/imports",
        content=b"{not json",
        headers=env.keys["si"] | {"Content-Type": "application/json"},
    )
    assert r.status_code == 400 and "body" in r.json()["detail"]
    r = await env.post(
        "/v1/imports", content=b"x", headers=env.keys["si"] | {"Content-Type": "image/png"}
    )
    assert r.status_code == 400 and "Content-Type" in r.json()["detail"]


# ---------------------------------------------------------------- export round trip

_FACTS = {
    "event": """SELECT a.municipality_id, a.model_code, a.scope, e.type, e.date_from, e.date_to,
                e.date_precision, e.edition_code, e.body_id, e.certificate_number, e.valid_until,
                e.major_nonconformities, e.minor_nonconformities, e.evidence_level, e.score,
                e.public, e.note, e.source_id, e.quote, e.unsourced
                FROM event e JOIN adoption a ON a.id = e.adoption_id""",
    "award": """SELECT municipality_id, scheme_code, year, edition, category, level, date_from,
                date_to, date_precision, body_id, public, note, source_id, quote, unsourced
                FROM award""",
    "member": "SELECT programme_id, municipality_id, joined_from, joined_to, joined_precision, "
    "source_id, quote "
    "FROM programme_member",
    "programme": "SELECT id, name, owner_body_id, model_code, country_code, started_from, "
    "started_to, "
    "started_precision, note, source_id, quote FROM programme",
    "source": "SELECT id, url, document, title, publisher, language, published_on, "
    "published_precision, seen_on, "
    "note FROM source",
    "adoption": "SELECT municipality_id, model_code, scope, note FROM adoption",
    "municipality": "SELECT id, country_code, kind, name_local, name_latin, population FROM "
    "municipality "
    "WHERE curated",
}


async def _facts(url: str) -> dict[str, set]:
    conn = await asyncpg.connect(url)
    try:
        return {name: {tuple(r) for r in await conn.fetch(sql)} for name, sql in _FACTS.items()}
    finally:
        await conn.close()


async def test_export_imported_into_an_empty_registry_reproduces_the_data(env, server_url):
    # a few curated records on top of the seed facts, one of them non-public
    await env.post(
        "/v1/municipalities",
        json={"country": "LI", "kind": "municipality", "name_local": "Syn Li"},
        headers=env.keys["li"],
    )
    await env.post(
        "/v1/events",
        json=EVENT | {"municipality": "li-syn-li", "public": False, "score": 40},
        headers=env.keys["li"],
    )
    exported = await env.get("/v1/export", headers=env.keys["admin"])
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in exported.text.splitlines()]
    assert {line["record"] for line in lines} >= {
        "source",
        "event",
        "award",
        "programme_member",
        "municipality",
    }
    public_only = (await env.get("/v1/export")).text
    assert '"score": 40' not in public_only and '"score": 40' in exported.text

    empty = await asyncpg.connect(server_url)
    await empty.execute("DROP DATABASE IF EXISTS registry_roundtrip WITH (FORCE)")
    await empty.execute("CREATE DATABASE registry_roundtrip")
    await empty.close()
    target = with_database(server_url, "registry_roundtrip")
    conn = await asyncpg.connect(target)
    await migrate(conn)
    await seed_all(conn, facts=False)
    key = await create_key(conn, "restore", "admin", [])
    await conn.close()
    assert (await _facts(target))["event"] == set()
    async with AsyncTestClient(
        create_app(Settings(database_url=target, pool_min=1, pool_max=2))
    ) as client:
        r = await client.post(
            "/v1/imports",
            content=exported.content,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == 200, r.text[:2000]
    assert await _facts(target) == await _facts(env.url)
    zipped = await env.get("/v1/export", params={"format": "zip"}, headers=env.keys["admin"])
    assert zipped.headers["content-type"] == "application/zip" and zipped.content[:2] == b"PK"


# ---------------------------------------------------------------- limits


async def test_bodies_over_the_limit_get_413_and_floods_get_429(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "limits", "admin", [])
    await conn.close()
    app = create_app(
        Settings(
            database_url=scratch_url,
            pool_min=1,
            pool_max=2,
            max_body_bytes=1000,
            rate_limit_per_minute=5,
        )
    )
    async with AsyncTestClient(app) as client:
        r = await client.post(
            "/v1/imports",
            content=b"x" * 5000,
            headers={"Content-Type": "text/csv", "Authorization": f"Bearer {key}"},
        )
        assert r.status_code == 413 and r.headers["content-type"].startswith(
            "application/problem+json"
        )
        statuses = [(await client.get("/v1/countries/SI")).status_code for _ in range(8)]
        assert statuses.count(429) >= 3
        limited = await client.get("/v1/countries/SI")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
        # another caller (a key) has its own allowance
        other = await client.get(
            "/v1/countries/SI", headers={"Authorization": "Bearer mqr_someone"}
        )
        assert other.status_code != 429


async def test_cached_answers_follow_every_write(env):
    params = {
        "model": "CAF",
        "country": "SI",
        "by": "year",
        "from": "2018",
        "to": "2020",
        "as_of": "2020-06-30",
    }
    before = (await env.get("/v1/stats/adoption", params=params)).json()["groups"]
    again = (await env.get("/v1/stats/adoption", params=params)).json()["groups"]
    assert again == before  # served from the cache
    await env.post(
        "/v1/events",
        json=EVENT | {"municipality": "si-050", "date": "2019-03-01"},
        headers=env.keys["si"],
    )
    after = {
        g["group"]: g for g in (await env.get("/v1/stats/adoption", params=params)).json()["groups"]
    }
    assert after["2019"]["first_adoptions"] == before[1]["first_adoptions"] + 1


async def test_an_adoption_without_a_scope_reads_null_everywhere(env):
    """The whole administration's adoption has no scope: null in the record, the write's answer,
    the history and the profile alike; a body may say so with null or "" (the same adoption)."""
    admin = env.keys["admin"]
    r = await env.post(
        "/v1/adoptions",
        headers=admin,
        json={"municipality": "si-050", "model": "ISO14001", "scope": None, "note": "n"},
    )
    assert r.status_code == 201, r.text
    written = r.json()
    assert written["record"]["scope"] is None
    record = (await env.get(f"/v1/adoptions/{written['id']}")).json()
    assert record["scope"] is None
    again = await env.post(
        "/v1/adoptions",
        headers=admin,
        json={"municipality": "si-050", "model": "ISO14001", "scope": ""},
    )
    assert again.status_code == 409  # "" and null name the same adoption
    patched = await env.patch(
        f"/v1/adoptions/{written['id']}", headers=admin | {"If-Match": '"1"'}, json={"note": "m"}
    )
    assert patched.status_code == 200 and patched.json()["record"]["scope"] is None
    history = (await env.get("/v1/municipalities/si-050/history")).json()["items"]
    mine = [c for c in history if c["entity"] == "adoption" and c["entity_id"] == written["id"]]
    assert [(c["before"] or {}).get("scope", "absent") for c in mine] == ["absent", None]
    assert all(c["after"]["scope"] is None for c in mine)
    koper = (await env.get("/v1/municipalities/si-050")).json()
    assert all(a["scope"] is None for a in koper["adoptions"])
    scoped = await env.post(
        "/v1/adoptions",
        headers=admin,
        json={"municipality": "si-050", "model": "ISO14001", "scope": "Water utility"},
    )
    assert (await env.get(f"/v1/adoptions/{scoped.json()['id']}")).json()[
        "scope"
    ] == "Water utility"
