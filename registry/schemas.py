"""Shared response pieces: the base struct, list pages, small references, problems (errors.py)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")
# The end of a pattern, read alike by msgspec and litestar (Python's re) and by JSON Schema
# (ECMA-262): Python's `$` also matches before a final newline, so "abc\n" would pass `^[a-z]+$`
# there and not in the OpenAPI document. Patterns also spell their classes out ([0-9], [!-~]): \d,
# \s and \w differ between the two.
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


class InvalidParam(msgspec.Struct):
    """A value a request gave that the registry refuses, and why."""

    name: str
    reason: str


class Problem(msgspec.Struct, kw_only=True):
    """An error as RFC 9457 describes it: `title` in the answer's language, `detail` naming the
    parameter, field or record at fault, `invalid_params` one entry per value refused. Some problems
    say more (below)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | msgspec.UnsetType = msgspec.UNSET
    invalid_params: list[InvalidParam] | msgspec.UnsetType = msgspec.UNSET
    # 412: the version If-Match should name
    current_version: int | None | msgspec.UnsetType = msgspec.UNSET
    # 409, 422: the rule of the database broken
    constraint: str | None | msgspec.UnsetType = msgspec.UNSET
    # 422 of an import: the report of every row
    report: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    # 403 of an import: the rows out of scope
    rows: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
    # 409: the records an identifier names
    candidates: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET
