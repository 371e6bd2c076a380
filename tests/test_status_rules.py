"""The status rules on small histories: what the evidence shows, what is inferred, and where nothing
is known.

Each expectation was worked out by hand from docs/status-rules.md; the histories are synthetic
except where a seed document is named.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from registry.dates import parse_partial
from registry.status.evidence import Edition, Evidence, Rules
from registry.status.rules import spans, state_on
from registry.status.timeline import analyse

CERT = Rules(lifecycle="certification")
CAF = Rules(lifecycle="assessment")
ISO9001 = [
    Edition("2000", dt.date(2000, 12, 15), dt.date(2010, 11, 15)),
    Edition("2008", dt.date(2008, 11, 1), dt.date(2018, 9, 15)),
    Edition("2015", dt.date(2015, 9, 15), None),
    Edition("2026", None, None, draft=True),
]
ISO27001 = [
    Edition("2005", dt.date(2005, 10, 1), dt.date(2015, 9, 30)),
    Edition("2013", dt.date(2013, 10, 1), dt.date(2025, 10, 31)),
    Edition("2022", dt.date(2022, 10, 25), None),
]


def ev(n: int, kind: str, date: str | None, **more) -> Evidence:
    if "valid_until" in more:
        more["valid_until"] = parse_partial(more["valid_until"])
    return Evidence(n, kind, parse_partial(date), **more)


def on(history: list[Evidence], day: str, rules: Rules = CERT, editions=ISO9001):
    return state_on(analyse(history, rules, editions), dt.date.fromisoformat(day))


# Kraków's ISO/IEC 27001 (seed document pl-krakow-iso-historia-nagrody.txt): certified 2012-04-20,
# renewed in March 2015 "because their validity was ending", surveillance in March 2016 and 2017; no
# surveillance of 2013 or 2014 is reported.
KRAKOW_27001 = [
    ev(1, "stage1_audit", "2011-11-28/2011-11-29"),
    ev(2, "stage2_audit", "2012-02-27/2012-02-29"),
    ev(3, "certification", "2012-04-20"),
    ev(4, "recertification", "2015-03-12/2015-03-13"),
    ev(5, "surveillance", "2016-03"),
    ev(6, "surveillance", "2017-03"),
]


def test_a_certificate_is_held_across_unreported_surveillances():
    state = on(KRAKOW_27001, "2014-01-01", editions=ISO27001)
    assert (state.status, state.basis, state.reason) == (
        "certified",
        "inferred",
        "between_evidence",
    )
    assert state.since == "2012-04-20" and state.valid_until == "2018-04-19" and not state.overdue
    assert state.edition == "2005" and state.edition_inferred  # newest published when it was issued
    assert on(KRAKOW_27001, "2012-04-20", editions=ISO27001).basis == "evidenced"
    # at the 2015 renewal
    assert on(KRAKOW_27001, "2016-01-01", editions=ISO27001).edition == "2013"


def test_after_its_last_evidence_and_normal_validity_a_certificate_is_unknown_not_expired():
    state = on(KRAKOW_27001, "2026-12-03", editions=ISO27001)
    assert (state.status, state.basis, state.reason) == ("unknown", "unknown", "no_evidence_since")
    assert state.certificate_ended == "2018-04-19"
    assert (state.last_evidence, state.last_evidence_date, state.last_evidenced_status) == (
        6,
        "2017-03",
        "certified",
    )
    within = on(KRAKOW_27001, "2018-04-01", editions=ISO27001)
    assert (within.status, within.reason, within.next_due, within.overdue) == (
        "certified",
        "within_normal_validity",
        "2018-03",
        True,
    )


def test_unknown_begins_the_day_after_the_last_day_the_evidence_reaches():
    ended = on(KRAKOW_27001, "2018-04-20", editions=ISO27001)
    assert on(KRAKOW_27001, "2018-04-19", editions=ISO27001).status == "certified"
    assert (ended.status, ended.since, ended.certificate_ended) == (
        "unknown",
        "2018-04-20",
        "2018-04-19",
    )


def test_a_declaration_reaches_through_its_window_and_unknown_follows_it():
    """Bor (seed document rs-bor-politika-kvaliteta-2023.txt): a quality policy of 2023-07-17
    declares ISO 9001."""
    bor = [ev(1, "declaration", "2023-07-17")]
    last = on(bor, "2025-07-16")
    assert (last.status, last.valid_until) == ("self_declared", "2025-07-16")
    after = on(bor, "2025-07-17")
    assert (after.status, after.reason, after.since, after.certificate_ended) == (
        "unknown",
        "no_evidence_since",
        "2025-07-17",
        None,
    )
    assert on([ev(1, "declaration", "2023")], "2026-01-01").since == "2025"  # a year names no day


def test_a_certification_audit_the_day_after_an_unreported_year_continues_the_certificate():
    history = [ev(1, "recertification", "2014-05-10"), ev(2, "certification_audit", "2016-05-11")]
    assert (on(history, "2016-05-11").status, on(history, "2016-05-11").basis) == (
        "certified",
        "evidenced",
    )
    assert (on(history, "2015-09-01").status, on(history, "2015-09-01").reason) == (
        "certified",
        "between_evidence",
    )
    assert on(history, "2015-09-01").since == "2014-05-10"


def test_evidence_further_apart_than_a_cycle_and_the_reinstatement_window_leaves_the_gap_unknown():
    history = [ev(1, "certification", "2005-03-01"), ev(2, "certification", "2010-06-01")]
    assert on(history, "2007-06-01").status == "certified"
    gap = on(history, "2009-01-01")
    assert (gap.status, gap.certificate_ended) == ("unknown", "2008-02-29")
    assert on(history, "2010-06-01").since == "2010-06-01"


def test_an_edition_deadline_ends_the_certificate_without_later_evidence():
    history = [ev(1, "recertification", "2009-06-15", edition="2000")]
    assert on(history, "2010-11-15").status == "certified"
    after = on(history, "2010-11-16")
    assert (after.status, after.certificate_ended, after.edition) == (
        "unknown",
        "2010-11-15",
        "2000",
    )


def test_an_edition_deadline_passes_with_later_evidence_of_a_transition():
    history = [
        ev(1, "recertification", "2009-06-15", edition="2000"),
        ev(2, "surveillance", "2011-05", edition="2008"),
    ]
    state = on(history, "2010-12-01")
    assert (state.status, state.reason) == ("certified", "between_evidence")
    assert (
        on(history, "2011-06-01").edition == "2008" and on(history, "2010-12-01").edition == "2000"
    )


def test_suspension_and_withdrawal_are_negative_statuses_from_their_events():
    history = [
        ev(1, "certification", "2010-01-10"),
        ev(2, "suspension", "2011-05-01"),
        ev(3, "withdrawal", "2011-09-01"),
    ]
    assert (on(history, "2011-04-30").status, on(history, "2011-04-30").valid_until) == (
        "certified",
        "2011-04-30",
    )
    assert (on(history, "2011-05-01").status, on(history, "2011-05-01").basis) == (
        "suspended",
        "evidenced",
    )
    assert (on(history, "2011-06-01").status, on(history, "2011-06-01").basis) == (
        "suspended",
        "inferred",
    )
    assert (on(history, "2015-01-01").status, on(history, "2015-01-01").since) == (
        "withdrawn",
        "2011-09-01",
    )


def test_a_suspension_with_no_outcome_on_record_becomes_unknown_after_the_reinstatement_window():
    history = [ev(1, "certification", "2010-01-10"), ev(2, "suspension", "2011-05-01")]
    assert on(history, "2011-10-31").status == "suspended"
    assert (on(history, "2011-11-01").status, on(history, "2011-11-01").reason) == (
        "unknown",
        "suspension_outcome_unknown",
    )


def test_an_undated_event_names_the_edition_and_a_year_stays_a_year():
    """Koper (seed document si-koper-iso9001-recertification.txt): certified since 2003; an undated
    recertification to ISO 9001:2015 by Bureau Veritas."""
    koper = [ev(1, "certification", "2003"), ev(2, "recertification", None, edition="2015")]
    state = on(koper, "2004-06-01")
    assert (state.status, state.since, state.valid_until, state.edition) == (
        "certified",
        "2003",
        "2006",
        "2000",
    )
    assert on(koper, "2003-06-01").status == "unknown"  # in 2003, but not surely yet
    today = on(koper, "2026-12-03")
    assert (today.status, today.edition, today.edition_inferred, today.certificate_ended) == (
        "unknown",
        "2015",
        False,
        "2006",
    )


def test_a_stated_validity_is_evidence_for_the_days_it_covers():
    history = [
        ev(1, "certificate_observed", "2019-05-02", date_kind="observed", valid_until="2021-03")
    ]
    assert (on(history, "2019-05-02").basis, on(history, "2020-06-01").basis) == (
        "evidenced",
        "evidenced",
    )
    assert on(history, "2021-03-15").reason == "within_stated_validity"
    assert on(history, "2021-04-01").status == "unknown"


def test_a_page_date_shows_only_that_the_event_happened_by_then():
    history = [ev(1, "surveillance", "2018-06-20", date_kind="published")]
    state = on(history, "2018-06-20")
    assert (state.status, state.basis) == ("certified", "inferred")


def test_self_assessments_two_years_apart_are_one_practice_and_a_label_its_validity():
    """Kraków's CAF (seed document): self-assessments 2011, 2012, 2014 and 2017-12; the Effective
    CAF User label of 2015-09-23; the external feedback visit of 2018-08-31."""
    history = [
        ev(1, "self_assessment", "2011"),
        ev(2, "self_assessment", "2012"),
        ev(3, "self_assessment", "2014"),
        ev(4, "self_assessment", "2017-12"),
        ev(5, "label_granted", "2015-09-23"),
        ev(6, "external_feedback", "2018-08-31"),
    ]
    assert (on(history, "2013-06-01", CAF).status, on(history, "2013-06-01", CAF).since) == (
        "self_assessed",
        "2011",
    )
    assert (on(history, "2016-01-01", CAF).status, on(history, "2016-01-01", CAF).valid_until) == (
        "label_valid",
        "2017-09-22",
    )
    assert on(history, "2017-10-15", CAF).status == "unknown"  # more than two years after the label
    assert (on(history, "2019-01-01", CAF).status, on(history, "2019-01-01", CAF).next_due) == (
        "self_assessed",
        "2020-08-31",
    )
    assert on(history, "2026-12-03", CAF).status == "unknown"


@pytest.mark.parametrize("history", [KRAKOW_27001, [ev(1, "certification", "2003")], []])
def test_spans_cover_every_day_and_agree_with_the_day_by_day_rules(history):
    found = spans(history, CERT, ISO27001)
    assert found[0].valid_from == dt.date.min and found[-1].valid_to == dt.date.max
    assert all(a.valid_to == b.valid_from for a, b in itertools.pairwise(found))
    timeline = analyse(history, CERT, ISO27001)
    day = dt.date(2000, 1, 1)
    while day < dt.date(2030, 1, 1):
        span = next(s for s in found if s.valid_from <= day < s.valid_to)
        assert span.state == state_on(timeline, day), day
        day += dt.timedelta(days=7)
