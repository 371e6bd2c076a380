"""Opaque cursors for keyset paging."""

from __future__ import annotations

import base64
import binascii

from registry.errors import BadParameter
from registry.i18n import gettext


def encode_cursor(last_key: str) -> str:
    return base64.urlsafe_b64encode(last_key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The key after which the next page starts; 400 naming `cursor` if it was not one of ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadParameter("cursor", gettext("not a cursor returned by this API")) from None
    if not key:
        raise BadParameter("cursor", gettext("not a cursor returned by this API"))
    return key
