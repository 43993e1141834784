"""Page numbers from the query string, bounded so an offset never overflows."""

from __future__ import annotations

from flask import request

MAX_PAGE = 10_000


def page_number(arg: str = "page") -> int:
    """The 1-based page asked for in ``?<arg>=``: 1 when missing or not ASCII digits, at most ``MAX_PAGE``."""
    raw = request.args.get(arg, "1")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(1, int(raw)), MAX_PAGE)
