"""Request bodies that cannot be read, or hold text no record may hold, get a 400 problem naming the
field and the problem in plain words, under the registry's own title, on every route that reads a
body."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.settings import Settings

JSON = {"Content-Type": "application/json"}
NDJSON = {"Content-Type": "application/x-ndjson"}
WRITES = [
    ("POST", "/v1/events", JSON),
    ("PATCH", "/v1/events/1", JSON),
    ("POST", "/v1/sources", JSON),
    ("PUT", "/v1/programmes/si-mju-caf-obcine/members/si-050", JSON),
    ("POST", "/v1/imports", JSON),
    ("POST", "/v1/imports", NDJSON),
]

IMPORTED_EVENT = (
    b'{"record": "event", "municipality": "si-094", "model": "CAF", "type": "self_assessment", '
    b'"date": "2019", "evidence_level": "self_declared", "unsourced": true, '
)


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


def _invalid_body(r) -> dict:
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["title"] == "Invalid body"
    return problem


async def test_json_nested_a_thousand_levels_deep_is_a_400_on_every_route(admin):
    deep = b"[" * 1000 + b"]" * 1000  # 2 KB
    for method, path, headers in WRITES:
        problem = _invalid_body(await admin.request(method, path, content=deep, headers=headers))
        assert (
            problem["detail"].startswith("body: ") and "nested too deeply" in problem["detail"]
        ), path


@pytest.mark.parametrize("levels", [100, 900, 1000, 50_000])
async def test_deep_json_inside_a_field_is_refused_at_any_depth(admin, levels):
    note = b"[" * levels + b"]" * levels
    for method, path, headers in WRITES:
        row = (IMPORTED_EVENT if path == "/v1/imports" else b"{") + b'"note": ' + note + b"}"
        body = (
            row + b"\n"
            if headers is NDJSON
            else b"[" + row + b"]"
            if path == "/v1/imports"
            else row
        )
        r = await admin.request(method, path, content=body, headers=headers)
        assert (
            r.status_code in (400, 422) and r.headers["content-type"] == "application/problem+json"
        ), (path, r.text)
        assert "note" in r.text or "nested too deeply" in r.text


async def test_decoder_messages_are_details_in_plain_words_under_the_registrys_titles(admin):
    surrogate = _invalid_body(
        await admin.post("/v1/events", content=b'{"note": "\\ud800"}', headers=JSON)
    )
    assert (
        surrogate["invalid_params"][0]["name"] == "note" and "surrogate pair" in surrogate["detail"]
    )
    imported = _invalid_body(
        await admin.post("/v1/imports", content=b'[{"note": "\\ud800"}]', headers=JSON)
    )
    assert imported["invalid_params"][0]["name"] == "[0].note"
    line = _invalid_body(
        await admin.post("/v1/imports", content=b'{}\n{"quote": "\\udc00"}\n', headers=NDJSON)
    )
    assert line["detail"].startswith("quote: line 2: \\udc00 is half of a UTF-16 surrogate pair")
    malformed = _invalid_body(await admin.post("/v1/events", content=b"{not json", headers=JSON))
    assert malformed["detail"] == "body: not valid JSON at byte 1: object keys must be strings"
    truncated = _invalid_body(
        await admin.post("/v1/sources", content=b'{"title": "x"', headers=JSON)
    )
    assert truncated["detail"] == "body: the JSON ends before it is complete"
    unknown = _invalid_body(
        await admin.post(
            "/v1/sources", json={"id": "x", "title": "x", "language": "en", "colour": "blue"}
        )
    )
    assert unknown["invalid_params"] == [{"name": "colour", "reason": "unknown field"}]
    # parameters keep their own title
    r = await admin.get("/v1/municipalities", params={"limit": 0})
    assert r.status_code == 400 and r.json()["title"] == "Invalid parameter"


EVENT = {
    "municipality": "si-094",
    "model": "CAF",
    "type": "self_assessment",
    "date": "2019",
    "evidence_level": "self_declared",
    "unsourced": True,
}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/events", EVENT | {"note": "rang the bell\x07"}, "note"),
        ("/v1/events", EVENT | {"quote": "NUL\x00 in a quote"}, "quote"),
        ("/v1/events", EVENT | {"certificate_number": "Q\t12"}, "certificate_number"),
        (
            "/v1/sources",
            {"id": "cc", "title": "Two\nlines", "language": "en", "url": "https://example.org"},
            "title",
        ),
        ("/v1/bodies", {"id": "cc", "name": "Next line\u0085", "country": "SI"}, "name"),
        (
            "/v1/municipalities",
            {
                "country": "LI",
                "kind": "municipality",
                "name_local": "Vaduz",
                "name_variants": ["Vaduz", "Va\u009bduz"],
            },
            "name_variants[1]",
        ),
    ],
)
async def test_control_characters_are_refused_naming_the_field(admin, path, body, field):
    problem = _invalid_body(await admin.post(path, json=body))
    assert (
        problem["invalid_params"][0]["name"] == field and "control character" in problem["detail"]
    )


async def test_tab_and_newline_are_kept_in_notes_and_quotes_and_refused_elsewhere(admin):
    created = await admin.post(
        "/v1/events", json=EVENT | {"note": "first line\n\tsecond", "quote": "a\nb"}
    )
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    assert (await admin.get(location)).json()["note"] == "first line\n\tsecond"
    patched = await admin.patch(location, json={"note": "\x1b[31mred"})
    assert _invalid_body(patched)["invalid_params"][0]["name"] == "note"
    rows = (
        "record,municipality,model,type,date,evidence_level,unsourced,note\n"
        'event,si-094,CAF,self_assessment,2020,self_declared,true,"bell\x07"\n'
    )
    r = await admin.post("/v1/imports", content=rows.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 422 and r.json()["report"]["errors"][0]["field"] == "note", r.text
