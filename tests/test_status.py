"""Status derivation (sql/migrations/0002_adoption_state.sql) on edge cases, with hand-computed dates.

Each case builds a synthetic municipality (marked synthetic) in a scratch clone and asks
adoption_state(adoption, as_of) on the days either side of a boundary.
"""

from __future__ import annotations

import datetime as dt
import itertools

import asyncpg
import pytest

from registry.dates import parse_partial

D = dt.date.fromisoformat
_ids = itertools.count(1)


@pytest.fixture
async def conn(scratch_url: str):
    connection = await asyncpg.connect(scratch_url)
    yield connection
    await connection.close()


async def adoption(conn: asyncpg.Connection, model: str, *events: tuple) -> int:
    """A synthetic municipality with one adoption of `model` and the given (type, date[, edition]) events."""
    mid = f"si-synthetic-{next(_ids)}"
    await conn.execute(
        "INSERT INTO municipality (id, country_code, kind, name_local, name_latin, search_text, synthetic)"
        " VALUES ($1, 'SI', 'municipality', $1, $1, $1, true)", mid)
    adoption_id = await conn.fetchval(
        "INSERT INTO adoption (municipality_id, model_code) VALUES ($1, $2) RETURNING id", mid, model)
    for type_, date, *rest in events:
        when = parse_partial(date)
        await conn.execute(
            "INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, edition_code, model_code,"
            " evidence_level, unsourced) VALUES ($1, $2, $3, $4, $5, $6, $7, 'third_party_certificate', true)",
            adoption_id, type_, when.start, when.end, when.precision, rest[0] if rest else None, model)
    return adoption_id


async def state(conn: asyncpg.Connection, adoption_id: int, as_of: str) -> asyncpg.Record:
    return await conn.fetchrow("SELECT (adoption_state($1, $2)).*", adoption_id, D(as_of))


async def test_year_only_certification_counts_from_the_end_of_its_year(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2003", "2000"),
                       ("surveillance", "2004"), ("surveillance", "2005"))
    assert (await state(conn, a, "2003-12-30"))["status"] == "not_yet_adopted"
    s = await state(conn, a, "2003-12-31")
    assert s["status"] == "certified"
    assert s["since"] == D("2003-01-01") and s["since_precision"] == "year"
    # validity: 36 months from the last day the year can mean
    assert s["valid_until"] == D("2006-12-30")
    assert (await state(conn, a, "2006-12-30"))["status"] == "certified"
    after = await state(conn, a, "2006-12-31")
    assert after["status"] == "expired" and after["reason"] == "validity_ended"


async def test_missing_surveillance_lapses_after_interval_plus_grace(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2016-01-15", "2015"))
    # 12 months + 6 months grace after the last audit: last day 2017-07-14
    on_time = await state(conn, a, "2017-01-16")
    assert on_time["status"] == "certified" and on_time["overdue"] is True
    assert on_time["next_due"] == D("2017-01-15")
    assert (await state(conn, a, "2017-07-14"))["status"] == "certified"
    lapsed = await state(conn, a, "2017-07-15")
    assert lapsed["status"] == "certification_lapsed" and lapsed["since"] == D("2017-07-15")


async def test_iso9001_2008_certificates_end_on_the_transition_deadline(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2017-01-10", "2008"), ("surveillance", "2018-01-09"))
    assert (await state(conn, a, "2018-09-15"))["status"] == "certified"
    after = await state(conn, a, "2018-09-16")
    assert after["status"] == "expired"
    assert after["reason"] == "edition_transition_deadline_passed"
    assert after["since"] == D("2018-09-16")


async def test_iso27001_2013_certificates_end_after_october_2025(conn):
    a = await adoption(conn, "ISO27001", ("certification", "2024-01-01", "2013"), ("surveillance", "2025-01-01"))
    assert (await state(conn, a, "2025-10-31"))["status"] == "certified"
    assert (await state(conn, a, "2025-11-01"))["status"] == "expired"


async def test_edition_transition_moves_the_certificate_past_the_deadline(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2017-01-10", "2008"),
                       ("edition_transition", "2018-01-09", "2015"))
    s = await state(conn, a, "2018-09-16")
    assert s["status"] == "certified" and s["edition_code"] == "2015"
    assert s["since"] == D("2017-01-10")


async def test_recertification_before_expiry_keeps_the_run_continuous(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2020-03-01", "2015"),
                       ("surveillance", "2021-02-15"), ("surveillance", "2022-02-15"),
                       ("recertification", "2023-02-20"))
    s = await state(conn, a, "2023-03-01")
    assert s["status"] == "certified"
    assert s["since"] == D("2020-03-01")
    # renewed before expiry: the new expiry follows the old one (2023-02-28) by 36 months
    assert s["valid_until"] == D("2026-02-28")


async def test_recertification_after_expiry_starts_a_new_run(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2020-03-01", "2015"),
                       ("surveillance", "2021-02-15"), ("surveillance", "2022-02-15"),
                       ("recertification", "2023-06-01"))
    assert (await state(conn, a, "2023-03-01"))["status"] == "expired"
    s = await state(conn, a, "2023-06-01")
    assert s["status"] == "certified" and s["since"] == D("2023-06-01")


async def test_suspension_then_reinstatement_and_withdrawal(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2020-01-10", "2015"),
                       ("suspension", "2020-11-01"), ("surveillance", "2020-12-15"),
                       ("withdrawal", "2021-06-30"))
    assert (await state(conn, a, "2020-10-31"))["status"] == "certified"
    assert (await state(conn, a, "2020-11-01"))["status"] == "suspended"
    assert (await state(conn, a, "2020-12-15"))["status"] == "certified"
    withdrawn = await state(conn, a, "2021-06-30")
    assert withdrawn["status"] == "withdrawn" and withdrawn["since"] == D("2021-06-30")


async def test_edition_is_inferred_from_publication_dates_when_no_event_names_it(conn):
    a = await adoption(conn, "ISO27001", ("certification", "2012-04-20"), ("recertification", "2015-03-13"))
    s = await state(conn, a, "2015-06-01")
    assert s["status"] == "certified"
    assert s["edition_code"] == "2013" and s["edition_inferred"] is True


async def test_undated_evidence_makes_an_otherwise_expired_status_undetermined(conn):
    a = await adoption(conn, "ISO9001", ("certification", "2003"), ("recertification", None, "2015"))
    assert (await state(conn, a, "2004-06-01"))["status"] == "certified"
    s = await state(conn, a, "2012-01-01")
    assert s["status"] == "undetermined" and s["reason"] == "undated_evidence_may_be_later"
    only_undated = await adoption(conn, "ISO9001", ("certification", None, "2015"))
    assert (await state(conn, only_undated, "2026-01-01"))["status"] == "undetermined"


async def test_declaration_and_implementation_before_any_certificate(conn):
    declared = await adoption(conn, "ISO9001", ("declaration", "2023-07-17", "2015"))
    assert (await state(conn, declared, "2023-07-16"))["status"] == "not_yet_adopted"
    assert (await state(conn, declared, "2023-07-17"))["status"] == "self_declared"
    started = await adoption(conn, "ISO9001", ("decision", "2005-10-07", "2000"))
    assert (await state(conn, started, "2006-01-01"))["status"] == "in_implementation"


async def test_caf_self_assessment_window_and_label_validity(conn):
    a = await adoption(conn, "CAF", ("self_assessment", "2014"), ("label_granted", "2015-09-23"),
                       ("self_assessment", "2017-12"))
    label = await state(conn, a, "2015-09-23")
    assert label["status"] == "label_valid" and label["valid_until"] == D("2017-09-22")
    assert label["since"] == D("2014-01-01")
    # the label's 24 months end before the December 2017 assessment has surely happened
    assert (await state(conn, a, "2017-09-23"))["status"] == "inactive"
    again = await state(conn, a, "2017-12-31")
    assert again["status"] == "self_assessed" and again["since"] == D("2017-12-01")
    # window after the Dec 2017 assessment ends 2019-12-30
    assert (await state(conn, a, "2019-12-30"))["status"] == "self_assessed"
    gone = await state(conn, a, "2019-12-31")
    assert gone["status"] == "inactive" and gone["since"] == D("2019-12-31")


async def test_caf_started_without_assessment(conn):
    a = await adoption(conn, "CAF", ("implementation_start", "2018"))
    assert (await state(conn, a, "2018-12-30"))["status"] == "not_yet_adopted"
    assert (await state(conn, a, "2018-12-31"))["status"] == "in_implementation"
    assert (await state(conn, a, "2020-12-31"))["status"] == "inactive"
