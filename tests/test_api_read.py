"""The read API on the seed data, as a ministry official or researcher would use it."""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest

from registry import db as db_module
from registry.db import queries
from registry.places import repo as places_repo
from registry.status.store import audience
from tests import synthetic

PROBLEM = "application/problem+json"


async def test_health(client):
    r = await client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["schema_version"] >= 2


async def test_krakow_profile_carries_its_whole_history_with_sources(client):
    r = await client.get("/v1/municipalities/pl-1261011", params={"as_of": "2016-06-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["name_local"] == "Kraków" and body["country"] == "PL"
    adoptions = {a["model"]: a for a in body["adoptions"]}
    assert set(adoptions) == {"ISO9001", "ISO27001", "CAF"}

    iso9001 = adoptions["ISO9001"]
    types = [(e["type"], e["date"]) for e in iso9001["events"]]
    assert types[0] == ("decision", "2005-10-07")
    assert ("stage2_audit", "2006-07-31/2006-08-02") in types
    audit = next(e for e in iso9001["events"] if e["type"] == "stage2_audit")
    assert audit["body"]["name"] == "TÜV Rheinland Polska Sp. z o.o."
    assert audit["date_precision"] == "range"
    assert ("recertification", "2015-03-12/2015-03-13") in types
    assert ("surveillance", "2017-03") in types
    # in mid-2016 the certificate of the March 2015 recertification is in force, continuously since
    # 2006
    assert iso9001["status"] == "certified"
    assert iso9001["status_since"] == "2006-09-11"
    assert iso9001["edition"] == "2008"

    iso27001 = adoptions["ISO27001"]
    assert any(
        e["type"] == "certification" and e["date"] == "2012-04-20" for e in iso27001["events"]
    )

    caf = adoptions["CAF"]
    assessments = [e["date"] for e in caf["events"] if e["type"] == "self_assessment"]
    assert assessments == ["2011", "2012", "2014", "2017-12"]
    label = next(e for e in caf["events"] if e["type"] == "label_granted")
    assert label["date"] == "2015-09-23" and label["evidence_level"] == "third_party_label"
    # the label of 2015-09-23 is valid for 24 months; self-assessments since 2011 lie within two
    # years of each other
    assert caf["status"] == "label_valid" and caf["status_since"] == "2015-09-23"
    assert caf["basis"] == "inferred" and caf["valid_until"] == "2017-09-22"
    before = (
        await client.get("/v1/municipalities/pl-1261011", params={"as_of": "2015-06-01"})
    ).json()
    practice = next(a for a in before["adoptions"] if a["model"] == "CAF")
    assert (practice["status"], practice["status_since"]) == ("self_assessed", "2011")

    # the four of the City Office's history; the evidence sample's undated PNJ laureate is the
    # 2014 award
    assert sorted((a["scheme"], a["year"] or 0) for a in body["awards"]) == [
        ("MNJ", 2006),
        ("PNJ", 2014),
        ("QI", 2010),
        ("QI", 2013),
    ]

    # every fact names its source and quotes it; every cited source is described
    source_ids = {s["id"] for s in body["sources"]}
    facts = [e for a in body["adoptions"] for e in a["events"]] + body["awards"]
    for fact in facts:
        assert fact["source_id"] in source_ids
        assert fact["quote"]
    krakow_source = next(s for s in body["sources"] if s["id"] == "pl-krakow-iso-historia")
    assert (
        krakow_source["language"] == "pl" and krakow_source["publisher"] == "Urząd Miasta Krakowa"
    )


async def test_quotes_are_verbatim_from_the_stored_documents(client):
    from registry.settings import SEEDS_DIR

    body = (await client.get("/v1/municipalities/pl-1261011")).json()
    documents = {
        s["id"]: (SEEDS_DIR.parent / s["document"]).read_text(encoding="utf-8")
        for s in body["sources"]
        if s["document"] and s["document"].startswith("seeds/documents")
    }
    facts = [e for a in body["adoptions"] for e in a["events"]] + body["awards"]
    stored = [f for f in facts if f["source_id"] in documents]
    # the facts of the stored documents (the sample's pages are cited by address)
    assert len(stored) >= 30
    for fact in stored:
        assert fact["quote"] in documents[fact["source_id"]]


async def test_status_today_follows_the_evidence(client):
    body = (
        await client.get("/v1/municipalities/pl-1261011", params={"as_of": "2026-11-21"})
    ).json()
    iso9001 = next(a for a in body["adoptions"] if a["model"] == "ISO9001")
    # the record ends with the March 2017 surveillance, inside the cycle the March 2015
    # recertification began (it renewed the 2012 certificate before its expiry, so it runs from
    # 2015-09-11): nothing is known after that certificate's normal end, which is not to say it
    # expired
    assert (iso9001["status"], iso9001["basis"], iso9001["status_reason"]) == (
        "unknown",
        "unknown",
        "no_evidence_since",
    )
    assert (
        iso9001["evidence"]["last_date"] == "2017-03"
        and iso9001["evidence"]["last_status"] == "certified"
    )
    assert iso9001["evidence"]["certificate_ended"] == "2018-09-10" and iso9001["edition"] == "2008"
    koper = (await client.get("/v1/municipalities/si-050")).json()["adoptions"][0]
    # certified "since 2003" (a year, kept a year); its undated recertification names the 2015
    # edition
    assert (
        koper["status"],
        koper["first_adopted"],
        koper["edition"],
        koper["edition_inferred"],
    ) == ("unknown", "2003", "2015", False)
    # and a certification audit of unstated kind in 2022 (the evidence sample) is the last evidence
    assert (
        koper["evidence"]["last_date"] == "2022"
        and koper["evidence"]["certificate_ended"] == "2023"
    )
    assert koper["evidence"]["undated_events"] == 1
    bor = (await client.get("/v1/municipalities/rs-70327", params={"as_of": "2024-01-01"})).json()
    assert (bor["adoptions"][0]["status"], bor["adoptions"][0]["status_since"]) == (
        "self_declared",
        "2023-07-17",
    )


async def test_slovenian_caf_cohort_by_model_filter_and_programme(client):
    r = await client.get("/v1/municipalities", params={"country": "SI", "model": "CAF"})
    assert r.status_code == 200
    # Razkrižje: the sample
    names = sorted(m["name_local"] for m in r.json()["items"] if m["id"] != "si-176")
    assert names == ["Dobrovnik", "Komen", "Postojna", "Slovenske Konjice", "Tržič", "Žalec"]

    programmes = (await client.get("/v1/programmes")).json()["items"]
    cohort = next(p for p in programmes if p["model"] == "CAF" and p["country"] == "SI")
    assert cohort["member_count"] == 6
    detail = (
        await client.get(f"/v1/programmes/{cohort['id']}", params={"as_of": "2019-06-01"})
    ).json()
    assert sorted(m["name_local"] for m in detail["members"]) == names
    assert {m["joined"] for m in detail["members"]} == {"2018"}
    assert {m["status"] for m in detail["members"]} == {"in_implementation"}
    assert detail["owner"]["id"] == "mju-si"
    assert cohort["owner"] == detail["owner"] == {"id": "mju-si", "name": detail["owner"]["name"]}
    assert detail["owner"]["name"]


async def test_an_expiring_certificate_names_its_body_as_the_profile_does(client):
    expiring = (
        await client.get(
            "/v1/certificates/expiring", params={"within": "1y", "as_of": "2017-06-01"}
        )
    ).json()
    krakow = next(c for c in expiring["items"] if c["municipality_id"] == "pl-1261011")
    profile = (
        await client.get("/v1/municipalities/pl-1261011", params={"as_of": "2017-06-01"})
    ).json()
    bodies = [
        e["body"]
        for a in profile["adoptions"]
        if a["model"] == krakow["model"]
        for e in a["events"]
        if e["body"]
    ]
    assert krakow["body"] == bodies[-1] == {"id": "pcbc", "name": krakow["body"]["name"]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("trzic", "si-131"),
        ("TRŽIČ", "si-131"),
        ("бор", "rs-70327"),
        ("krakow", "pl-1261011"),
        ("goygol", "az-gyg"),
    ],
)
async def test_name_search_ignores_case_diacritics_and_script(client, q, expected):
    r = await client.get("/v1/municipalities", params={"q": q, "limit": 500})
    assert r.status_code == 200
    assert expected in [m["id"] for m in r.json()["items"]]


async def test_exact_name_matches_come_first_and_paging_keeps_the_order(client):
    r = await client.get("/v1/municipalities", params={"q": "бор"})
    ids = [m["id"] for m in r.json()["items"]]
    assert ids[0] == "rs-70327" and len(ids) > 1  # Bor, then names containing "bor" (Międzybórz, …)
    walked, cursor = [], None
    while True:
        params = {"q": "bor", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/municipalities", params=params)).json()
        walked += [m["id"] for m in page["items"]]
        if not (cursor := page["next"]):
            break
    full = (await client.get("/v1/municipalities", params={"q": "bor", "limit": 500})).json()[
        "items"
    ]
    assert walked == [m["id"] for m in full] and len(set(walked)) == len(walked)


async def test_status_filter_uses_as_of(client):
    r = await client.get(
        "/v1/municipalities",
        params={"model": "ISO9001", "status": "certified", "as_of": "2010-01-01"},
    )
    # and Katowice (the sample)
    assert [m["id"] for m in r.json()["items"]] == ["pl-1261011", "pl-2469011"]
    r = await client.get(
        "/v1/municipalities",
        params={"model": "ISO9001", "status": "certified", "as_of": "2004-06-01"},
    )
    # Katowice certified in 2002
    assert [m["id"] for m in r.json()["items"]] == ["pl-2469011", "si-050"]


async def test_cursor_paging_walks_every_slovenian_municipality_once(client):
    seen, cursor = [], None
    while True:
        params = {"country": "SI", "limit": 50} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/municipalities", params=params)).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == 212 == len(set(seen))
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    ("scheme", "value", "expected"),
    [
        ("iso3166_2", "SI-050", "si-050"),
        ("iso3166_2", "si-050", "si-050"),
        ("teryt", "1261011", "pl-1261011"),
        ("rzs", "70327", "rs-70327"),
        ("iso3166_2", "AZ-GYG", "az-gyg"),
        ("id", "PL-1261011", "pl-1261011"),
    ],
)
async def test_crosswalk_identifiers_resolve(client, scheme, value, expected):
    r = await client.get(f"/v1/municipalities/by/{scheme}/{value}")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == expected
    assert r.headers["content-location"] == f"/v1/municipalities/{expected}"


async def test_countries_and_models(client):
    si = (await client.get("/v1/countries/si")).json()
    assert si["municipality_count"] == 212 and si["name"] == "Slovenia"
    az = (await client.get("/v1/countries/AZ")).json()
    assert az["municipality_count"] == 77
    model = (await client.get("/v1/models/ISO9001")).json()
    editions = {e["code"]: e for e in model["editions"]}
    assert editions["2008"]["certificates_valid_until"] == "2018-09-15"
    assert editions["2026"]["status"] == "draft"
    assert model["rules"]["cycle_months"] == 36
    assert (await client.get("/v1/models/ISO 27001")).json()["code"] == "ISO27001"
    codes = {m["code"] for m in (await client.get("/v1/models")).json()["items"]}
    assert {
        "ISO9001",
        "ISO27001",
        "ISO18091",
        "ISO14001",
        "ISO37001",
        "ISO37120",
        "ISO45001",
        "CAF",
        "BFC-SEE",
        "PNJ",
        "MNJ",
        "QI",
    } <= codes
    bodies = (await client.get("/v1/bodies", params={"role": "certification_body"})).json()["items"]
    assert {"tuv-rheinland-polska", "pcbc", "bureau-veritas"} <= {b["id"] for b in bodies}


@pytest.mark.parametrize(
    ("lang", "country_name", "role"),
    [
        ("en", "Poland", "Certification body"),
        ("pl", "Polska", "Jednostka certyfikująca"),
    ],
)
async def test_one_body_is_labelled_as_the_list_labels_it(client, lang, country_name, role):
    listed = next(
        b
        for b in (await client.get("/v1/bodies", params={"lang": lang})).json()["items"]
        if b["id"] == "tuv-rheinland-polska"
    )
    r = await client.get("/v1/bodies/tuv-rheinland-polska", params={"lang": lang})
    body = r.json()
    assert body["country_name"] == listed["country_name"] == country_name
    assert body["roles_labels"] == listed["roles_labels"] == [role]
    assert (
        r.headers["etag"]
        and (
            await client.get(
                "/v1/bodies/tuv-rheinland-polska", headers={"If-None-Match": r.headers["etag"]}
            )
        ).status_code
        == 304
    )


async def test_source_lists_the_facts_it_proves(client):
    r = await client.get("/v1/sources/si-mju-caf-povabilo-obcinam")
    assert r.status_code == 200
    body = r.json()
    assert body["language"] == "sl"
    assert len(body["programme_members"]) == 6 and len(body["events"]) == 6


@pytest.mark.parametrize(
    ("path", "params", "status", "names"),
    [
        ("/v1/municipalities/xx-999", {}, 404, "xx-999"),
        ("/v1/municipalities", {"country": "XX"}, 400, "country"),
        ("/v1/municipalities", {"as_of": "2020-13-01"}, 400, "as_of"),
        ("/v1/municipalities", {"limit": "0"}, 400, "limit"),
        ("/v1/municipalities", {"limit": "501"}, 400, "limit"),
        ("/v1/municipalities", {"status": "valid"}, 400, "status"),
        ("/v1/municipalities", {"model": "ISO9999"}, 400, "model"),
        ("/v1/municipalities", {"country": "SI", "model": "ISO9999"}, 400, "model"),
        ("/v1/municipalities", {"region": "PL-99"}, 400, "region"),
        ("/v1/municipalities", {"cursor": "%%%"}, 400, "cursor"),
        # base64 of "hello": decodes, names nothing
        ("/v1/municipalities", {"cursor": "aGVsbG8"}, 400, "cursor"),
        ("/v1/municipalities/by/nuts/SI044", {}, 400, "scheme"),
        ("/v1/municipalities/by/teryt/0000000", {}, 404, "teryt:0000000"),
        ("/v1/countries/QQ", {}, 404, "QQ"),
        ("/v1/models/ISO1", {}, 404, "ISO1"),
        ("/v1/programmes/none", {}, 404, "none"),
        ("/v1/sources/none", {}, 404, "none"),
        ("/v1/nothing-here", {}, 404, "/v1/nothing-here"),
        ("/v1/municipalities/pl-%00", {}, 404, "pl-"),
        ("/v1/municipalities", {"q": "bor\x00"}, 400, "q"),
        ("/v1/models/%00", {}, 404, "model"),
        ("/v1/programmes/%01", {}, 404, "programme"),
    ],
)
async def test_errors_are_problem_json_naming_the_culprit(client, path, params, status, names):
    r = await client.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert problem["status"] == status and problem["title"]
    assert names in problem["detail"]


async def test_openapi_is_served(client):
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert (
        "/v1/municipalities/{municipality_id}" in paths and "/v1/programmes/{programme_id}" in paths
    )


@pytest.mark.parametrize(
    "path",
    [
        "/v1/countries",
        "/v1/models",
        "/v1/bodies",
        "/v1/programmes",
        "/v1/sources",
        "/v1/changes",
        "/v1/languages",
    ],
)
async def test_every_list_answers_csv(client, path):
    import csv
    import io

    r = await client.get(path, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    json_items = (await client.get(path)).json()["items"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(json_items)


async def test_municipality_list_as_csv_keeps_paging_in_a_header(client):
    import csv
    import io

    r = await client.get(
        "/v1/municipalities", params={"country": "SI", "limit": 100, "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 100 and rows[0]["id"] == "si-001" and r.headers["x-next-cursor"]


async def test_every_profile_converts_to_its_published_shape(scratch_url):
    """Every municipality with a history, seen anonymously and with a key: its profile row converts
    to `Municipality` (which refuses a missing or mistyped field) with one status per adoption."""
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        await db_module.init_connection(conn)
        ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT m.id FROM municipality m WHERE EXISTS (SELECT FROM adoption a WHERE "
                "a.municipality_id = m.id)"
                " OR EXISTS (SELECT FROM award aw WHERE aw.municipality_id = m.id) ORDER BY m.id "
                "LIMIT 300"
            )
        ]
        assert len(ids) >= 15
        for municipality_id in ids:
            for private in (False, True):
                profile = await places_repo.get_municipality(
                    conn, municipality_id, dt.date(2026, 1, 1), private, audience(private)
                )
                adoptions = await conn.fetchval(
                    "SELECT count(*) FROM adoption WHERE municipality_id = $1", municipality_id
                )
                assert len(profile.adoptions) == adoptions, municipality_id
    finally:
        await conn.close()


async def test_a_status_filter_finds_the_same_pages_by_status_as_by_probing_every_unit(scratch_url):
    """The list found by status (status runs) equals the list that probes every unit in id order:
    same items, same statuses, same pages, for every status, model, basis and scope, on several
    days."""
    from registry.places.repo import BASES, status_scope

    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        await db_module.init_connection(conn)
        statuses = [
            r["status"] for r in await conn.fetch("SELECT DISTINCT status FROM adoption_status_run")
        ]
        models = [
            None,
            *(
                r["model_code"]
                for r in await conn.fetch("SELECT DISTINCT model_code FROM adoption")
            ),
        ]
        assert len(statuses) >= 4 and len(models) >= 3
        compared = 0
        for day in (dt.date(2019, 6, 1), dt.date(2022, 3, 1), dt.date(2026, 1, 1)):
            for country in (None, "SI", "PL", "AD", "LI"):
                for model in models:
                    for status in statuses:
                        for bases in (BASES["confirmed"], BASES["evidenced"], BASES["any"]):
                            probed = await _all_pages(
                                conn,
                                queries.list_municipalities,
                                _list_arguments(country, model, status, day, bases),
                            )
                            low, high = status_scope(country)
                            found = await _all_pages(
                                conn,
                                queries.list_municipalities_by_status,
                                _by_status_arguments(low, high, model, status, day, bases),
                            )
                            assert found == probed, (day, country, model, status, bases)
                            compared += len(found)
        assert compared > 200
    finally:
        await conn.close()


def _list_arguments(country, model, status, day, bases):
    """The arguments of list_municipalities for one page, by its cursor and size."""
    return lambda after, size: (
        country,
        None,
        None,
        model,
        status,
        day,
        None,
        True,
        0,
        after,
        size,
        None,
        b"",
        bases,
        "k",
        "municipality",
    )


def _by_status_arguments(low, high, model, status, day, bases):
    """The arguments of list_municipalities_by_status for one page, by its cursor and size."""
    return lambda after, size: (
        low,
        high,
        after or "",
        model,
        status,
        day,
        None,
        None,
        True,
        size,
        "k",
        bases,
        "municipality",
    )


async def _all_pages(conn, statement, arguments, size=3):
    """Every item of a listing, walked page by page (size + 1 asks whether there is a next page)."""
    items, after = [], None
    while True:
        rows = await conn.fetch(statement, *arguments(after, size + 1))
        items += [tuple(r) for r in rows[:size]]
        if len(rows) <= size:
            return items
        after = rows[size - 1]["id"]
