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
tests/test_status.py checks it.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict, cast

import msgspec

from registry.dates import PartialDate

BEFORE, AFTER = dt.date.min, dt.date.max  # the open ends of the first and last span
DAY = dt.timedelta(days=1)

# what each event type shows (types not listed are recorded but do not move the status)
# a certificate issued or renewed: a new validity
STARTS = frozenset({"certification", "recertification"})
# a certificate in force on the event's day
HOLDS = STARTS | {
    "surveillance",
    "edition_transition",
    "certification_audit",
    "scope_change",
    "certificate_observed",
}
NEGATIVE = {"suspension": "suspended", "withdrawal": "withdrawn", "expiry": "expired"}
PREPARING = frozenset({"decision", "implementation_start", "stage1_audit", "stage2_audit"})
DECLARING = frozenset({"declaration", "management_review"})
ASSESSING = frozenset({"self_assessment", "improvement_plan", "external_feedback", "label_granted"})
# a status in which the model is held
HELD = frozenset({"certified", "label_valid", "self_assessed"})


class Rules(msgspec.Struct, frozen=True, kw_only=True):
    """A model's lifecycle and the periods its rules use (seeds/catalogue/models.json;
    docs/status-rules.md)."""

    lifecycle: str  # certification | assessment | award
    # a certificate's normal validity (ISO/IEC 17021-1: three years)
    cycle_months: int = 36
    surveillance_interval_months: int = 12  # the next audit is due within this after the last one
    # IAF: a certificate may be reinstated this long after it lapsed
    reinstatement_months: int = 6
    label_validity_months: int = 24  # a label's validity (CAF Effective User: two years)
    # a self-assessment, decision or declaration holds this long (CAF: two years)
    activity_window_months: int = 24

    @property
    def bridge_months(self) -> int:
        """The longest gap between two pieces of evidence of one unbroken certificate: a full cycle
        without a reported audit, plus the window in which a lapsed certificate may still be
        reinstated."""
        return self.cycle_months + self.reinstatement_months


class Edition(msgspec.Struct, frozen=True):
    code: str
    published: dt.date | None  # earliest possible day of publication
    certificates_valid_until: dt.date | None
    draft: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """One event of an adoption as the rules read it."""

    id: int
    type: str
    when: PartialDate  # the date as the source gives it
    # event: the event's own date; published / observed: the page's
    date_kind: str = "event"
    edition: str | None = None
    valid_until: PartialDate | None = None
    source_id: str | None = None
    # the day from which the event has surely happened (None: undated)
    by: dt.date | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", self.when.end)

    @property
    def own_days(self) -> tuple[dt.date, dt.date] | None:
        """The days the evidence itself shows the state on: the event's own day or days, or the day
        a page saw a certificate in force; None when the date is too coarse to name the days."""
        if self.when.start is None or self.when.precision not in ("day", "range"):
            return None
        if self.date_kind != "event" and self.type != "certificate_observed":
            return None  # a page's date shows only that the event happened on or before it
        return first_day(self.when), last_day(self.when)


if TYPE_CHECKING:

    class Dated(Evidence):
        """Evidence with a day: analyse() sets these apart from the undated, so `by` is a date."""

        by: dt.date

else:
    Dated = Evidence


class Common(TypedDict):
    """What every State of a day says whatever its status (state_on)."""

    edition: str | None
    edition_inferred: bool
    last_evidence: int | None
    last_evidence_date: str | None
    last_evidence_type: str | None
    last_evidenced_status: str | None
    first_dated: str | None


# a piece of evidence's validity in months (None: it shows its own day only), and unused
Validity = Callable[[Dated], tuple[int | None, None]]


class State(msgspec.Struct, frozen=True, kw_only=True):
    """The status on a day, its basis, and what the answer says around it (dates at their
    precision)."""

    status: str
    basis: str
    reason: str
    since: str | None = None  # the start of the continuous period in this status
    valid_until: str | None = None  # the last day the period lasts without further evidence
    edition: str | None = None
    edition_inferred: bool = False
    last_audit: str | None = None
    next_due: str | None = None
    overdue: bool = False
    last_evidence: int | None = None  # the event id of the latest evidence on or before the day
    last_evidence_date: str | None = None
    last_evidence_type: str | None = None
    last_evidenced_status: str | None = None  # the status that latest evidence showed
    certificate_ended: str | None = None  # when the last evidenced certificate (or label) ended
    first_dated: str | None = None  # the earliest dated evidence on or before the day
    # the days comparisons use: the earliest possible start of the period, and its last day
    # (earliest possible)
    since_day: dt.date | None = None
    valid_until_day: dt.date | None = None


class Span(msgspec.Struct, frozen=True):
    valid_from: dt.date  # BEFORE for the first span
    valid_to: dt.date  # exclusive; AFTER for the last span
    state: State


@lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shifted(when: PartialDate, months: int, *, last_day: bool = False) -> PartialDate:
    """A date moved by whole months, at its own precision ('2003' + 36 months is '2006'); with
    last_day, the last day of a period of `months` from it (a certificate of 2012-04-20 ends on
    2015-04-19; one of '2003' in '2006' still: a year or month names no day)."""
    assert when.start is not None and when.end is not None
    start, end = add_months(when.start, months), add_months(when.end, months)
    if when.precision in ("month", "year"):
        end = dt.date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    elif last_day:
        start, end = start - DAY, end - DAY
    return PartialDate(start, end, when.precision)


def first_day(when: PartialDate) -> dt.date:
    """The earliest day of a date that names days (a dated piece of evidence's, a shifted one)."""
    assert when.start is not None
    return when.start


def last_day(when: PartialDate) -> dt.date:
    """The latest day of a date that names days."""
    assert when.end is not None
    return when.end


def next_day(when: PartialDate) -> PartialDate:
    """The same date a day later, at its precision."""
    return PartialDate(first_day(when) + DAY, last_day(when) + DAY, when.precision)


def ends_after(when: PartialDate, months: int) -> dt.date:
    """The earliest possible last day of a period of `months` from a date (its earliest possible
    day)."""
    assert when.start is not None
    return add_months(when.start, months) - DAY


# ---------------------------------------------------------------- the evidence, analysed once


@dataclass(slots=True)
class Chain:
    """Evidence of one unbroken certificate (or assessment practice): held from `first.by` to
    `held_until`."""

    points: list[Dated]
    held_until: dt.date  # the earliest possible end of its validity (inferred)
    ends: PartialDate  # that end at the precision of the evidence it comes from
    evidenced: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    stated_until: dt.date | None = None  # the latest day a validity the evidence states can mean

    @property
    def first(self) -> Dated:
        return self.points[0]


@dataclass(slots=True)
class Timeline:
    rules: Rules
    editions: list[Edition]
    dated: list[Dated]  # by the day they surely happened
    undated: list[Evidence]
    chains: list[Chain]
    labels: list[Chain]  # assessment lifecycle: label validities
    bys: list[dt.date] = field(default_factory=list)  # dated[i].by, for bisecting by day
    firsts: list[Dated] = field(default_factory=list)  # the earliest-starting of dated[:i + 1]


def analyse(evidence: list[Evidence], rules: Rules, editions: list[Edition]) -> Timeline:
    dated = cast(
        "list[Dated]",
        sorted((e for e in evidence if e.by is not None), key=lambda e: (e.by, e.id)),
    )
    undated = [e for e in evidence if e.by is None]
    timeline = Timeline(rules, editions, dated, undated, [], [], [e.by for e in dated])
    for e in dated:
        earliest = timeline.firsts[-1] if timeline.firsts else e
        timeline.firsts.append(
            e if (e.when.start, e.id) < (earliest.when.start, earliest.id) else earliest
        )
    if rules.lifecycle == "assessment":
        timeline.chains = _chains(
            timeline, ASSESSING, lambda e: (rules.activity_window_months, None)
        )
        labels = [e for e in dated if e.type == "label_granted"]
        timeline.labels = [
            _chain(timeline, [e], lambda e: (rules.label_validity_months, None)) for e in labels
        ]
    elif rules.lifecycle == "certification":
        timeline.chains = _chains(timeline, HOLDS, lambda e: _validity(rules, e))
    return timeline


def _validity(rules: Rules, e: Evidence) -> tuple[int | None, None]:
    if e.type in STARTS:
        return rules.cycle_months, None
    if e.type == "certificate_observed":
        # a page shows the certificate in force on its day, and nothing about later days
        return None, None
    # an audit: the next one is due within the interval
    return rules.surveillance_interval_months, None


def _chains(timeline: Timeline, kinds: frozenset[str], validity: Validity) -> list[Chain]:
    """Group the positive evidence into chains: consecutive pieces no further apart than the bridge,
    with no negative event between them."""
    rules = timeline.rules
    chains: list[Chain] = []
    current: list[Dated] = []
    bridge = (
        rules.bridge_months if rules.lifecycle == "certification" else rules.activity_window_months
    )
    for e in timeline.dated:
        if e.type in NEGATIVE or (rules.lifecycle == "assessment" and e.type == "withdrawal"):
            if current:
                chains.append(_chain(timeline, current, validity))
            current = []
        elif e.type in kinds:
            # consistent with one unbroken state: the two may lie no further apart than the bridge
            if current and first_day(e.when) > add_months(current[-1].by, bridge):
                chains.append(_chain(timeline, current, validity))
                current = []
            current.append(e)
    if current:
        chains.append(_chain(timeline, current, validity))
    # a later chain's start ends an earlier validity
    for chain, after in itertools.pairwise(chains):
        chain.held_until = min(chain.held_until, after.first.by - DAY)
    negatives = [e for e in timeline.dated if e.type in NEGATIVE]
    for chain in chains:  # and so does a negative event
        cut = next((n.by for n in negatives if n.by > chain.points[-1].by), None)
        if cut is not None and cut <= chain.held_until:
            chain.held_until, chain.ends = cut - DAY, PartialDate(cut - DAY, cut - DAY, "day")
    return chains


def _chain(timeline: Timeline, points: list[Dated], validity: Validity) -> Chain:
    """The chain's validity: each renewal before the previous expiry extends it by a cycle from that
    expiry (ISO/IEC 17021-1), a stated validity stands, an edition's transition deadline ends it."""
    held, ends, evidenced, stated = points[0].by, points[0].when, [], None
    expiry: tuple[dt.date, PartialDate] | None = None
    for e in points:
        assert e.by is not None
        months, _ = validity(e)
        if e.own_days:
            evidenced.append(e.own_days)
        if e.valid_until is not None and e.valid_until.start is not None:
            candidate = (last_day(e.valid_until), e.valid_until)  # stated: to its latest day
            evidenced.append((e.by, e.valid_until.start))
            end = last_day(e.valid_until)
            stated = max(stated or end, end)
        elif months is None:
            candidate = (e.by, e.when)
        elif (
            e.type in STARTS
            and expiry is not None
            and e.by <= expiry[0]
            and timeline.rules.lifecycle == "certification"
        ):
            renewed = expiry[1]
            # the cycle runs on from the day after the expiry
            if renewed.precision not in ("month", "year"):
                renewed = next_day(renewed)
            candidate = (
                add_months(expiry[0] + DAY, months) - DAY,
                shifted(renewed, months, last_day=True),
            )
        else:
            candidate = (ends_after(e.when, months), shifted(e.when, months, last_day=True))
        if e.type in STARTS or e.valid_until is not None:
            expiry = candidate
        elif expiry is not None and expiry[0] >= candidate[0]:
            # an audit within a known cycle: the certificate runs to the cycle's end
            candidate = expiry
        deadline = _deadline(timeline, e)
        if deadline is not None and deadline < candidate[0]:
            candidate = (deadline, PartialDate(deadline, deadline, "day"))
        if candidate[0] >= held:
            held, ends = candidate
    return Chain(list(points), held, ends, evidenced, stated)


def _deadline(timeline: Timeline, e: Dated) -> dt.date | None:
    code, _ = edition_on(timeline, e.by, e)
    edition = next((ed for ed in timeline.editions if ed.code == code), None)
    return edition.certificates_valid_until if edition else None


def edition_on(
    timeline: Timeline, day: dt.date, upto: Dated | None = None
) -> tuple[str | None, bool]:
    """The edition in force: the latest evidence naming one (dated on or before the day, or undated
    when its edition was published by then and after the dated one's), else the newest published
    edition at the start of the certificate, flagged inferred."""
    named, named_by = None, None
    for e in timeline.dated:
        if e.by > day or (upto is not None and (e.by, e.id) > (upto.by, upto.id)):
            break
        if e.edition is not None:
            named, named_by = e.edition, e.by
    published = {ed.code: ed.published for ed in timeline.editions}
    for u in timeline.undated:
        when = published.get(u.edition) if u.edition is not None else None
        if when is None or when > day:
            continue
        if named is None or named_by is None or when > named_by:
            named, named_by = u.edition, when
    if named is not None:
        return named, False
    held = [e for e in timeline.dated if e.type in HOLDS and e.by <= day]
    if timeline.rules.lifecycle != "certification" or not held:
        return None, False
    # the last renewal, if any
    start = next((e.by for e in reversed(held) if e.type in STARTS), held[-1].by)
    candidates = [
        (ed.published, ed.code)
        for ed in timeline.editions
        if not ed.draft and ed.published is not None and ed.published <= start
    ]
    return (max(candidates, key=lambda c: c[0])[1], True) if candidates else (None, False)


# ---------------------------------------------------------------- the status on a day


@lru_cache(maxsize=65536)
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
