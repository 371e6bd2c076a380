"""The pages as a person uses them: headless Chromium against a real server (`python -m registry
serve`, as `make run` starts it) on a clone of the seeded database. Search and open a municipality,
compare three, change a ranking's weights, switch language and script, download a CSV, embed a
chart, move by keyboard; and axe-core finds no serious or critical violation of WCAG 2.1 A/AA on any
page."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import AsyncIterator

import asyncpg
import pytest

from registry.db import with_database
from tests import ROOT
from tests.browser import AXE, AXE_RUN, launch_options, missing
from tests.live import serve

WHY = missing()
if WHY and (os.environ.get("CI") or os.environ.get("REGISTRY_REQUIRE_BROWSER")):
    raise RuntimeError(f"browser tests cannot run under make test or in CI: {WHY}")
pytestmark = pytest.mark.skipif(WHY is not None, reason=WHY or "")

DROP = "DROP DATABASE IF EXISTS registry_browser WITH (FORCE)"
CREATE = "CREATE DATABASE registry_browser TEMPLATE registry_template"
REPORT = ROOT / ".browser" / "axe-report.json"


async def _admin(server_url: str, *statements: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def site(server_url: str, template_url: str) -> AsyncIterator[str]:
    await _admin(server_url, DROP, CREATE)
    with serve(with_database(server_url, "registry_browser")) as base:
        yield base
    await _admin(server_url, DROP)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(**launch_options())
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser, site):
    context = await browser.new_context(base_url=site, locale="en-GB", accept_downloads=True)
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    await context.close()
    assert errors == [], f"JavaScript errors: {errors}"


async def test_search_by_any_spelling_and_open_a_municipality(page):
    await page.goto("/")
    await page.get_by_label("Name of a municipality").fill("krakow")
    option = page.get_by_role("option", name="Kraków")
    await option.wait_for()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/municipalities/pl-1261011")
    assert await page.locator("h1").inner_text() == "Kraków"
    # one timeline per adoption, drawn as SVG with a title, and its table a click away
    assert (
        await page.locator("figure.chart svg[role=img] > title").first.text_content()
        == "Kraków: adoptions over the years"
    )
    await page.locator("details.periods summary").first.click()
    assert await page.locator("details.periods[open] table tbody tr").count() > 0
    # an event's source and verbatim quote a click away
    event = page.locator("ol.events li").filter(has_text="Certification").first
    await event.locator("summary").click()
    assert "Urząd Miasta Krakowa" in await event.locator("details.source").inner_text()


async def test_search_without_javascript(browser, site):
    context = await browser.new_context(base_url=site, java_script_enabled=False)
    tab = await context.new_page()
    await tab.goto("/")
    await tab.get_by_label("Name of a municipality").fill("trzic")
    await tab.get_by_role("button", name="Search").click()
    await tab.get_by_role("link", name="Tržič").click()
    assert await tab.locator("h1").inner_text() == "Tržič"
    assert "Programmes" in await tab.locator("main").inner_text()
    await context.close()


async def test_compare_three_picked_as_you_type(page):
    await page.goto("/compare")
    search = page.get_by_label("Add a municipality by name")
    for typed, name in (
        ("koper", "Koper"),
        ("krak", "Kraków"),
        ("bor", "Bor"),
    ):  # Latin names for English
        await search.fill(typed)
        await page.get_by_role("option", name=re.compile(f"^{name} —")).first.click()
    assert await page.locator(".picked input[name=id]:checked").count() == 3
    await page.get_by_role("button", name="Compare").click()
    await page.wait_for_url("**/compare?**")
    headers = await page.locator("table thead th[scope=col]").all_inner_texts()
    assert [h.split("\n")[0] for h in headers] == ["Koper", "Kraków", "Bor"]
    # the timelines of each model on one axis, one figure per model
    assert await page.locator("#timelines-h ~ figure.chart").count() == 3


async def test_ranking_weights_change_in_the_form(page):
    await page.goto("/rankings?country=SI")
    await page.get_by_label("Breadth (models held)").fill("0")
    await page.get_by_label("Continuity (years of continuous certification)").fill("0")
    await page.get_by_label("Recognition (awards and labels)").fill("0")
    await page.get_by_label("Engagement (self-assessments and external feedback)").fill("2")
    await page.get_by_role("button", name="Rank").click()
    await page.wait_for_url("**engagement=2**")
    weights = await page.locator("#method-h + p + p").inner_text()
    assert "Engagement (self-assessments and external feedback) 2" in weights
    assert "Breadth (models held) 0" in weights
    # the components behind each score are in the table
    assert await page.locator("table tbody tr").count() >= 1


async def test_language_and_script_switch(page):
    await page.goto("/municipalities/rs-70327")
    assert await page.locator("h1").inner_text() == "Bor"  # an English reader reads Latin letters
    await page.get_by_role("link", name="Cyrillic script").click()
    assert await page.locator("h1").inner_text() == "Бор"  # its own name, as the reader asked
    await page.get_by_role("link", name="Latin script").click()
    assert await page.locator("h1").inner_text() == "Bor"
    await page.get_by_role("link", name="Српски (ћирилица)").click()
    assert await page.locator("html").get_attribute("lang") == "sr"
    assert "Почетна" in await page.locator("nav.main").inner_text()
    assert await page.locator("h1").inner_text() == "Bor"  # the script chosen stays
    # the script switch, in Serbian
    await page.get_by_role("link", name="Ћирилица", exact=True).click()
    assert await page.locator("h1").inner_text() == "Бор"
    # the choice follows the reader to the next page
    await page.locator("nav.main a").first.click()
    assert await page.locator("html").get_attribute("lang") == "sr"


async def test_accept_language_chooses_the_language(browser, site):
    context = await browser.new_context(base_url=site, locale="pl-PL")
    tab = await context.new_page()
    await tab.goto("/statistics?model=CAF&country=SI")
    assert await tab.locator("html").get_attribute("lang") == "pl"
    assert await tab.locator("h1").inner_text() == "Statystyki wdrożeń"
    await context.close()


async def test_download_a_csv(page):
    await page.goto("/statistics?model=CAF&country=SI")
    async with page.expect_download() as waiting:
        await page.locator("#years-h ~ p a[download]").first.click()
    download = await waiting.value
    rows = list(csv.DictReader(io.StringIO(open(await download.path(), encoding="utf-8").read())))
    assert {r["group"] for r in rows} >= {"2018"}
    assert next(r for r in rows if r["group"] == "2018")["first_adoptions"] == "6"
    await page.goto("/municipalities/pl-1261011")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="CSV: every event with its source and quote").click()
    text = open(await (await waiting.value).path(), encoding="utf-8").read()
    assert text.startswith("municipality,model,") and "Urząd Miasta Krakowa" in text


async def test_embed_a_chart(page, site):
    await page.goto("/municipalities/si-050?lang=sl")
    await page.locator("details.embed summary").first.click()
    snippet = await page.locator("textarea.code").first.input_value()
    assert snippet.startswith(f'<iframe src="{site}/embed/municipalities/si-050/timeline.html?')
    # pasted into another site's page: the chart comes in Slovenian, with its table
    await page.set_content(
        f"<!doctype html><html lang='sl'><body><main><h1>Občina</h1>{snippet}</main></body></html>"
    )
    frame = page.frame_locator("iframe")
    title = await frame.locator("svg[role=img] > title").text_content()
    assert title.startswith("Koper")
    assert title == "Koper: uvedbe skozi leta"
    # and the chart alone as an image
    svg_url = (await page.locator("iframe").get_attribute("src")).replace(
        "timeline.html", "timeline.svg"
    )
    await page.set_content(
        f"<!doctype html><html lang='sl'><body><img alt='Koper' src='{svg_url}'></body></html>"
    )
    await page.wait_for_function("document.querySelector('img').complete")
    assert await page.evaluate("document.querySelector('img').naturalWidth") == 800


async def test_keyboard_reaches_the_content_first(page):
    await page.goto("/")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Skip to the content"
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "q"


PAGES = [
    "/",
    "/?q=ko",
    "/municipalities/pl-1261011?as_of=2016-06-01",
    "/municipalities/rs-70327?lang=sr",
    "/compare?ids=si-050,pl-1261011,rs-70327",
    "/compare?id=si-050",
    "/statistics?model=ISO9001&country=PL",
    "/statistics?model=CAF&country=SI&lang=sl",
    "/programmes",
    "/programmes/si-mju-caf-obcine?lang=pl",
    "/certificates?as_of=2017-06-01&within=1y",
    "/rankings?country=PL&as_of=2016-06-01&lang=az",
    "/embed/municipalities/pl-1261011/timeline.html",
    "/embed/statistics/adoption.html?model=CAF&country=SI",
    "/no-such-page",
]


async def test_no_serious_accessibility_violation_on_any_page(browser, site):
    context = await browser.new_context(base_url=site)
    tab = await context.new_page()
    report, serious = {}, {}
    for path in PAGES:
        await tab.goto(path)
        await tab.add_script_tag(path=str(AXE))
        violations = await tab.evaluate(AXE_RUN)
        report[path] = violations
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            serious[path] = bad
    await context.close()
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    assert serious == {}, json.dumps(serious, indent=1, ensure_ascii=False)
