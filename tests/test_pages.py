"""The web pages over HTTP: each page answers HTML in the reader's language, bad input is a 4xx page
with the API's own words, the charts are SVG at stable addresses, and nothing of this reaches the
OpenAPI document."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

import pytest

from registry.web import charts, repo
from registry.web.render import model_short

PAGES = [
    "/",
    "/?q=trzic",
    "/municipalities/pl-1261011",
    "/compare",
    "/compare?ids=si-050,pl-1261011,az-gyg",
    "/statistics",
    "/statistics?model=CAF&country=SI",
    "/statistics?model=ISO9001&country=PL",
    "/statistics?model=MNJ",
    "/programmes",
    "/programmes/si-mju-caf-obcine",
    "/certificates",
    "/certificates?as_of=2017-06-01&within=1y",
    "/rankings",
    "/rankings?country=PL&engagement=1",
]


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_answers_html(client, path):
    r = await client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in r.text and '<main id="main"' in r.text


async def test_a_page_comes_in_the_language_asked_for(client):
    r = await client.get("/statistics?model=CAF&country=SI", headers={"Accept-Language": "sl"})
    assert '<html lang="sl">' in r.text and r.headers["content-language"] == "sl"
    r = await client.get("/statistics?model=CAF&country=SI&lang=sr-Latn")
    assert '<html lang="sr-Latn">' in r.text
    # the choice is carried on every link of the page
    assert 'href="/compare?lang=sr-Latn"' in r.text


async def test_names_follow_the_script_asked_for(client):
    assert "<h1>Бор</h1>" in (await client.get("/municipalities/rs-70327?lang=sr")).text
    assert "<h1>Bor</h1>" in (await client.get("/municipalities/rs-70327?lang=sr&script=Latn")).text


async def test_the_municipality_page_shows_the_evidence(client):
    text = (await client.get("/municipalities/pl-1261011?as_of=2016-06-01")).text
    assert (
        "Certified" in text
        and "Shown by the evidence" in text
        and "Inferred from the evidence" in text
    )
    assert 'id="event-' in text and "<blockquote>" in text  # each event with its quote a click away
    assert "/v1/municipalities/pl-1261011?as_of=2016-06-01" in text  # the same data as JSON
    assert "/municipalities/pl-1261011/events.csv" in text


async def test_a_crosswalk_identifier_leads_to_the_page(client):
    r = await client.get("/municipalities/teryt:1261011", follow_redirects=False)
    assert (
        r.status_code in (301, 302, 303, 307)
        and r.headers["location"] == "/municipalities/pl-1261011"
    )


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/municipalities/xx-0", 404, "no municipality with id 'xx-0'"),
        ("/municipalities/pl-1261011?as_of=2016-13-01", 400, "as_of"),
        ("/statistics?model=NOPE", 400, "model: unknown model 'NOPE'"),
        ("/statistics?country=XX", 400, "country: unknown country code 'XX'"),
        ("/rankings?breadth=much", 400, "breadth: 'much' is not a number"),
        ("/rankings?breadth=0&continuity=0&recognition=0&engagement=0", 400, "at least one weight"),
        ("/certificates?within=7x", 400, "within"),
        ("/compare?id=si-050", 400, "ids: give 2 to 20 comma-separated ids, got 1"),
        ("/compare?ids=si-050,xx-1", 400, "no municipality for xx-1"),
        ("/programmes/nope", 404, "nope"),
        ("/?lang=klingon-9", 400, "lang: unknown language"),
        ("/embed/municipalities/pl-1261011/timeline.svg?model=BFC-SEE", 400, "model"),
    ],
)
async def test_bad_input_is_a_4xx_page_with_the_same_words(client, path, status, words):
    r = await client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert words in r.text.replace("&#39;", "'").replace("&quot;", '"')


async def test_an_address_that_is_nowhere_is_a_page_to_a_browser_and_a_problem_to_the_api(client):
    page = await client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = await client.get("/v1/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    assert (await client.get("/no-such-page")).headers["content-type"] == "application/problem+json"


async def test_pages_are_not_in_the_openapi_document(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert all(p.startswith("/v1/") or p == "/health" for p in paths)


@pytest.mark.parametrize(
    "path",
    [
        "/embed/municipalities/pl-1261011/timeline.svg",
        "/embed/municipalities/si-050/benchmark.svg",
        "/embed/compare/timeline.svg?ids=si-050,pl-1261011",
        "/embed/statistics/adoption.svg?model=CAF&country=SI",
        "/embed/statistics/adoption.svg?model=ISO9001&country=PL&by=region",
        "/embed/statistics/adoption.svg?model=CAF&by=country",
        "/embed/programmes/si-mju-caf-obcine/funnel.svg",
        "/embed/rankings.svg?country=PL",
    ],
)
async def test_every_chart_is_svg_at_a_stable_address(client, path):
    r = await client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(r.text)  # well-formed
    assert svg.get("role") == "img" and svg.find("{http://www.w3.org/2000/svg}title").text
    html = await client.get(path.replace(".svg", ".html"))
    assert html.status_code == 200 and "<table>" in html.text and "<svg" in html.text


async def test_a_chart_comes_in_the_language_asked_for(client):
    r = await client.get("/embed/municipalities/pl-1261011/timeline.svg?lang=pl")
    assert 'lang="pl"' in r.text and "Certyfikowany" in r.text or "Certyfikowan" in r.text


async def test_csv_downloads(client):
    events = await client.get("/municipalities/pl-1261011/events.csv")
    assert events.headers["content-type"].startswith("text/csv")
    assert events.text.splitlines()[0].startswith("municipality,model,scope,event_id,type,date")
    periods = (await client.get("/municipalities/pl-1261011/timeline.csv")).text.splitlines()
    assert (
        periods[0]
        == "municipality,model,adoption_id,from,to,status,basis,reason,since,valid_until,"
        "last_evidence_date"
    )
    assert any(",ISO9001," in line and ",certified,inferred," in line for line in periods)
    due = await client.get("/certificates.csv?as_of=2017-06-01&within=1y")
    assert due.status_code == 200 and "pl-1261011" in due.text


async def test_an_adoptions_spans_read_for_the_audience(db):
    async with db.acquire() as conn:
        adoption = await conn.fetchval(
            "SELECT id FROM adoption WHERE municipality_id = 'pl-1261011' "
            "AND model_code = 'ISO9001'"
        )
        periods = await repo.adoption_spans(conn, adoption, "k")
        keyed = await repo.adoption_spans(conn, adoption, "p")
    assert periods == keyed  # no non-public event: one set of spans for everyone
    assert periods[0].open_start and periods[-1].open_end
    assert all(a.end == b.start for a, b in itertools.pairwise(periods))  # every day, once
    assert [p.status for p in periods if p.basis != "unknown"][-1] == "certified"
    certified = [p for p in periods if p.status == "certified"]
    assert certified[0].start == dt.date(2006, 9, 11) and {p.basis for p in certified} == {
        "evidenced",
        "inferred",
    }


def test_a_timeline_draws_every_period_with_its_basis():
    day = dt.date
    periods = [
        repo.Period(
            day(1, 1, 1),
            day(2010, 1, 1),
            "unknown",
            "unknown",
            "no_evidence_yet",
            None,
            None,
            None,
            None,
        ),
        repo.Period(
            day(2010, 1, 1),
            day(2010, 1, 2),
            "certified",
            "evidenced",
            "evidence_shows_it",
            "2010-01-01",
            None,
            None,
            None,
        ),
        repo.Period(
            day(2010, 1, 2),
            day(2013, 1, 1),
            "certified",
            "inferred",
            "between_evidence",
            "2010-01-01",
            None,
            None,
            None,
        ),
        repo.Period(
            day(2013, 1, 1),
            day(9999, 12, 31),
            "unknown",
            "unknown",
            "no_evidence_since",
            None,
            None,
            None,
            "certified",
        ),
    ]
    svg = charts.timeline(
        [charts.TimelineRow("A & <B>", periods, [(day(2010, 1, 1), "Certification", None)])],
        uid="t",
        title="T",
        description="D",
        language="en",
        as_of=day(2016, 6, 1),
        as_of_label="1 June 2016",
        status_labels={"certified": "Certified", "_event": "Event"},
        basis_labels={"evidenced": "Shown", "inferred": "Inferred", "unknown": "No evidence"},
    )
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert (
        "Certified — Inferred" in titles
        and "No evidence" in " ".join(titles)
        and "Certification" in titles
    )
    assert "A &amp; &lt;B&gt;" in svg  # names are escaped
    assert model_short("ISO27001") == "ISO/IEC 27001" and model_short("CAF") == "CAF"


async def test_every_municipality_with_facts_has_a_page(client, db):
    async with db.acquire() as conn:
        ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT municipality_id AS id FROM adoption UNION "
                "SELECT municipality_id FROM award UNION "
                "SELECT municipality_id FROM programme_member"
            )
        ]
    failed = {
        i: r.status_code
        for i in ids
        if (r := await client.get(f"/municipalities/{i}")).status_code != 200
    }
    assert ids and failed == {}
