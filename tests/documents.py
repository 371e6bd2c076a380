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
