"""The precomputed status spans give exactly what the straightforward derivation gives, day by day."""

from __future__ import annotations

import asyncpg

from tests import synthetic

# every adoption, every day from 2000 to 2028: the spans (adoption_state, and adoption_state_on that the read
# queries inline) against the original query-per-call derivation (adoption_state_query) and the array-based
# one (adoption_state_live)
MISMATCHES = """
SELECT a.id, d::date AS day, (adoption_state(a.id, d::date)).status AS spans,
       (adoption_state_query(a.id, d::date)).status AS derived
FROM adoption a, generate_series('2000-01-01'::date, '2028-12-31'::date, '1 day') AS d
WHERE adoption_state(a.id, d::date) IS DISTINCT FROM adoption_state_query(a.id, d::date)
   OR adoption_state_live(a.id, d::date) IS DISTINCT FROM adoption_state_query(a.id, d::date)
   OR (SELECT row(s.*)::adoption_state FROM adoption_state_on(a.id, d::date) s)
      IS DISTINCT FROM adoption_state_query(a.id, d::date)
LIMIT 5
"""


async def test_spans_equal_the_derivation_every_day_on_seed_and_synthetic_data(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        assert await conn.fetchval("SELECT count(*) FROM adoption") >= 20
        assert await conn.fetch(MISMATCHES) == []
    finally:
        await conn.close()


async def test_spans_follow_writes(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        adoption = await conn.fetchval("SELECT a.id FROM adoption a WHERE a.municipality_id = 'li-syn-1'")
        before = await conn.fetchval("SELECT (adoption_state($1, '2023-01-01')).status", adoption)
        assert before == "certification_lapsed"
        await conn.execute(
            "INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, model_code, evidence_level,"
            " unsourced) VALUES ($1, 'surveillance', '2022-04-20', '2022-04-20', 'day', 'ISO9001',"
            " 'third_party_certificate', true)", adoption)
        assert await conn.fetchval("SELECT (adoption_state($1, '2023-01-01')).status", adoption) == "certified"
        await conn.execute("DELETE FROM event WHERE adoption_id = $1 AND date_from = '2022-04-20'", adoption)
        assert await conn.fetchval("SELECT (adoption_state($1, '2023-01-01')).status", adoption) == before
        await conn.execute("UPDATE edition SET certificates_valid_until = '2022-12-31' "
                           "WHERE model_code = 'ISO9001' AND code = '2015'")
        state = await conn.fetchrow("SELECT (adoption_state($1, '2023-01-01')).*", adoption)
        assert state["status"] == "expired" and state["reason"] == "edition_transition_deadline_passed"
    finally:
        await conn.close()


async def test_the_inlined_lookup_derives_the_state_where_an_adoption_has_no_spans(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        adoption = await conn.fetchval("SELECT a.id FROM adoption a WHERE a.municipality_id = 'li-syn-1'")
        state_on = "SELECT row(s.*)::adoption_state FROM adoption_state_on($1, $2::text::date) s"
        before = await conn.fetchval(state_on, adoption, "2023-01-01")
        assert before["status"] == "certification_lapsed"
        await conn.execute("DELETE FROM adoption_status_span WHERE adoption_id = $1", adoption)
        for day in ("1999-06-01", "2023-01-01", "2027-03-15"):
            derived = await conn.fetchval("SELECT adoption_state_query($1, $2::text::date)", adoption, day)
            assert await conn.fetchval(state_on, adoption, day) == derived
        assert await conn.fetchval(state_on, adoption, "2023-01-01") == before
    finally:
        await conn.close()
