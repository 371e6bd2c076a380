"""The evidence of one adoption, analysed once: dated and undated, grouped into chains of one
unbroken certificate (or practice) with their validities, and the edition in force
(registry/status/rules.py reads the status of each day from it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import cast

from registry.dates import PartialDate
from registry.status.evidence import (
    ASSESSING,
    DAY,
    HOLDS,
    NEGATIVE,
    STARTS,
    Dated,
    Edition,
    Evidence,
    Rules,
    Validity,
    add_months,
    ends_after,
    first_day,
    last_day,
    next_day,
    shifted,
)


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
