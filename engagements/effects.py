"""Side effects that must only happen once a transaction has committed.

Emails are queued with ``after_commit`` while a service function decides what
happened, and sent by ``commit()`` after the database has accepted the change.
If the transaction loses a race or rolls back, nothing is sent.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import Callable

from flask import current_app, g, has_request_context

from core.api import db

log = logging.getLogger(__name__)


def after_commit(action: Callable[[], None]) -> None:
    g.setdefault("_engagements_after_commit", []).append(action)


def discard() -> None:
    g.pop("_engagements_after_commit", None)


def rollback() -> None:
    db.session.rollback()
    discard()


def commit() -> None:
    """Commit, then run the queued actions; mail kept in the outbox is committed too."""
    db.session.commit()
    actions = g.pop("_engagements_after_commit", [])
    if not actions:
        return
    # Core's email templates read the request; CLI runs and tests have none.
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["BASE_URL"]
    )
    with context:
        for action in actions:
            try:
                action()
            except Exception:  # noqa: BLE001 - a failed notification must not undo a committed payment
                log.exception("engagements: post-commit action failed")
    db.session.commit()
