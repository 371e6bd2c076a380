"""CSV, wherever it is written (list answers, comparisons, the zip export), is safe to open in a
spreadsheet, and the export's CSV imports back to exactly what was exported."""

from __future__ import annotations

import csv
import io
import zipfile

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.csvout import csv_response
from registry.settings import Settings

FORMULAS = {
    "id": "formula-body",
    "name": '=HYPERLINK("https://example.org","x")',
    "short_name": "@SUM(A1:A9)",
    "country": "SI",
    "roles": ["certification_body"],
    "note": "-2+3 and '=quoted",
}


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


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_csv_answers_quote_cells_a_spreadsheet_would_run_as_formulas(admin):
    assert (await admin.post("/v1/bodies", json=FORMULAS)).status_code == 201
    for params, headers in [({"format": "csv"}, {}), ({}, {"Accept": "text/csv"})]:
        r = await admin.get("/v1/bodies", params=params | {"country": "SI"}, headers=headers)
        row = next(row for row in _rows(r.text) if row["id"] == "formula-body")
        assert row["name"] == "'" + FORMULAS["name"] and row["short_name"] == "'@SUM(A1:A9)"
        assert row["roles"] == "certification_body"  # text that is no formula stays as it is


def test_numbers_stay_numbers_and_every_formula_start_is_quoted():
    text = csv_response(
        [
            {
                "n": -1.5,
                "i": -3,
                "t": "\tcmd",
                "r": "\rcmd",
                "p": "+1",
                "m": "-1",
                "a": "@x",
                "e": "=x",
                "q": "'s-Hertogenbosch",
            }
        ],
        ["n", "i", "t", "r", "p", "m", "a", "e", "q"],
        "x.csv",
    ).content
    assert _rows(text) == [
        {
            "n": "-1.5",
            "i": "-3",
            "t": "'\tcmd",
            "r": "'\rcmd",
            "p": "'+1",
            "m": "'-1",
            "a": "'@x",
            "e": "'=x",
            "q": "'s-Hertogenbosch",
        }
    ]


async def test_the_zip_export_is_quoted_and_imports_back_to_what_was_exported(admin):
    assert (await admin.post("/v1/bodies", json=FORMULAS)).status_code == 201
    exported = await admin.get("/v1/export", params={"format": "zip"})
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        bodies = archive.read("body.csv")
    row = next(row for row in _rows(bodies.decode()) if row["body"] == "formula-body")
    assert row["body_name"] == "'" + FORMULAS["name"] and row["note"] == "'-2+3 and '=quoted"
    assert (
        await admin.delete("/v1/bodies/formula-body", headers={"If-Match": '"1"'})
    ).status_code == 200
    r = await admin.post("/v1/imports", content=bodies, headers={"Content-Type": "text/csv"})
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    body = (await admin.get("/v1/bodies/formula-body")).json()
    assert {k: body[k] for k in ("name", "short_name", "note")} == {
        k: FORMULAS[k] for k in ("name", "short_name", "note")
    }
    # a value that begins with a quote before a formula character keeps its own quote
    note = "'=kept"
    r = await admin.patch(
        "/v1/bodies/formula-body", json={"note": note}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    exported = await admin.get("/v1/export", params={"format": "zip"})
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        bodies = archive.read("body.csv")
    assert (
        await admin.delete("/v1/bodies/formula-body", headers={"If-Match": '"2"'})
    ).status_code == 200
    assert (
        await admin.post("/v1/imports", content=bodies, headers={"Content-Type": "text/csv"})
    ).status_code == 200
    assert (await admin.get("/v1/bodies/formula-body")).json()["note"] == note
