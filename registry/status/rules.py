"""An adoption's status on any day, from the evidence its sources give, saying how well the evidence
supports it.

Public sources report some events and rarely all of them, so silence is never read as a fact:

- `evidenced`: an event shows the state on that day (the audit's own day or days), or a validity the
  evidence states covers the day;
- `inferred`: the day lies between pieces of evidence consistent with one unbroken state (a 2012
  certification and a 2015 renewal bridge the years between, unreported surveillances and all), or
  within the normal validity after the last evidence (a certificate's cycle, a label's validity,
  CAF's two-year practice);
- `unknown`: no evidence reaches the day. After a certificate's own end (its stated or normal
  validity, or its edition's transition deadline) without later evidence the adoption is `unknown`,
  not expired: the state says what the last evidence was and when the evidenced certificate ended.

Negative statuses (`suspended`, `withdrawn`, `expired`, `inactive`) come only from an event that
shows them. An event counts once it has surely happened (the last day its date can mean); a validity
derived from an imprecise date is written at that date's precision and ends, for comparisons, on its
earliest possible day. docs/status-rules.md says the same with the seed municipalities as examples;
tests/test_status_rules.py checks it. What the rules read is in registry/status/evidence.py,
the chains of evidence they read it as in registry/status/timeline.py.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

from registry.dates import PartialDate
from registry.status.evidence import (
    AFTER,
    ASSESSING,
    BEFORE,
    DAY,
    DECLARING,
    HOLDS,
    NEGATIVE,
    PREPARING,
    Common,
    Edition,
    Evidence,
    Rules,
    Span,
    State,
    ends_after,
    first_day,
    last_day,
    next_day,
    shifted,
)
from registry.status.timeline import Chain, Timeline, analyse, edition_on

# ---------------------------------------------------------------- the status on a day


@lru_cache(maxsize=8192)
def _written(when: PartialDate) -> str | None:
    return when.text()


def _text(when: PartialDate | None) -> str | None:
    return _written(when) if when is not None else None


def state_on(timeline: Timeline, day: dt.date) -> State:
    """The status on `day`, its basis and the dates around it."""
    rules = timeline.rules
    count = bisect.bisect_right(timeline.bys, day)
    seen = timeline.dated[:count]
    last = seen[-1] if seen else None
    edition, inferred = (
        edition_on(timeline, day)
        if rules.lifecycle == "certification"
        else (next((e.edition for e in reversed(seen) if e.edition), None), False)
    )
    common: Common = {
        "edition": edition,
        "edition_inferred": inferred,
        "last_evidence": last.id if last else None,
        "last_evidence_date": _text(last.when) if last else None,
        "last_evidence_type": last.type if last else None,
        "last_evidenced_status": _shown(rules, last) if last else None,
        "first_dated": _text(timeline.firsts[count - 1].when) if seen else None,
    }
    negative = next((e for e in reversed(seen) if e.type in NEGATIVE), None)
    for label in timeline.labels:
        if label.first.by <= day <= label.held_until:
            return State(
                status="label_valid",
                basis=_basis(label, day),
                reason="label_within_validity",
                since=_text(label.first.when),
                valid_until=_text(label.ends),
                since_day=label.first.when.start,
                valid_until_day=label.held_until,
                **common,
            )
    chain = next((c for c in timeline.chains if c.first.by <= day <= c.held_until), None)
    if chain is not None:
        return _held(timeline, chain, day, common)
    if negative is not None and not any(
        c.first.by > negative.by for c in timeline.chains if c.first.by <= day
    ):
        status = "inactive" if rules.lifecycle == "assessment" else NEGATIVE[negative.type]
        if status == "suspended" and day > ends_after(negative.when, rules.reinstatement_months):
            return State(
                status="unknown", basis="unknown", reason="suspension_outcome_unknown", **common
            )
        return State(
            status=status,
            basis="evidenced" if _on_own_days(negative, day) else "inferred",
            reason=f"{negative.type}_on_record",
            since=_text(negative.when),
            since_day=negative.when.start,
            **common,
        )
    ended = next((c for c in reversed(timeline.chains) if c.held_until < day), None)
    window = rules.activity_window_months
    lapsed = [
        (c.held_until, c.ends)
        for c in (ended, *timeline.labels)
        if c is not None and c.held_until < day
    ]
    for kinds, status in ((PREPARING, "in_implementation"), (DECLARING, "self_declared")):
        start = next((e for e in reversed(seen) if e.type in kinds), None)
        if start is None or (ended is not None and start.by <= ended.held_until):
            continue
        last_day = ends_after(start.when, window)
        if day <= last_day:
            return State(
                status=status,
                basis="evidenced" if _on_own_days(start, day) else "inferred",
                reason=f"{start.type}_within_window",
                since=_text(start.when),
                valid_until=_text(shifted(start.when, window, last_day=True)),
                since_day=start.when.start,
                valid_until_day=last_day,
                **common,
            )
        lapsed.append((last_day, shifted(start.when, window, last_day=True)))
    if lapsed:  # unknown from the day after the last period the evidence reaches
        after = _day_after(max(lapsed, key=lambda p: p[0])[1])
        return State(
            status="unknown",
            basis="unknown",
            reason="no_evidence_since",
            since=_text(after),
            certificate_ended=_text(ended.ends) if ended is not None else None,
            **common,
        )
    if seen:
        return State(status="unknown", basis="unknown", reason="no_evidence_since", **common)
    return State(
        status="unknown",
        basis="unknown",
        reason="no_evidence_yet"
        if timeline.dated or not timeline.undated
        else "only_undated_evidence",
        **common,
    )


def _day_after(last: PartialDate) -> PartialDate:
    """The day after a period's last day; a month or a year names no day, so it stays as it is
    ('2023': the period ended in 2023, and what follows began then or on the next new year's
    day)."""
    if last.precision != "day":
        return last
    return next_day(last)


def _held(timeline: Timeline, chain: Chain, day: dt.date, common: Common) -> State:
    rules = timeline.rules
    status = "certified" if rules.lifecycle == "certification" else "self_assessed"
    audits = [e for e in chain.points if e.by <= day]
    last_audit = audits[-1]
    interval = (
        rules.surveillance_interval_months
        if status == "certified"
        else rules.activity_window_months
    )
    next_due = shifted(last_audit.when, interval)
    if (
        status == "certified"
        and chain.ends.start is not None
        and chain.ends.start < first_day(next_due)
    ):
        # the certificate ends before the next surveillance: its renewal is what is due
        next_due = chain.ends
    basis, later = _basis(chain, day), len(audits) < len(chain.points)
    reason = (
        "evidence_shows_it"
        if basis == "evidenced"
        else "between_evidence"
        if later
        else "within_stated_validity"
        if chain.stated_until and day <= chain.stated_until
        else "within_normal_validity"
    )
    # overdue: the next audit was surely due (its latest possible day passed) and no later evidence
    # is on record (between two pieces of evidence the certificate stayed valid, so the unreported
    # audit surely happened)
    overdue = (
        status == "certified" and not later and day > last_day(shifted(last_audit.when, interval))
    )
    return State(
        status=status,
        basis=basis,
        reason=reason,
        since=_text(chain.first.when),
        valid_until=_text(chain.ends),
        last_audit=_text(last_audit.when),
        next_due=_text(next_due),
        overdue=overdue,
        since_day=chain.first.when.start,
        valid_until_day=chain.held_until,
        **common,
    )


def _basis(chain: Chain, day: dt.date) -> str:
    return "evidenced" if any(a <= day <= b for a, b in chain.evidenced) else "inferred"


def _on_own_days(e: Evidence, day: dt.date) -> bool:
    days = e.own_days
    return days is not None and days[0] <= day <= days[1]


def _shown(rules: Rules, e: Evidence) -> str | None:
    """The status a piece of evidence shows on its own day."""
    if e.type in NEGATIVE:
        return "inactive" if rules.lifecycle == "assessment" else NEGATIVE[e.type]
    if e.type == "label_granted":
        return "label_valid"
    if rules.lifecycle == "assessment" and e.type in ASSESSING:
        return "self_assessed"
    if rules.lifecycle == "certification" and e.type in HOLDS:
        return "certified"
    if e.type in PREPARING:
        return "in_implementation"
    if e.type in DECLARING:
        return "self_declared"
    return None


# ---------------------------------------------------------------- spans


def breakpoints(timeline: Timeline) -> list[dt.date]:
    """Every day on which the state can change: where evidence surely happened and the days after
    each period the rules measure from it ends."""
    rules = timeline.rules
    days: set[dt.date] = set()
    periods = (
        {
            rules.cycle_months,
            rules.surveillance_interval_months,
            rules.reinstatement_months,
            rules.activity_window_months,
        }
        if rules.lifecycle == "certification"
        else {rules.label_validity_months, rules.activity_window_months}
    )
    for e in timeline.dated:
        assert e.by is not None and e.when.start is not None
        days.update((e.by, e.by + DAY, e.when.start))
        if e.own_days:
            days.update((e.own_days[0], e.own_days[1] + DAY))
        days.update(ends_after(e.when, months) + DAY for months in periods)
        # an audit is overdue after its interval's latest possible end
        if rules.lifecycle == "certification":
            days.add(last_day(shifted(e.when, rules.surveillance_interval_months)) + DAY)
        if e.valid_until is not None and e.valid_until.start is not None:
            days.update((e.valid_until.start + DAY, last_day(e.valid_until) + DAY))
    for chain in timeline.chains + timeline.labels:
        days.add(chain.held_until + DAY)
        days.update(b + DAY for _, b in chain.evidenced)
    for ed in timeline.editions:
        if ed.published is not None:
            days.add(ed.published)
    return sorted(d for d in days if BEFORE < d < AFTER)


def spans(evidence: list[Evidence], rules: Rules, editions: list[Edition]) -> list[Span]:
    """The periods of constant state covering every day, neighbours with equal states merged."""
    timeline = analyse(evidence, rules, editions)
    out: list[Span] = []
    for start in [BEFORE, *breakpoints(timeline)]:
        state = state_on(timeline, start)
        if out and out[-1].state == state:
            continue
        if out:
            out[-1] = Span(out[-1].valid_from, start, out[-1].state)
        out.append(Span(start, AFTER, state))
    return out
