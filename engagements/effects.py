"""Notifications that must go out only with the change that caused them.

Service functions queue emails with ``after_commit`` while they decide what
happened; ``commit()`` records them in the same transaction as the change and
the worker delivers them once it commits. If the transaction loses a race or
rolls back, nothing is sent.
"""

from __future__ import annotations

import logging
from typing import Callable

from flask import g

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
    """Commit the change together with its notifications: all of them or none.

    Each queued action records its emails in the session (``core.api.send_email``
    makes a mail a row of this transaction, delivered by the worker after the
    commit), so the actions run first and one commit keeps both: no email
    without its change, and no change whose emails are lost.
    """
    actions = g.pop("_engagements_after_commit", [])
    if actions:
        _run(actions)
    db.session.commit()


def _run(actions: list[Callable[[], None]]) -> None:
    with background_request_context():  # links in emails need a request, also from the CLI
        for action in actions:
            try:
                action()
            except Exception:  # noqa: BLE001 - a template error must not lose the payment it reports
                log.exception("engagements: notification failed")
