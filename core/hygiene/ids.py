"""Ids from URLs and forms: ASCII digits within the id column's range.

Werkzeug's ``int`` converter matches ``\\d``, which includes every script's
digits (``/clusters/１`` was cluster 1), and any size (``2**63`` overflows
SQLite, ``2**31`` PostgreSQL's ``integer``, both as a 500). Ids are
``INTEGER`` primary keys: 1 to 2**31 - 1 on both databases.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``; SQLite's limit is larger


def is_valid_id(value: Any) -> bool:
    """True for an ``int`` (not ``bool``) from 0 to ``MAX_ID``: one an id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """An id from a query string or form value, or None when it is not one (``"１"``, ``"9" * 30``)."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: a URL that is not a valid id (or has leading zeros) matches nothing (404).

    A subclass of Werkzeug's converter, so code asking "is this an int part?" still works.
    """

    # Canonical digits only: "/clusters/01" is not another name for cluster 1.
    regex = r"(?:0|[1-9][0-9]{0,9})"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValidationError()
        return parsed

    def to_url(self, value: Any) -> str:
        return str(int(value))
