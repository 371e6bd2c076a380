"""The precomputed status spans give exactly what the straightforward derivation gives, day by day."""

from __future__ import annotations

import datetime as dt

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
   -- the status runs (migration 0017) that the list filtered on status reads
   OR (SELECT array_agg(r.status) FROM adoption_status_run r
        WHERE r.adoption_id = a.id AND r.valid_from <= d AND d < r.valid_to)
      IS DISTINCT FROM ARRAY[(adoption_state_query(a.id, d::date)).status]
LIMIT 5
"""

RUN_ON = """SELECT row(r.status, r.municipality_id, r.model_code) FROM adoption_status_run r
            WHERE r.adoption_id = $1 AND r.valid_from <= $2 AND $2 < r.valid_to"""

# runs are maximal (no two neighbours of one status), contiguous from -infinity to infinity, and carry their
# adoption's municipality and model
RUN_FAULTS = """
SELECT r.adoption_id, r.valid_from FROM adoption_status_run r JOIN adoption a ON a.id = r.adoption_id
LEFT JOIN adoption_status_run nx ON nx.adoption_id = r.adoption_id AND nx.valid_from = r.valid_to
WHERE r.municipality_id <> a.municipality_id OR r.model_code <> a.model_code
   OR nx.status = r.status
   OR (nx.adoption_id IS NULL AND r.valid_to <> 'infinity')
   OR (r.valid_from <> '-infinity' AND NOT EXISTS (SELECT FROM adoption_status_run p
                                                    WHERE p.adoption_id = r.adoption_id AND p.valid_to = r.valid_from))
UNION ALL
SELECT a.id, NULL FROM adoption a WHERE NOT EXISTS (SELECT FROM adoption_status_run r WHERE r.adoption_id = a.id)
LIMIT 5
"""

# every span carries its adoption's dated events in summary (migration 0022), as the events say now
SUMMARY_FAULTS = """
SELECT s.adoption_id, s.valid_from FROM adoption_status_span s
CROSS JOIN LATERAL (SELECT max(e.date_to) AS dated_until,
                           min(e.date_from) FILTER (WHERE e.date_to IS NOT NULL) AS first_dated,
                           count(*) FILTER (WHERE e.type = 'label_granted' AND e.date_to IS NOT NULL) AS labels_dated
                      FROM event e WHERE e.adoption_id = s.adoption_id) ev
WHERE (s.dated_until, s.first_dated, s.labels_dated) IS DISTINCT FROM (ev.dated_until, ev.first_dated, ev.labels_dated)
LIMIT 5
"""


async def test_spans_equal_the_derivation_every_day_on_seed_and_synthetic_data(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        assert await conn.fetchval("SELECT count(*) FROM adoption") >= 20
        assert await conn.fetch(MISMATCHES) == []
        assert await conn.fetch(RUN_FAULTS) == []
        assert await conn.fetch(SUMMARY_FAULTS) == []
        assert await conn.fetchval("SELECT count(*) FROM adoption_status_span WHERE labels_dated > 0") > 0
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
        assert await conn.fetchval(RUN_ON, adoption, dt.date(2023, 1, 1)) == ("expired", "li-syn-1", "ISO9001")
        # an adoption moved to another municipality takes its runs along
        await conn.execute("UPDATE adoption SET municipality_id = 'li-syn-3' WHERE id = $1", adoption)
        assert await conn.fetchval(RUN_ON, adoption, dt.date(2023, 1, 1)) == ("expired", "li-syn-3", "ISO9001")
        assert await conn.fetch(RUN_FAULTS) == []
        assert await conn.fetch(SUMMARY_FAULTS) == []
    finally:
        await conn.close()


async def test_the_spans_summary_of_events_follows_writes(scratch_url):
    """The first dated event and the labels that compare reads from the span in force (migration 0022) change
    with the events: an earlier event, a label granted, dated later, moved to another adoption, deleted."""
    summary = ("SELECT DISTINCT row(dated_until, first_dated, labels_dated) FROM adoption_status_span"
               " WHERE adoption_id = $1")
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        adoption, other = [r["id"] for r in await conn.fetch(
            "SELECT a.id FROM adoption a WHERE a.municipality_id IN ('li-syn-1', 'li-syn-2') ORDER BY a.municipality_id")]
        before = await conn.fetchval(summary, adoption)
        label = await conn.fetchval(
            "INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, model_code, evidence_level,"
            " unsourced) VALUES ($1, 'label_granted', '1990-03-01', '1990-03-31', 'month', 'ISO9001',"
            " 'third_party_certificate', true) RETURNING id", adoption)
        assert await conn.fetchval(summary, adoption) == (before[0], dt.date(1990, 3, 1), before[2] + 1)
        await conn.execute("UPDATE event SET date_to = '2031-01-01' WHERE id = $1", label)
        assert await conn.fetchval(summary, adoption) == (dt.date(2031, 1, 1), dt.date(1990, 3, 1), before[2] + 1)
        await conn.execute("UPDATE event SET adoption_id = $2 WHERE id = $1", label, other)
        assert await conn.fetchval(summary, adoption) == before
        assert (await conn.fetchval(summary, other))[0] == dt.date(2031, 1, 1)
        assert await conn.fetch(SUMMARY_FAULTS) == []
        await conn.execute("DELETE FROM event WHERE id = $1", label)
        assert await conn.fetch(SUMMARY_FAULTS) == []
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
