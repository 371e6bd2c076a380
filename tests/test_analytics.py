"""Comparison, peers, benchmark, rankings, adoption statistics, cohort progress and the audit cycle
on the synthetic fixture of tests/synthetic.py, against numbers worked out by hand (shown in the
comments)."""

from __future__ import annotations

import csv
import io
import math

import pytest


async def get(client, path, **params):
    r = await client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------- rankings


async def test_ranking_components_scores_and_competition_ties(fixture_client):
    body = await get(fixture_client, "/v1/rankings", country="AD", as_of="2022-06-30")
    assert body["method"]["version"] == "registry-ranking/2.0"
    by_id = {i["id"]: i for i in body["items"]}
    # ad-syn-1: ISO 9001 certified since 2019-03-01 and CAF self-assessed ('2021' counts from
    # 2021-12-31)
    one = by_id["ad-syn-1"]["components"]
    assert one["breadth"] == 2 and one["recognition"] == 1 and one["engagement"] == 1
    # 2019-03-01..2022-06-30 inclusive
    assert one["continuity"] == pytest.approx(1218 / 365.25, abs=0.01)
    # default weights .4/.3/.15/.15: ad-syn-1 is the maximum of every component -> 100; ad-syn-2 and
    # -3: breadth 1/2, continuity 1 -> 100 * (.4 * .5 + .3) = 50; ad-syn-4 holds nothing yet -> 0
    assert [(i["id"], i["rank"], i["score"]) for i in body["items"]] == [
        ("ad-syn-1", 1, 100.0),
        ("ad-syn-2", 2, 50.0),
        ("ad-syn-3", 2, 50.0),
        ("ad-syn-4", 4, 0.0),
    ]
    # ad-syn-5 has no record
    assert body["ranked_total"] == 4 and body["unranked_without_records"] == 1


async def test_custom_weights_change_the_order_and_unnamed_components_weigh_nothing(fixture_client):
    body = await get(
        fixture_client, "/v1/rankings", country="AD", as_of="2022-06-30", weights="continuity:1"
    )
    assert [(i["id"], i["rank"], i["score"]) for i in body["items"]] == [
        ("ad-syn-1", 1, 100.0),
        ("ad-syn-2", 1, 100.0),
        ("ad-syn-3", 1, 100.0),
        ("ad-syn-4", 4, 0.0),
    ]
    assert body["method"]["parameters"]["weights"] == {
        "breadth": 0.0,
        "continuity": 1.0,
        "recognition": 0.0,
        "engagement": 0.0,
    }
    body = await get(
        fixture_client,
        "/v1/rankings",
        country="AD",
        as_of="2022-06-30",
        weights="engagement:3,breadth:1",
    )
    # ad-syn-1: (3*1 + 1*1)/4 = 100; ad-syn-2/3: (0 + 1*0.5)/4 = 12.5
    assert [(i["id"], i["rank"], i["score"]) for i in body["items"]][:3] == [
        ("ad-syn-1", 1, 100.0),
        ("ad-syn-2", 2, 12.5),
        ("ad-syn-3", 2, 12.5),
    ]


async def test_ranking_pages_and_csv(fixture_client):
    first = await get(fixture_client, "/v1/rankings", country="AD", as_of="2022-06-30", limit=2)
    second = await get(
        fixture_client,
        "/v1/rankings",
        country="AD",
        as_of="2022-06-30",
        limit=2,
        cursor=first["next"],
    )
    assert [i["id"] for i in first["items"] + second["items"]] == [
        "ad-syn-1",
        "ad-syn-2",
        "ad-syn-3",
        "ad-syn-4",
    ]
    assert second["next"] is None
    r = await fixture_client.get(
        "/v1/rankings",
        params={"country": "AD", "as_of": "2022-06-30"},
        headers={"Accept": "text/csv"},
    )
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(row["rank"], row["id"]) for row in rows] == [
        ("1", "ad-syn-1"),
        ("2", "ad-syn-2"),
        ("2", "ad-syn-3"),
        ("4", "ad-syn-4"),
    ]
    assert rows[0]["method_version"] == "registry-ranking/2.0"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"weights": "breadth:-1"}, "weights"),
        ({"weights": "beauty:1"}, "weights"),
        ({"weights": "breadth:0"}, "weights"),
        ({"window_years": "0"}, "window_years"),
        ({"population_min": "10", "population_max": "5"}, "population_min"),
        ({"cursor": "eHl6"}, "cursor"),
        ({"country": "ZZ"}, "country"),
    ],
)
async def test_ranking_rejects_bad_parameters(fixture_client, params, name):
    r = await fixture_client.get("/v1/rankings", params=params)
    assert r.status_code == 400 and name in r.json()["detail"]


# ---------------------------------------------------------------- statistics


async def test_rates_over_a_complete_roster_by_year(fixture_client):
    body = await get(
        fixture_client,
        "/v1/stats/adoption",
        model="ISO9001",
        country="AD",
        by="year",
        **{"from": "2018", "to": "2022", "as_of": "2022-06-30"},
    )
    rows = {g["group"]: g for g in body["groups"]}
    assert list(rows) == ["2018", "2019", "2020", "2021", "2022"]
    assert [rows[y]["first_adoptions"] for y in rows] == [0, 3, 0, 0, 0]
    assert [rows[y]["cumulative_adopters"] for y in rows] == [0, 3, 3, 3, 3]
    assert [rows[y]["holders_confirmed"] for y in rows] == [0, 3, 3, 3, 3]
    assert [rows[y]["holders_possible"] for y in rows] == [0, 3, 3, 3, 3]
    assert (
        rows["2019"]["denominator"] == 5
        and rows["2019"]["holding_rate_low"] == rows["2019"]["holding_rate_high"] == 0.6
    )
    assert rows["2022"]["holding_on"] == "2022-06-30" and rows["2019"]["coverage"] == "complete"


async def test_without_a_full_roster_counts_stand_and_the_rate_is_unknown(fixture_client):
    body = await get(
        fixture_client,
        "/v1/stats/adoption",
        model="ISO9001",
        country="AD,LI",
        by="country",
        as_of="2022-06-30",
    )
    rows = {g["group"]: g for g in body["groups"]}
    assert rows["AD"]["holding_rate_low"] == 0.6 and rows["AD"]["denominator"] == 5
    li = rows["LI"]
    # li-syn-1 certified 2020-06-01 and watched in 2021: held (inferred); li-syn-2's 2008-edition
    # certificate ended 2018-09-15 and no later evidence is on record: it may hold one since, so it
    # counts only as possible
    assert li["denominator"] == 3 and li["cumulative_adopters"] == 2
    assert (li["holders_confirmed"], li["holders_possible"]) == (1, 2)
    assert (
        li["holding_rate_low"] is None
        and li["holding_rate_high"] is None
        and li["adopter_rate"] is None
    )
    assert li["coverage"] == "incomplete_roster" and li["incomplete_countries"] == ["LI"]


async def test_year_only_dates_count_once_the_year_is_over(fixture_client):
    mid = await get(
        fixture_client,
        "/v1/stats/adoption",
        model="CAF",
        country="AD",
        by="year",
        **{"from": "2021", "as_of": "2021-06-30"},
    )
    # ad-syn-1's '2021' self-assessment has not surely happened
    assert mid["groups"][0]["first_adoptions"] == 0
    late = await get(
        fixture_client,
        "/v1/stats/adoption",
        model="CAF",
        country="AD",
        by="year",
        **{"from": "2021", "as_of": "2023-12-31"},
    )
    rows = {g["group"]: g for g in late["groups"]}
    assert rows["2021"]["first_adoptions"] == 1 and rows["2021"]["holders_confirmed"] == 1
    assert rows["2023"]["first_adoptions"] == 1 and rows["2023"]["cumulative_adopters"] == 2


async def test_stats_csv_and_errors(fixture_client):
    r = await fixture_client.get(
        "/v1/stats/adoption",
        params={
            "model": "ISO9001",
            "country": "AD",
            "by": "kind",
            "as_of": "2022-06-30",
            "format": "csv",
        },
    )
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows == [
        {
            **rows[0],
            "group": "municipality",
            "denominator": "5",
            "holders_confirmed": "3",
            "holding_rate_low": "0.6",
        }
    ]
    for params, name in [
        ({}, "model"),
        ({"model": "CAF", "country": "A1"}, "country"),
        ({"model": "CAF", "from": "2020-02-30"}, "from"),
        ({"model": "CAF", "by": "decade"}, "by"),
        ({"model": "CAF", "from": "2024", "to": "2020"}, "from"),
    ]:
        r = await fixture_client.get("/v1/stats/adoption", params=params)
        assert r.status_code == 400 and name in r.json()["detail"], (params, r.text)


# ---------------------------------------------------------------- cohort progress


async def test_cohort_funnel_counts_stages_and_medians(fixture_client):
    body = await get(fixture_client, "/v1/programmes/syn-caf-cohort/progress", as_of="2023-06-30")
    funnel = {f["stage"]: f for f in body["funnel"]}
    assert [f["reached"] for f in body["funnel"]] == [3, 2, 1, 1, 1]
    assert funnel["enrolled"]["at_stage"] == ["ad-syn-2"]
    assert funnel["self_assessment"]["at_stage"] == ["ad-syn-4"]
    assert funnel["label"]["at_stage"] == ["ad-syn-1"]
    # ad-syn-1: 2020-01-01 -> 2021-01-01 = 366 days; ad-syn-4: 2022-01-01 -> 2023-05-10 = 494 days
    assert funnel["self_assessment"]["median_days_from_joining"] == 430
    assert funnel["improvement_plan"]["median_days_from_joining"] == 762  # 2020-01-01 -> 2022-02-01
    early = await get(fixture_client, "/v1/programmes/syn-caf-cohort/progress", as_of="2021-06-30")
    assert [f["reached"] for f in early["funnel"]] == [2, 0, 0, 0, 0]  # ad-syn-4 had not joined yet


# ---------------------------------------------------------------- audit cycle and compare


async def test_compare_says_what_the_evidence_shows_at_a_deadline_and_after_an_unreported_audit(
    fixture_client,
):
    day_before = await get(
        fixture_client, "/v1/compare", ids="li-syn-1,li-syn-2", as_of="2018-09-15"
    )
    assert [
        (m["models"][0]["status"], m["models"][0]["basis"]) for m in day_before["municipalities"]
    ] == [("unknown", "unknown"), ("certified", "inferred")]  # li-syn-1's first evidence is of 2020
    # li-syn-2's certificate of the 2008 edition ended on the edition's deadline; nothing later is
    # on record
    after = (await get(fixture_client, "/v1/compare", ids="li-syn-1,li-syn-2", as_of="2018-09-16"))[
        "municipalities"
    ][1]["models"][0]
    assert (after["status"], after["certificate_ended"], after["last_evidence_date"]) == (
        "unknown",
        "2018-09-15",
        "2018-01-09",
    )
    # li-syn-1: certified 2020-06-01, surveillance 2021-05-01; the next was due 2022-05-01 and none
    # is reported: overdue, but still certified within the certificate's normal validity (to
    # 2023-05-31), not lapsed
    on = await get(fixture_client, "/v1/compare", ids="li-syn-1,ad-syn-1", as_of="2022-11-01")
    li = on["municipalities"][0]["models"][0]
    assert (li["status"], li["basis"], li["status_reason"]) == (
        "certified",
        "inferred",
        "within_normal_validity",
    )
    assert (
        li["overdue"] is True
        and li["next_due"] == "2022-05-01"
        and li["valid_until"] == "2023-05-31"
    )
    assert on["models"] == ["CAF", "ISO9001"]
    ad = {m["model"]: m for m in on["municipalities"][1]["models"]}
    # 2019-03-01..2022-11-01
    assert ad["ISO9001"]["years_continuous"] == pytest.approx(round(1342 / 365.25, 1))
    assert [a["year"] for a in on["municipalities"][1]["awards"]] == [2021]


async def test_compare_csv_and_identifier_errors(fixture_client):
    r = await fixture_client.get(
        "/v1/compare",
        params={"ids": "ad-syn-1,id:ad-syn-2", "as_of": "2022-06-30"},
        headers={"Accept": "text/csv"},
    )
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(row["id"], row["model"], row["status"]) for row in rows] == [
        ("ad-syn-1", "CAF", "self_assessed"),
        ("ad-syn-1", "ISO9001", "certified"),
        ("ad-syn-2", "ISO9001", "certified"),
    ]
    for ids in [
        "ad-syn-1",
        "ad-syn-1,nowhere-1",
        ",".join(f"ad-syn-{i}" for i in range(21)),
        "ad-syn-1,ad-syn-1",
        "ad-syn-1,AD-SYN-1",
    ]:
        r = await fixture_client.get("/v1/compare", params={"ids": ids})
        assert r.status_code == 400 and "ids" in r.json()["detail"]
    r = await fixture_client.get("/v1/compare", params={"ids": "ad-syn-1,nowhere-1"})
    assert "nowhere-1" in r.json()["detail"] and "ad-syn-1" not in r.json()["detail"]
    mixed_case = await get(
        fixture_client, "/v1/compare", ids="AD-SYN-2,ad-syn-1", as_of="2022-06-30"
    )
    assert [m["id"] for m in mixed_case["municipalities"]] == ["ad-syn-2", "ad-syn-1"]


async def test_compare_answers_in_the_callers_language(fixture_client):
    """The comparison is labelled in the language asked for: statuses, models, dates and country
    names."""
    from registry import i18n

    params = {"ids": "ad-syn-1,li-syn-1", "as_of": "2022-06-30"}
    english = await get(fixture_client, "/v1/compare", **params)
    r = await fixture_client.get("/v1/compare", params={**params, "lang": "sl"})
    assert r.status_code == 200 and r.headers["content-language"] == "sl"
    slovenian, sl = r.json(), i18n.resolve("sl")
    assert (
        slovenian["as_of_display"]
        == i18n.display_date("2022-06-30", sl)
        != english["as_of_display"]
    )
    first = slovenian["municipalities"][0]
    assert first["country_name"] == i18n.country_name("AD", sl) == "Andora"
    for model in first["models"]:
        assert model["status_label"] == i18n.label("status", model["status"], sl)
        assert model["model_label"] == i18n.label("model", model["model"], sl)
        assert model["since_display"] == i18n.display_date(model["since"], sl)
    assert {m["status_label"] for m in first["models"]} != {
        m["status_label"] for m in english["municipalities"][0]["models"]
    }


async def test_years_held_rounds_as_postgresql_does(scratch_url):
    """years_continuous is written in Python from the rows: on every day count of a century it is
    what PostgreSQL's numeric round gives (half away from zero), not float rounding."""
    import datetime as dt

    import asyncpg

    from registry.analytics.compare import years_held

    conn = await asyncpg.connect(scratch_url)
    try:
        as_of = dt.date(2026, 11, 22)
        rows = await conn.fetch(
            "SELECT d, round(((d + 1) / 365.25)::numeric, 1)::float8 AS years "
            "FROM generate_series(-400, 40000) AS d"
        )
    finally:
        await conn.close()
    assert [years_held(as_of - dt.timedelta(days=r["d"]), as_of) for r in rows] == [
        r["years"] for r in rows
    ]


async def test_expiring_certificates_and_next_audit(fixture_client):
    body = await get(fixture_client, "/v1/certificates/expiring", within="120d", as_of="2018-06-01")
    assert body["until"] == "2018-09-29"
    item = next(i for i in body["items"] if i["municipality_id"] == "li-syn-2")
    assert (
        item["valid_until"] == "2018-09-15"
        and item["days_left"] == 106
        and item["edition"] == "2008"
    )
    none = await get(
        fixture_client, "/v1/certificates/expiring", within="30d", as_of="2018-06-01", country="LI"
    )
    assert none["items"] == []
    r = await fixture_client.get("/v1/certificates/expiring", params={"within": "soon"})
    assert r.status_code == 400 and "within" in r.json()["detail"]


# ---------------------------------------------------------------- peers and benchmark


async def test_band_peers_share_country_kind_and_population_band(fixture_client):
    body = await get(fixture_client, "/v1/municipalities/ad-syn-2/peers", by="band")
    # 2,000-5,000; ad-syn-1 (1,000) is in another band
    assert [p["id"] for p in body["peers"]] == ["ad-syn-3"]
    assert body["peers"][0]["distance"] == pytest.approx(abs(math.log(3500 / 3000)), abs=1e-4)
    assert "population from 2,000" in body["method"]["description"]


async def test_knn_peers_explain_distance_and_report_missing_data(fixture_client):
    body = await get(fixture_client, "/v1/municipalities/li-syn-1/peers", by="knn", k=5)
    assert body["candidates"] == 2 and [p["id"] for p in body["peers"]] == ["li-syn-2"]
    assert body["without_data"] == [
        {"id": "li-syn-3", "name_local": "li-syn-3", "missing": ["population"]}
    ]
    peer = body["peers"][0]
    assert sum(peer["contributions"].values()) == pytest.approx(peer["distance"] ** 2, abs=1e-3)
    # no degurba in the fixture
    assert body["method"]["parameters"]["features"]["urbanisation"]["used"] is False
    custom = await get(
        fixture_client,
        "/v1/municipalities/ad-syn-1/peers",
        by="custom",
        ids="ad-syn-2,ad-syn-3,ad-syn-4",
    )
    distances = [p["distance"] for p in custom["peers"]]
    assert [p["id"] for p in custom["peers"]][0] == "ad-syn-2" and distances == sorted(distances)


async def test_knn_peers_scope_and_errors(fixture_client):
    # the whole registry as scope: units of other countries are candidates for a Liechtenstein one
    everywhere = await get(
        fixture_client, "/v1/municipalities/LI-SYN-1/peers", by="knn", k=3, scope="all"
    )
    assert everywhere["municipality_id"] == "li-syn-1" and everywhere["candidates"] > 100
    assert len(everywhere["peers"]) == 3 and any(p["country"] != "LI" for p in everywhere["peers"])
    assert everywhere["method"]["parameters"]["scope"] == "all"
    r = await fixture_client.get("/v1/municipalities/nowhere-1/peers")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert "nowhere-1" in r.json()["detail"]
    r = await fixture_client.get("/v1/municipalities/li-syn-1/peers", params={"ids": "ad-syn-1"})
    assert r.status_code == 400 and "ids" in r.json()["detail"]


async def test_benchmark_says_where_the_municipality_stands(fixture_client):
    body = await get(
        fixture_client,
        "/v1/municipalities/ad-syn-4/benchmark",
        by="custom",
        ids="ad-syn-1,ad-syn-2,ad-syn-3",
        as_of="2022-06-30",
    )
    iso = next(m for m in body["models"] if m["model"] == "ISO9001")
    assert iso["peers"] == 3 and iso["peers_holding"] == 3 and iso["peers_holding_share"] == 1.0
    assert (
        iso["target_holding"] is False and iso["holders_in_group"] == 3 and iso["group_size"] == 4
    )
    caf = await get(
        fixture_client,
        "/v1/municipalities/ad-syn-1/benchmark",
        by="custom",
        ids="ad-syn-2,ad-syn-3,ad-syn-4",
        as_of="2023-12-31",
    )
    caf = next(m for m in caf["models"] if m["model"] == "CAF")
    # ad-syn-1 began CAF in 2021; of its 3 peers one began in 2023 and two never did -> earlier than
    # all
    assert caf["adopted_earlier_than_share"] == 1.0 and caf["peers_adopted"] == 1
    assert "earlier than 100% of its peers" in caf["summary"]


@pytest.mark.parametrize(("lang", "bor"), [("sr", "Бор"), ("sr-Latn", "Bor")])
async def test_the_benchmark_names_its_peers_as_peers_does(client, lang, bor):
    params = {"by": "custom", "ids": "rs-70327,si-050", "as_of": "2024-01-01", "lang": lang}
    bench = await get(client, "/v1/municipalities/pl-1261011/benchmark", **params)
    peers = await get(client, "/v1/municipalities/pl-1261011/peers", **params)
    assert [(p["id"], p["name"]) for p in bench["peers"]] == [
        (p["id"], p["name"]) for p in peers["peers"]
    ]
    assert [p["id"] for p in bench["peers"]] == bench["peer_ids"]
    assert {p["name"] for p in bench["peers"]} == {bor, "Koper"}


async def test_undated_evidence_makes_the_rate_unknown_on_the_seed_data(client):
    body = await get(client, "/v1/stats/adoption", model="ISO9001", country="AZ,SI", by="country")
    rows = {g["group"]: g for g in body["groups"]}
    # Göygöl's ISO 9001 certificate has no date: Azerbaijan's rate cannot be given
    assert rows["AZ"]["undated_adopters"] == 1 and rows["AZ"]["coverage"] == "undated_evidence"
    assert rows["AZ"]["holding_rate_low"] is None and rows["AZ"]["denominator"] == 77
    assert rows["SI"]["coverage"] == "complete" and rows["SI"]["denominator"] == 212


@pytest.mark.parametrize(
    ("lang", "slovenia", "bor_district"),
    [
        ("en", "Slovenia", "Bor"),
        ("sl", "Slovenija", "Bor"),
        ("sr", "Словенија", "Борски округ"),
    ],
)
async def test_statistics_groups_are_named_in_the_reader_language(
    client, lang, slovenia, bor_district
):
    by_country = await get(
        client, "/v1/stats/adoption", model="ISO9001", country="AZ,SI", by="country", lang=lang
    )
    rows = {g["group"]: g for g in by_country["groups"]}
    assert rows["SI"]["country"] == "SI" and rows["SI"]["country_name"] == slovenia
    assert rows["SI"]["region"] is None
    by_region = await get(
        client,
        "/v1/stats/adoption",
        model="ISO9001",
        country="RS",
        by="region",
        lang=lang,
        as_of="2024-01-01",
    )
    bor = next(g for g in by_region["groups"] if g["group"] == "RS-14")
    assert bor["region"]["code"] == "RS-14" and bor_district in bor["region"]["label"]
    assert bor["country_name"] is None
    r = await client.get(
        "/v1/stats/adoption",
        params={
            "model": "ISO9001",
            "country": "AZ,SI",
            "by": "country",
            "lang": lang,
            "format": "csv",
        },
    )
    header, *lines = r.text.splitlines()
    assert header.split(",")[:4] == ["model", "by", "group", "group_label"]
    assert any(line.startswith(f"ISO9001,country,SI,{slovenia},") for line in lines)


async def test_seed_caf_cohort_statistics_and_krakow_ranking(client):
    body = await get(client, "/v1/stats/adoption", model="CAF", country="SI", by="year")
    first = body["groups"][0]
    assert (first["group"], first["first_adoptions"], first["denominator"]) == ("2018", 6, 212)
    ranking = await get(client, "/v1/rankings", country="PL", as_of="2016-06-01", window_years=5)
    top = ranking["items"][0]
    assert top["id"] == "pl-1261011" and top["rank"] == 1
    # in the 5 years to 2016-06-01: ISO 9001, ISO/IEC 27001 and CAF held; certified since
    # 2006-09-11; the 2013 and 2014 awards and the 2015 label, and the 2011, 2012 and 2014
    # self-assessments
    assert top["components"]["breadth"] == 3 and top["components"]["recognition"] == 3
    assert top["components"]["engagement"] == 3
    assert top["components"]["continuity"] == pytest.approx(3552 / 365.25, abs=0.01)


async def test_on_the_default_day_the_ranking_counts_what_the_evidence_confirms_in_its_window(
    client,
):
    """Today no evidence reaches Kraków's day: its three models are listed as unknown, not scored as
    absent, and the ten-year window still sees its certificates (to 2018) and CAF practice (to
    2020): not a tie at 0."""
    ranking = await get(client, "/v1/rankings", country="PL")
    top = ranking["items"][0]
    assert (
        top["id"] == "pl-1261011"
        and top["score"] > 0
        and top["unknown"] == ["CAF", "ISO27001", "ISO9001"]
    )
    assert (
        top["components"]["breadth"] == 3 and ranking["method"]["parameters"]["window_years"] == 10
    )


async def test_an_award_scheme_is_counted_in_awards(client):
    body = await get(
        client, "/v1/stats/adoption", model="PNJ", country="PL", **{"from": "2013", "to": "2015"}
    )
    assert [
        (g["group"], g["awards"], g["holders_confirmed"], g["coverage"]) for g in body["groups"]
    ] == [
        ("2013", 0, None, "awards_counted"),
        ("2014", 1, None, "awards_counted"),
        ("2015", 0, None, "awards_counted"),
    ]
