"""A row's values as a write body, with every problem in a curator's words (no decoder wording): the
field, the value given, what is wrong, and for coded fields the allowed values."""

from __future__ import annotations

import re
import typing
from typing import Any, Literal, get_args, get_origin

import msgspec

from registry.curation.rows import Reader, RowError, RowErrors

_AT = re.compile(r" - at `\$\.([A-Za-z_]+)(?:\[\d+\])?[^`]*`$")


def allowed_values(target: type, field: str) -> list[str] | None:
    """The codes a field of a write body takes (its Literal), or None."""
    try:
        hint = typing.get_type_hints(target, include_extras=True).get(field)
    except Exception:  # noqa: BLE001 - a struct whose hints cannot be read has no list to give
        return None
    found: list[str] = []

    def walk(t: Any) -> None:
        if get_origin(t) is Literal:
            found.extend(str(a) for a in get_args(t))
        else:
            for arg in get_args(t):
                walk(arg)

    walk(hint)
    return found or None


def explain(message: str) -> str:
    """msgspec's message without its wording: what is wrong, said plainly."""
    text = _AT.sub("", message)
    rules = [
        (r"Invalid enum value (.*)", lambda m: f"{m.group(1)} is not one of the allowed values"),
        (r"Expected `str` of length <= (\d+)", lambda m: f"is longer than {m.group(1)} characters"),
        (r"Expected `str` of length >= (\d+)", lambda m: "is empty"),
        (r"Expected `str` matching regex .*", lambda m: "is not in the expected form"),
        (r"Expected `array` of length <= (\d+)", lambda m: f"has more than {m.group(1)} items"),
        (r"Expected `(int|number)` >= (\S+)", lambda m: f"is below {m.group(2)}"),
        (r"Expected `(int|number)` <= (\S+)", lambda m: f"is above {m.group(2)}"),
        (r"Expected `(int|number)` > (\S+)", lambda m: f"must be above {m.group(2)}"),
        (r"Expected `(int|number)` < (\S+)", lambda m: f"must be below {m.group(2)}"),
        (r"Expected `int`, got .*", lambda m: "is not a whole number"),
        (r"Expected `(float|number)`, got .*", lambda m: "is not a number"),
        (r"Expected `bool`, got .*", lambda m: "is not true or false"),
        (r"Expected `str`, got .*", lambda m: "is not text"),
        (
            r"Expected `date`, got .*|Invalid RFC3339 encoded date",
            lambda m: "is not a date (YYYY-MM-DD)",
        ),
        (r"Expected `array`, got .*", lambda m: "is not a list (write a|b in CSV)"),
        (r"Expected `object`, got .*", lambda m: "is not an object"),
        (r"Object missing required field `(\w+)`", lambda m: "is required"),
    ]
    for pattern, say in rules:
        found = re.fullmatch(pattern, text)
        if found:
            return say(found)
    return "is not valid here"


def _field(message: str) -> str | None:
    found = _AT.search(message)
    if found:
        return found.group(1)
    missing = re.search(r"Object missing required field `(\w+)`", message)
    return missing.group(1) if missing else None


def convert(
    data: dict, target: type, reader: Reader | None = None, names: dict[str, str] | None = None
) -> Any:
    """`data` (None values left out) as `target`; every field at fault is reported (each left out in
    turn to find the next), as problems of `reader` when given (then the result may be None), else
    raised together. `names` maps a struct field to the import column it came from."""
    values = {k: v for k, v in data.items() if v is not None}
    problems: list[RowError] = []
    names = names or {}
    result: Any = None
    for _ in range(len(values) + 2):
        try:
            result = msgspec.convert(values, target)
            break
        except msgspec.ValidationError as exc:
            message = str(exc)
            field = _field(message) or "row"
            column = names.get(field, field)
            allowed = allowed_values(target, field) if "enum" in message else None
            if not any(p.field == column for p in problems):
                problems.append(
                    RowError(column, explain(message), value=values.get(field), allowed=allowed)
                )
            if field not in values:
                result = None
                break
            values.pop(field)
    else:
        result = None
    if problems:
        if reader is None:
            raise RowErrors(problems)
        reader.problems += [
            p for p in problems if not any(q.field == p.field for q in reader.problems)
        ]
        return result if not problems else None
    return result
