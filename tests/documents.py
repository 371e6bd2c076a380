"""Checks shared by the tests of documents that SQL builds and the API sends on as they are."""

from __future__ import annotations

from typing import Any

import msgspec


def key_order(value: Any) -> Any:
    """The key order of a document, all the way down."""
    if isinstance(value, dict):
        return [(key, key_order(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [key_order(item) for item in value]
    return None


def assert_follows(document: Any, struct: type[msgspec.Struct], what: str) -> None:
    """`document` is exactly what `struct` (its published schema) describes: the same values once converted
    and back (a whole float such as an area of 10 km² is written 10, a valid JSON number), the same fields in
    the same order, all the way down."""
    as_struct = msgspec.to_builtins(msgspec.convert(document, struct))
    assert document == as_struct, what
    assert key_order(document) == key_order(as_struct), what


def without_display(value: Any) -> Any:
    """A document with what the labelling adds taken out again (`<key>_label(s)`, `<key>_display`,
    `country_name` next to a country code, `name` next to `name_local`): the machine values alone."""
    if isinstance(value, list):
        return [without_display(item) for item in value]
    if not isinstance(value, dict):
        return value
    added = {key for key in value if key.endswith(("_label", "_labels", "_display"))}
    if "country_code" in value or "country" in value:
        added.add("country_name")
    if "name_local" in value and "name_latin" in value:
        added.add("name")
    return {key: without_display(item) for key, item in value.items() if key not in added}
