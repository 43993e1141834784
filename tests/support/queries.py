"""Counting the SQL statements a request sends (a ``before_cursor_execute`` listener)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from flask.testing import FlaskClient
from sqlalchemy import event

from core.extensions import db


RENDER_AFRESH = {"Cache-Control": "no-cache"}


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every statement sent through the app's engine inside the block, in order."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for(client: FlaskClient, url: str) -> int:
    """Statements one GET of ``url`` costs once warm (a first GET fills per-process caches); asserts 200.

    The page is rendered, not served from ``core.page_cache`` (a hard reload's ``Cache-Control: no-cache``).
    """
    assert client.get(url).status_code == 200, url
    with counted_statements() as statements:
        response = client.get(url, headers=RENDER_AFRESH)
    assert response.status_code == 200, url
    return len(statements)
