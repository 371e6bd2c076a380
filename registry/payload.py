"""JSON request bodies: one decoder for every route (the `data` of writes, through RegistryRequest,
and imports).

Whatever cannot be read is a 400 "Invalid body" naming the field (or the body) and the problem in
plain words, never the decoder's own message as it is, and never a 500: a body nested deeper than
Python's recursion limit (a 2 KB `[[[[…]]]]`) made msgspec raise RecursionError, which nothing
turned into a client error.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
from litestar import Request

from registry.errors import InvalidBody

_MALFORMED = re.compile(r"JSON is malformed: (?P<what>.+) \(byte (?P<byte>\d+)\)$")


def decode_json(body: bytes, line: int | None = None) -> Any:
    """The JSON value of a body (or of line `line` of a JSON Lines file); 400 "Invalid body" if it
    has none."""
    try:
        return msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError) as exc:
        field, problem = _explain(body, exc)
        raise InvalidBody(
            field, f"line {line}: {problem}" if line is not None else problem
        ) from None


def _explain(body: bytes, exc: Exception) -> tuple[str, str]:
    """(field, problem in plain words) for a body msgspec could not decode."""
    if isinstance(exc, RecursionError):
        return "body", (
            "arrays or objects are nested too deeply to be read; no record of the registry nests "
            "more than a few levels"
        )
    message = str(exc)
    if message == "Input data was truncated" and not body.strip():
        return "body", "it is empty; send a JSON value"
    if message == "Input data was truncated" or "surrogate" in message:
        surrogate = _lone_surrogate(body)  # msgspec calls a lone high surrogate a truncation
        if surrogate is not None:
            return surrogate
    if message == "Input data was truncated":
        return "body", "the JSON ends before it is complete"
    if message == "Invalid UTF-8 encoded string":
        return "body", "it is not UTF-8 text"
    if message == "Number out of range":
        return "body", "it holds a number too large to read"
    malformed = _MALFORMED.match(message)
    if malformed:
        return "body", f"not valid JSON at byte {malformed['byte']}: {malformed['what']}"
    return "body", f"not valid JSON: {message[:1].lower()}{message[1:]}"


def _lone_surrogate(body: bytes) -> tuple[str, str] | None:
    """The field holding half of a UTF-16 surrogate pair (`\\ud800`), which is no character, if that
    is what msgspec refused: Python's own decoder reads such text, so it can say where."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                # the key is text too
                stack.extend([(f"{path}.{key}" if path else key, inner), (path, key)])
        elif isinstance(item, list):
            stack.extend((f"{path}[{n}]", inner) for n, inner in enumerate(item))
        elif isinstance(item, str):
            half = next((ch for ch in item if 0xD800 <= ord(ch) <= 0xDFFF), None)
            if half is not None:
                return path or "body", (
                    f"\\u{ord(half):04x} is half of a UTF-16 surrogate pair without its other "
                    "half, which is no character; send the text as valid Unicode"
                )
    return None


class RegistryRequest(Request):
    """litestar's request, reading JSON bodies with decode_json."""

    async def json(self) -> Any:
        return decode_json(await self.body() or b"null")
