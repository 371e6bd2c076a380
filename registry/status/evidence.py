"""What the status rules read and answer: the event types and what each shows, a model's rules,
the evidence, the state of a day, and the arithmetic of partial dates they use (registry/status/
rules.py says how the status is derived).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict

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


@lru_cache(maxsize=8192)
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
