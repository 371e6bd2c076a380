"""Dates with a precision: '2003', '2016-03', '2006-09-11', '2006-07-31/2006-08-02', or unknown."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import msgspec

from registry.errors import BadParameter

PRECISIONS = ("day", "month", "year", "range", "unknown")
# the precisions format_partial() writes otherwise than as the start's ISO day when the end is the
# start
NOT_A_DAY = frozenset(("month", "year", "unknown"))
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The days the registry records facts on and answers for. Past them, asyncpg sends 9999-12-31 and
# 0001-01-01 to PostgreSQL as +/-infinity (an answer's date came back empty, a stored valid_until
# vanished), and the day after 9999-12-31 overflows Python's dates.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
OUTSIDE = f"lies outside the days the registry records, {FIRST_DAY} to {LAST_DAY}"


def _years(first: int, last: int) -> str:
    """The years first..last as a regular expression, a century at a time:
    (19[0-9]{2}|20[0-9]{2}|2100)."""
    parts = []
    for century in range(first // 100, last // 100 + 1):
        low, high = max(first, century * 100), min(last, century * 100 + 99)
        parts.append(
            f"{century}[0-9]{{2}}"
            if (low, high) == (century * 100, century * 100 + 99)
            else "|".join(str(year) for year in range(low, high + 1))
        )
    return "(" + "|".join(parts) + ")"


# for patterns: what the OpenAPI document says of days and periods
YEARS = _years(FIRST_DAY.year, LAST_DAY.year)


def in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def as_of_day(as_of: dt.date | None) -> dt.date:
    """The day an answer is computed on: `as_of`, by default today; 400 naming as_of outside
    FIRST_DAY..LAST_DAY."""
    day = as_of or dt.date.today()
    if not in_range(day):
        raise BadParameter("as_of", f"{day} {OUTSIDE}")
    return day


class PartialDate(msgspec.Struct, frozen=True):
    """A date as precise as its source: the earliest and latest day it can mean."""

    start: dt.date | None
    end: dt.date | None
    precision: str

    def text(self) -> str | None:
        """The date written back at its own precision ('2003', '2016-03', 'a/b'), None if
        unknown."""
        return format_partial(self.start, self.end, self.precision)


def parse_partial(value: str | None) -> PartialDate:
    """Parse a partial date string; raises ValueError with a readable reason."""
    if value is None or value == "":
        return PartialDate(None, None, "unknown")
    value = value.strip()
    if "/" in value:
        left, _, right = value.partition("/")
        a, b = parse_partial(left), parse_partial(right)
        if a.start is None or b.end is None:
            raise ValueError(f"range {value!r} needs two dates")
        if b.end < a.start:
            raise ValueError(f"range {value!r} ends before it starts")
        return PartialDate(a.start, b.end, "range")
    try:
        if _YEAR.match(value):
            year = int(value)
            when = PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        elif _MONTH.match(value):
            year, month = int(value[:4]), int(value[5:])
            last = calendar.monthrange(year, month)[1]
            when = PartialDate(dt.date(year, month, 1), dt.date(year, month, last), "month")
        elif _DAY.match(value):
            day = dt.date.fromisoformat(value)
            when = PartialDate(day, day, "day")
        else:
            when = None
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date: {exc}") from None
    if when is not None:
        if not all(day is not None and in_range(day) for day in (when.start, when.end)):
            raise ValueError(f"{value!r} {OUTSIDE}")
        return when
    raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or a range A/B")


def format_partial(start: dt.date | None, end: dt.date | None, precision: str) -> str | None:
    """Write a stored (start, end, precision) back as its partial-date string."""
    if start is None or precision == "unknown":
        return None
    if precision == "year":
        return f"{start.year:04d}"
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "range" and end is not None and end != start:
        return f"{start.isoformat()}/{end.isoformat()}"
    return start.isoformat()
