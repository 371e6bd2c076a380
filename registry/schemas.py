"""Shared response pieces: the base struct, list pages, small references."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")
# The end of a pattern, read alike by msgspec and litestar (Python's re) and by JSON Schema (ECMA-262): Python's
# `$` also matches before a final newline, so "abc\n" would pass `^[a-z]+$` there and not in the OpenAPI
# document. Patterns also spell their classes out ([0-9], [!-~]): \d, \s and \w differ between the two.
END = r"$(?!\n)"


class Base(msgspec.Struct, kw_only=True, omit_defaults=False, forbid_unknown_fields=False):
    """Base of every response struct: keyword-only fields; unknown keys from SQL are ignored."""


class Ref(Base, kw_only=True):
    """A reference to another record: its id and name."""

    id: str
    name: str


class Page(Base, Generic[T], kw_only=True):
    """A page of a list: `next` is the cursor for the following page, null on the last one."""

    items: list[T]
    next: str | None = None
