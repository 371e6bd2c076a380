"""Seeds are initial data: a restart changes nothing a curator did, and a changed seed file is
applied as recorded changes that never overwrite a curator's edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import asyncpg
import httpx
import pytest

from registry.auth import create_key
from registry.db import init_connection
from registry.seed import seed_all
from registry.settings import SEEDS_DIR
from tests.live import serve


async def _ids(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        return {
            "koper_certification": await conn.fetchval(
                "SELECT e.id FROM event e JOIN adoption a ON a.id = e.adoption_id "
                "WHERE a.municipality_id = 'si-050' AND e.type = 'certification'"
            ),
            "krakow_surveillance": await conn.fetchval(
                "SELECT e.id FROM event e JOIN adoption a ON a.id = e.adoption_id WHERE "
                "a.municipality_id = "
                "'pl-1261011' AND e.type = 'surveillance' AND e.date_precision = 'month' ORDER BY "
                "e.date_from LIMIT 1"
            ),
            "award_2006": await conn.fetchval(
                "SELECT id FROM award WHERE year = 2006 AND municipality_id = 'pl-1261011'"
            ),
            "award_2010": await conn.fetchval(
                "SELECT id FROM award WHERE year = 2010 AND municipality_id = 'pl-1261011'"
            ),
        }
    finally:
        await conn.close()


@pytest.fixture
async def admin_key(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    secret = await create_key(conn, "curator", "admin", [])
    await conn.close()
    return {"Authorization": f"Bearer {secret}"}


async def test_a_restart_leaves_everything_as_the_curator_left_it(scratch_url, admin_key):
    ids = await _ids(scratch_url)
    with serve(scratch_url) as base, httpx.Client(base_url=base, headers=admin_key) as api:
        edit = api.patch(
            f"/v1/events/{ids['koper_certification']}",
            json={"note": "checked by a curator"},
            headers={
                "If-Match": api.get(f"/v1/events/{ids['koper_certification']}").headers["etag"]
            },
        )
        assert edit.status_code == 200, edit.text
        assert (
            api.delete(f"/v1/awards/{ids['award_2006']}", headers={"If-Match": '"1"'}).status_code
            == 200
        )
        assert api.delete("/v1/programmes/si-mju-caf-obcine/members/si-094").status_code == 200
        source = api.patch(
            "/v1/sources/si-koper-iso9001-recertification",
            json={"title": "Curated title"},
            headers={"If-Match": '"1"'},
        )
        assert source.status_code == 200, source.text
        profile = api.get("/v1/municipalities/si-050", params={"as_of": "2024-01-01"})
        feed = api.get("/v1/changes", params={"limit": 1000}).json()
    # as `make run` does
    with serve(scratch_url) as base, httpx.Client(base_url=base, headers=admin_key) as api:
        assert (
            api.get(f"/v1/events/{ids['koper_certification']}").json()["note"]
            == "checked by a curator"
        )
        assert api.get(f"/v1/awards/{ids['award_2006']}").status_code == 404
        members = api.get("/v1/programmes/si-mju-caf-obcine").json()["members"]
        assert "si-094" not in [m["municipality_id"] for m in members] and len(members) == 5
        assert (
            api.get("/v1/sources/si-koper-iso9001-recertification").json()["title"]
            == "Curated title"
        )
        again = api.get(
            "/v1/municipalities/si-050",
            params={"as_of": "2024-01-01"},
            headers={"If-None-Match": profile.headers["etag"]},
        )
        assert again.status_code == 304
        assert api.get("/v1/changes", params={"limit": 1000}).json()["items"] == feed["items"]


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy, ignore=shutil.ignore_patterns("europe"))
    return copy


def _edit(path: Path, change) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


async def test_a_changed_seed_file_applies_what_changed_and_keeps_curators_edits(
    scratch_url, seeds, admin_key
):
    ids = await _ids(scratch_url)
    conn = await asyncpg.connect(scratch_url)
    await init_connection(conn)
    try:
        # a curator corrects one seeded event and deletes one seeded award
        await conn.execute(
            "UPDATE event SET note = 'curator', version = version + 1 WHERE id = $1",
            ids["krakow_surveillance"],
        )
        await conn.execute("DELETE FROM award WHERE id = $1", ids["award_2010"])
        start = await conn.fetchval("SELECT max(id) FROM change")

        def change(doc: dict) -> None:
            events = doc["adoptions"][0]["events"]
            # untouched by curators: applied
            events[2]["note"] = "certified (seed corrected)"
            # the curator's stays
            next(e for e in events if e.get("date") == "2016-03")["note"] = "seed"
            # removed from the seed
            doc["awards"] = [a for a in doc["awards"] if a["year"] != 2013]
            # deleted by the curator
            next(a for a in doc["awards"] if a["year"] == 2010)["note"] = "seed"
            events.append({**events[-1], "date": "2018-03", "note": "a new seeded surveillance"})

        _edit(seeds / "facts" / "pl-krakow.json", change)
        counts = await seed_all(conn, seeds)
        assert (
            counts["event_updated"] == 1
            and counts["event_created"] == 1
            and counts["award_deleted"] == 1
        )
        assert counts["kept_as_curated"] == 2
        assert (
            await conn.fetchval("SELECT note FROM event WHERE id = $1", ids["krakow_surveillance"])
            == "curator"
        )
        assert not await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM award WHERE id = $1)", ids["award_2010"]
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM award WHERE year = 2013 AND municipality_id = 'pl-1261011'"
            )
            == 0
        )
        changes = await conn.fetch(
            "SELECT key_name, action, entity FROM change WHERE id > $1 ORDER BY id", start
        )
        assert sorted((c["action"], c["entity"]) for c in changes) == [
            ("create", "event"),
            ("delete", "award"),
            ("update", "event"),
        ]
        assert {c["key_name"] for c in changes} == {"seed"}
        assert await seed_all(conn, seeds) == {}  # applied once
    finally:
        await conn.close()


async def test_a_roster_change_keeps_a_curator_s_name_variants(scratch_url, seeds):
    conn = await asyncpg.connect(scratch_url)
    await init_connection(conn)
    try:
        await conn.execute(
            "UPDATE municipality SET name_variants = array_append(name_variants, 'Capo "
            "d''Istria') "
            "WHERE id = 'si-050'"
        )
        roster = seeds / "rosters" / "municipalities_si.csv"
        text = roster.read_text(encoding="utf-8")
        line = next(row for row in text.splitlines() if row.startswith("si-050,"))
        fields = line.split(",")
        fields[9] = str(int(fields[9]) + 1)  # a new population figure
        roster.write_text(text.replace(line, ",".join(fields)), encoding="utf-8")
        counts = await seed_all(conn, seeds)
        assert counts["municipality_updated"] == 1
        row = await conn.fetchrow(
            "SELECT population, name_variants FROM municipality WHERE id = 'si-050'"
        )
        assert row["population"] == int(fields[9]) and "Capo d'Istria" in row["name_variants"]
        change = await conn.fetchrow(
            "SELECT * FROM change WHERE entity = 'municipality' ORDER BY id DESC LIMIT 1"
        )
        assert change["key_name"] == "seed" and change["after"]["population"] == int(fields[9])
    finally:
        await conn.close()


async def test_a_changed_catalogue_keeps_what_curators_changed_in_it(scratch_url, seeds, admin_key):
    """Models, editions and levels are curator-writable: a seed change applies to those no curator
    changed since the seed wrote them, and leaves a curator's edit (of any field) as it is."""
    with serve(scratch_url) as base, httpx.Client(base_url=base, headers=admin_key) as api:
        version = api.get("/v1/models/PNJ").json()["version"]
        edit = api.patch(
            "/v1/models/PNJ",
            json={"description": "A curator's description."},
            headers={"If-Match": f'"{version}"'},
        )
        assert edit.status_code == 200, edit.text
        level = api.patch(
            "/v1/models/ISO37120/levels/platinum",
            json={"aliases": ["WCCD Platinum"]},
            headers={"If-Match": '"1"'},
        )
        assert level.status_code == 200, level.text

    def change(doc: dict) -> None:
        models = {m["code"]: m for m in doc["models"]}
        # the curator's stays
        models["PNJ"]["name"] = "Polska Nagroda Jakości (seed)"
        models["ISO9001"]["description"] = "Corrected in the seed."  # applied
        next(lv for lv in models["ISO37120"]["levels"] if lv["code"] == "platinum")["label"] = (
            "Platinum (seed)"
        )
        next(e for e in models["ISO9001"]["editions"] if e["code"] == "2015")["note"] = (
            "Corrected in the seed."
        )
        models["CAF"]["levels"].append(
            {"code": "seed-level", "label": "A level the seed adds", "rank": 4}
        )

    _edit(seeds / "catalogue" / "models.json", change)
    conn = await asyncpg.connect(scratch_url)
    await init_connection(conn)
    try:
        start = await conn.fetchval("SELECT max(id) FROM change")
        counts = await seed_all(conn, seeds)
        assert (
            counts["model_updated"] == 1
            and counts["edition_updated"] == 1
            and counts["level_created"] == 1
        )
        assert counts["kept_as_curated"] == 2
        pnj = await conn.fetchrow("SELECT name, description FROM model WHERE code = 'PNJ'")
        assert (
            pnj["name"] == "Polska Nagroda Jakości"
            and pnj["description"] == "A curator's description."
        )
        assert (
            await conn.fetchval("SELECT description FROM model WHERE code = 'ISO9001'")
            == "Corrected in the seed."
        )
        assert (
            await conn.fetchval(
                "SELECT note FROM edition WHERE model_code = 'ISO9001' AND code = '2015'"
            )
            == "Corrected in the seed."
        )
        platinum = await conn.fetchrow(
            "SELECT label, aliases FROM model_level "
            "WHERE model_code = 'ISO37120' AND code = 'platinum'"
        )
        assert platinum["label"] == "Platinum" and platinum["aliases"] == ["WCCD Platinum"]
        changes = await conn.fetch(
            "SELECT key_name, action, entity FROM change WHERE id > $1 ORDER BY id", start
        )
        assert sorted((c["action"], c["entity"]) for c in changes) == [
            ("create", "level"),
            ("update", "edition"),
            ("update", "model"),
        ]
        assert {c["key_name"] for c in changes} == {"seed"}
        assert await seed_all(conn, seeds) == {}
    finally:
        await conn.close()


async def test_a_catalogue_an_older_loader_wrote_is_brought_to_the_seed_unless_curated(scratch_url):
    """A database seeded before the catalogue had ledger entries (make run at an older version):
    its models are the seed's to update, so the evidence that names schemes by their aliases
    imports; a model a curator ever wrote keeps the curator's values."""
    conn = await asyncpg.connect(scratch_url)
    await init_connection(conn)
    try:
        await conn.execute(
            "DELETE FROM seed_record WHERE entity IN ('model', 'edition', 'level');"
            "DELETE FROM seed_state;"
            "UPDATE model SET aliases = '{}' WHERE code IN ('PNJ', 'QI');"
            "UPDATE model SET description = 'A curator''s words.' WHERE code = 'QI'"
        )
        await conn.execute(
            "INSERT INTO change (key_name, action, entity, entity_id) "
            "VALUES ('curator', 'update', 'model', 'QI')"
        )
        counts = await seed_all(conn)
        assert counts["model_updated"] >= 1
        pnj = await conn.fetchval("SELECT aliases FROM model WHERE code = 'PNJ'")
        assert "Polska Nagroda Jakości" in pnj and "AWARD_PL_PNJ" in pnj
        qi = await conn.fetchrow("SELECT aliases, description FROM model WHERE code = 'QI'")
        assert qi["aliases"] == [] and qi["description"] == "A curator's words."
        assert await seed_all(conn) == {}  # and nothing happens the next time
    finally:
        await conn.close()
