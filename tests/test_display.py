"""List pages written by SQL in the caller's language (migration 0019, registry/display.py): labels, country
names, display numbers and names in the wanted script must be exactly what the Python labelling
(i18n.decorate) gives, key order included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import asyncpg
import msgspec
from babel import Locale
from babel.numbers import format_decimal
from litestar.testing import AsyncTestClient

from registry import db as db_module
from registry import display, i18n
from registry.app import create_app
from registry.db import queries
from registry.places import repo
from registry.places.repo import status_scope
from registry.settings import Settings
from registry.text import _SR_CYRL_TO_LATN, sr_cyrillic_to_latin, sr_latin_to_cyrillic
from tests import synthetic
from tests.documents import key_order, without_display

# every full language, and CLDR-only ones with other number formats: narrow no-break space (fr), apostrophe
# (de-CH), Indian grouping (hi), groups of two (tok), and a right-to-left script (ar)
LANGUAGES = (*i18n.SUPPORTED, "fr", "de-CH", "hi", "tok", "ar")


async def _connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await db_module.init_connection(conn)
    return conn


async def test_serbian_transliteration_in_sql_is_the_python_one(scratch_url):
    letters = [*_SR_CYRL_TO_LATN, *(c.upper() for c in _SR_CYRL_TO_LATN)]
    latin = sorted({ch for word in _SR_CYRL_TO_LATN.values() for ch in word + word.upper()})
    words = ["Љубљана", "ЊЕГОШ", "Џеп", "Ђорђе", "Београд", "Lj", "LJUBLJANA", "Njegoš", "NJEGOŠ", "Džep", "DŽEP",
             "dŽ", "lJ", "nJ", "Niš", "Čačak", "Ćuprija", "Đakovica", "Zaječar", "Stari grad", "Nova Varoš",
             "Šabac", "Subotica 2", "O'Neill", "Kraków", "Göygöl", ""]
    conn = await _connect(scratch_url)
    try:
        names = [r[0] for r in await conn.fetch(
            "SELECT unnest(ARRAY[name_local, name_latin]) FROM municipality WHERE country_code IN ('RS', 'AZ')")]
        samples = [*letters, *latin, *words, *names]
        assert len(names) > 100
        rows = await conn.fetch("SELECT t, sr_cyrillic_to_latin(t) AS latn, sr_latin_to_cyrillic(t) AS cyrl "
                                "FROM unnest($1::text[]) t", samples)
    finally:
        await conn.close()
    for row in rows:
        assert row["latn"] == sr_cyrillic_to_latin(row["t"]), row["t"]
        assert row["cyrl"] == sr_latin_to_cyrillic(row["t"]), row["t"]


async def test_numbers_are_written_as_babel_writes_them(scratch_url):
    """Populations (integers) and areas (two decimals) in every language's number format."""
    languages = [i18n.resolve(tag) for tag in LANGUAGES]
    # a locale whose pattern does not group at all; no tag negotiates to it, so it is made here
    languages.append(i18n.Language("en-US-POSIX", "en", Locale.parse("en_US_POSIX")))
    integers = [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 12345, 99999, 100000, 123456, 1234567, 12345678, 2147483647]
    areas = ["0.01", "0.1", "0.5", "1", "9.99", "12.5", "100.05", "999.99", "1000", "1000.1", "1234.56",
             "12345.67", "123456.7", "9999999999.99"]
    conn = await _connect(scratch_url)
    try:
        for language in languages:
            fragments = display.fragments(language)
            written = await conn.fetch("SELECT display_number(n, $2) AS d FROM unnest($1::numeric[]) n",
                                       [*integers, *(Decimal(a) for a in areas)], fragments)
            expected = [format_decimal(n, locale=language.locale) for n in integers] + \
                       [format_decimal(float(a), locale=language.locale) for a in areas]
            assert [r["d"] for r in written] == expected, language.tag
    finally:
        await conn.close()
    hindi = display.fragments(i18n.resolve("hi"))
    assert "number:pattern" in hindi  # the test above covered the regular-expression path too


async def test_dates_are_written_as_babel_writes_them(scratch_url):
    """Years, months, days and ranges of days (migration 0023's display_partial, from the language's date
    templates) as display_date writes them, on every 13th day of 46 years, in every language above and in
    CLDR-only ones whose patterns put the year first (ja, hu, lt, eu) or write month numbers (ja)."""
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=n) for n in range(0, 46 * 366, 13)]
    precisions = ("year", "month", "day", "range")
    conn = await _connect(scratch_url)
    try:
        for tag in (*LANGUAGES, "ja", "hu", "lt", "eu", "es", "th"):
            language = i18n.resolve(tag)
            f = display.fragments(language)
            assert "date:day" in f, tag
            months = [f[f"date:month:{m}"] for m in range(1, 13)]
            day_names = [f[f"date:day:{m}"] for m in range(1, 13)]
            rows = await conn.fetch(
                "SELECT partial_date(d, d + 40, p) AS value, display_partial(d, d + 40, p, $3, $4, $5, $6, $7, $8) AS shown "
                "FROM unnest($1::date[]) d CROSS JOIN unnest($2::text[]) p",
                days, list(precisions), f["date:year"], f["date:month"], months, f["date:day"], day_names,
                "date:day_padded" in f)
            assert len(rows) == len(days) * len(precisions)
            for row in rows:
                expected = i18n.display_date(row["value"], language)
                assert msgspec.json.decode(f'"{row["shown"]}"') == expected, (tag, row["value"])
    finally:
        await conn.close()


async def test_list_pages_written_by_sql_are_the_pages_python_labelling_gives(scratch_url):
    """Every unit of the seeded and synthetic data, in both list statements, in every language above, with
    each script: the page SQL writes equals decorate() of its machine values, key order included."""
    conn = await _connect(scratch_url)
    try:
        await synthetic.load(conn)
        pages = 0
        for tag in LANGUAGES:
            language = i18n.resolve(tag)
            for script in (None, "Latn", "Cyrl"):
                token = i18n.activate_script(script)
                try:
                    for day in (dt.date(2019, 6, 1), dt.date(2026, 1, 1)):
                        for status in (None, "certified"):
                            items, _ = await repo.list_municipalities(
                                conn, country=None, region=None, kind=None, model=None, status=status, as_of=day,
                                q=None, include_sub_units=True, sort_language=None, after=None, limit=500,
                                language=language, script=i18n.names_script(language))
                            written = msgspec.json.decode(items)
                            expected = i18n.decorate(without_display(written), language)
                            assert written == expected, (tag, script, day, status)
                            assert key_order(written) == key_order(expected), (tag, script, day, status)
                            pages += 1
                            if status is None:
                                assert len(written) > 300
                finally:
                    i18n._script_wanted.reset(token)
        assert pages == len(LANGUAGES) * 3 * 2 * 2
    finally:
        await conn.close()


async def test_a_page_shows_labels_numbers_and_names_in_the_callers_language(client):
    r = await client.get("/v1/municipalities", params={"country": "PL", "q": "Kraków", "lang": "hi"})
    assert r.status_code == 200
    krakow = r.json()["items"][0]
    assert krakow["country_name"] == "पोलैंड"
    assert krakow["population_display"] == format_decimal(krakow["population"], locale="hi")
    assert krakow["population"] >= 100_000 and krakow["population_display"].count(",") == 2  # e.g. 8,00,000
    r = await client.get("/v1/municipalities", params={"country": "RS", "limit": 500, "lang": "sr-Latn"})
    names = [item["name"] for item in r.json()["items"]]
    assert "Beograd" in names and not any("Б" <= ch <= "я" for name in names for ch in name)
    r = await client.get("/v1/municipalities", params={"country": "RS", "limit": 500, "lang": "sr"})
    assert "Београд" in [item["name"] for item in r.json()["items"]]
    assert r.json()["items"][0]["kind_label"] != "City"  # labels in Serbian


async def test_a_language_is_written_for_sql_on_first_use_and_each_release_keeps_its_own(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await conn.execute("DELETE FROM display_language")
    finally:
        await conn.close()
    async with AsyncTestClient(create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2))) as client:
        r = await client.get("/v1/municipalities", params={"country": "SI", "lang": "sl", "limit": 3})
        assert r.status_code == 200 and r.json()["items"][0]["country_name"] == "Slovenija"
        assert (await client.get("/v1/municipalities", params={"country": "SI", "lang": "sl"})).status_code == 200
    conn = await _connect(scratch_url)
    try:
        rows = await conn.fetch("SELECT key, language FROM display_language")
        assert [(r["key"], r["language"]) for r in rows] == [(display.display_key(i18n.resolve("sl"))[0], "sl")]
        # another release (other fragments) writes its own row and leaves this one as it is
        await conn.execute(queries.display_language_save, "sl/another-release", "sl", {"country:SI": '"Slovenia (other)"'})
        assert await conn.fetchval("SELECT count(*) FROM display_language WHERE language = 'sl'") == 2
        low, high = status_scope("SI")
        with_other = await conn.fetchval("SELECT municipality_items_json(array_agg(m ORDER BY id), $1, $2, '') "
                                         "FROM municipality m WHERE id >= $3 AND id < $4",
                                         dt.date(2026, 1, 1), display.display_key(i18n.resolve("sl"))[0], low, high)
        assert '"country_name":"Slovenija"' in with_other
    finally:
        await conn.close()



async def test_profiles_written_by_sql_are_the_documents_python_labelling_gives(scratch_url):
    """Every municipality of the seeded and synthetic data with a history, a region or sub-units, on a day
    when many adoptions still have events ahead and on one when most have none, public and with a key: the
    profile SQL writes (migration 0023) is byte for byte the document labelled in Python
    (shaped_decorator(Municipality), which tests/test_i18n.py checks against decorate()): in every full
    language; with each script, and in the CLDR-only languages, on every ninth of them."""
    from registry.places.schemas import Municipality

    conn = await _connect(scratch_url)
    try:
        await synthetic.load(conn)
        ids = [r["id"] for r in await conn.fetch(
            "SELECT m.id FROM municipality m WHERE EXISTS (SELECT FROM adoption a WHERE a.municipality_id = m.id)"
            " OR EXISTS (SELECT FROM award aw WHERE aw.municipality_id = m.id)"
            " OR EXISTS (SELECT FROM programme_member p WHERE p.municipality_id = m.id)"
            " OR EXISTS (SELECT FROM municipality c WHERE c.parent_id = m.id) OR m.region_code LIKE '%-%'"
            " ORDER BY m.id")]
        assert len(ids) > 100
        references = {}
        for day, private in ((dt.date(2019, 6, 1), False), (dt.date(2026, 1, 1), False), (dt.date(2026, 1, 1), True)):
            for municipality in ids:
                references[municipality, day, private] = await conn.fetchval(
                    queries.get_municipality_profile, municipality, day, private)
        compared = 0
        for tag in LANGUAGES:
            language = i18n.resolve(tag)
            memo = i18n.labeller(language)
            for script in (None, "Latn", "Cyrl"):
                chosen = set(ids if tag in i18n.SUPPORTED and script is None else ids[::9])
                token = i18n.activate_script(script)
                try:
                    for (municipality, day, private), reference in references.items():
                        if municipality not in chosen:
                            continue
                        written = await repo.get_municipality_written(
                            conn, municipality, day, private, language, i18n.names_script(language))
                        assert written is not None, tag
                        expected = msgspec.json.encode(i18n.shaped_decorator(Municipality)(reference, memo))
                        assert written == (expected, reference["version"]), (tag, script, municipality, day, private)
                        compared += 1
                finally:
                    i18n._script_wanted.reset(token)
        assert compared > 6 * 3 * 100
    finally:
        await conn.close()


class _WeekdayLocale(Locale):
    """English whose long dates name the weekday, as no CLDR locale does today: a weekday is not a template's
    day, month or year, so SQL cannot write such a language's dates."""

    @property
    def date_formats(self):  # noqa: ANN201
        from babel.dates import parse_pattern

        return {**super().date_formats, "long": parse_pattern("EEEE, d MMMM y")}


async def test_a_language_whose_dates_sql_cannot_write_gets_its_profile_labelled_in_python(scratch_url):
    """The fallback of migration 0023: no date templates for the language, so the profile is the one the
    Python labelling gives (and says which weekday), not a document SQL wrote with dates left out."""
    from registry.places.routes import _profile_response
    from registry.places.schemas import Municipality

    language = i18n.Language("en-x-weekday", "en", _WeekdayLocale("en"))
    assert i18n.display_date("2026-01-05", language) == "Monday, 5 January 2026"
    assert display.date_templates(language) is None and not display.writes_dates(language)
    conn = await _connect(scratch_url)
    token = i18n.activate(language)
    try:
        day = dt.date(2026, 1, 5)
        assert await repo.get_municipality_written(conn, "si-050", day, False, language, "") is None
        response = await _profile_response(conn, "si-050", day, False, None)
        reference = await conn.fetchval(queries.get_municipality_profile, "si-050", day, False)
        assert response.content == msgspec.json.encode(
            i18n.shaped_decorator(Municipality)(reference, i18n.labeller(language)))
        assert msgspec.json.decode(response.content)["as_of_display"] == "Monday, 5 January 2026"
    finally:
        i18n._current.reset(token)
        await conn.close()
