"""Notifications that must go out only with the change that caused them.

Service functions queue emails with ``after_commit`` while they decide what
happened; ``commit()`` sends them together with the change. If the
transaction loses a race or rolls back, nothing is sent.
"""

from __future__ import annotations

import logging
from typing import Callable

from flask import current_app, g

from core.api import background_request_context, db

log = logging.getLogger(__name__)


def after_commit(action: Callable[[], None]) -> None:
    g.setdefault("_engagements_after_commit", []).append(action)


def discard() -> None:
    g.pop("_engagements_after_commit", None)


def rollback() -> None:
    db.session.rollback()
    discard()


def commit() -> None:
    """Commit the change together with its notifications, sent once and only if it commits.

    With mail kept in the outbox (no ``MAIL_SERVER``), core stores each email in
    the session, so the emails are rendered first and committed in the same
    transaction: one commit, and no email without its change. With SMTP the
    change is committed first and the emails leave afterwards.
    """
    actions = g.pop("_engagements_after_commit", [])
    outbox = not current_app.config.get("MAIL_SERVER")
    if actions and outbox:
        _run(actions)
        db.session.commit()
        return
    db.session.commit()
    if actions:
        _run(actions)


def _run(actions: list[Callable[[], None]]) -> None:
    with background_request_context():  # links in emails need a request, also from the CLI
        for action in actions:
            try:
                action()
            except Exception:  # noqa: BLE001 - a failed notification must not undo a committed payment
                log.exception("engagements: notification failed")
