"""Background tasks sent only when the transaction that needs them commits.

``send_task_after_commit("workers.compose_report", job_id)`` remembers the send
on the current SQLAlchemy session. When the outermost transaction commits, the
task is sent by name to the broker (core never imports ``workers``). When that
transaction — or the savepoint the send was made in — rolls back, nothing is
sent: a worker never sees an id whose row does not exist.

With ``CELERY_TASK_ALWAYS_EAGER`` (tests, the demo loader) the task runs inline
right after the commit, in a fresh app context (so with its own database
session), through the Celery app that ``workers`` registered in
``app.extensions["celery"]``.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from celery import Celery
from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from core.extensions import db

log = logging.getLogger(__name__)
_PENDING = "core_tasks_pending"
_COMMITTED = "core_tasks_committed"
_AFTER_REQUEST = "core_tasks_after_request"
_INLINE: ContextVar[bool] = ContextVar("core_tasks_inline", default=False)


@dataclass(frozen=True)
class _Send:
    app: Flask
    transaction: SessionTransaction
    name: str
    args: tuple[Any, ...]
    after_request: bool = False


def send_task_after_commit(task_name: str, *args: Any, after_request: bool = False) -> None:
    """Send ``task_name(*args)`` once the current transaction commits; never if it rolls back.

    ``args`` must be JSON-serialisable (ids, names). Raises ``RuntimeError`` outside an app context.
    ``after_request``: when tasks run inline (``CELERY_TASK_ALWAYS_EAGER``) and the commit happens
    in a request, run the task when the request ends rather than at the commit: a view that commits
    while holding a lock (the SQLite webhook writer) must not wait there for a second connection.
    """
    session = db.session()
    if not session.in_transaction():
        session.begin()
    transaction = session.get_nested_transaction() or session.get_transaction()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    session.info.setdefault(_PENDING, []).append(_Send(app, transaction, task_name, args, after_request))


#: Slow document work (drafting, PDF rendering): routed to ``CELERY_DOCUMENTS_QUEUE`` when set, so a
#: worker busy rendering never delays payments and mail on the default queue.
DOCUMENT_TASKS = ("workers.compose_report", "workers.render_report", "workers.draft_workshop_brief")


def task_routes(app: Flask) -> dict[str, dict[str, str]]:
    """Celery ``task_routes``: document tasks to ``CELERY_DOCUMENTS_QUEUE`` (empty: no routing)."""
    queue = app.config.get("CELERY_DOCUMENTS_QUEUE") or ""
    return {name: {"queue": queue} for name in DOCUMENT_TASKS} if queue else {}


def sender(app: Flask) -> Celery:
    """The Celery app used to send: the worker's if registered, else one built from config."""
    celery = app.extensions.get("celery") or app.extensions.get("core_celery_sender")
    if celery is None:
        celery = Celery(app.name, broker=app.config["CELERY_BROKER_URL"], backend=app.config["CELERY_RESULT_BACKEND"],
                        set_as_current=False)
        celery.conf.task_default_queue = app.config.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
        celery.conf.task_routes = task_routes(app)
        app.extensions["core_celery_sender"] = celery
    return celery


def send_now(app: Flask, task_name: str, *args: Any) -> None:
    """Send (or, eager, run) a task immediately; for callers with nothing to commit (the reaper)."""
    if app.config.get("CELERY_TASK_ALWAYS_EAGER"):
        celery = app.extensions.get("celery")
        if celery is None:
            raise RuntimeError(
                "CELERY_TASK_ALWAYS_EAGER needs the worker's Celery app: call workers.celery_app.celery_init_app(app)"
            )
        # A fresh app context gives the task its own session (Flask-SQLAlchemy scopes by context).
        token = _INLINE.set(True)  # its own commits run their tasks at once: no request ends for it
        try:
            with app.app_context():
                result = celery.tasks[task_name].apply(args=args)
        finally:
            _INLINE.reset(token)
        if result.failed():
            log.error("task %s%r failed: %s", task_name, args, result.result)
        return
    # Nobody reads these tasks' results (the rows are the truth): no result subscription per send.
    sender(app).send_task(task_name, args=args, ignore_result=True)


def _within(transaction: SessionTransaction, ended: SessionTransaction) -> bool:
    node: SessionTransaction | None = transaction
    while node is not None:
        if node is ended:
            return True
        node = node.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [s for s in pending if not _within(s.transaction, previous_transaction)]


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    if not session.in_nested_transaction():  # a released savepoint commits nothing yet
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_transaction_end")
def _send_committed(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    committed = session.info.pop(_COMMITTED, False)
    pending = session.info.pop(_PENDING, None)
    if not committed:
        return
    for send in pending or ():
        if (send.after_request and send.app.config.get("CELERY_TASK_ALWAYS_EAGER") and has_request_context()
                and not _INLINE.get()):
            g.setdefault(_AFTER_REQUEST, []).append(send)
            continue
        _send_logged(send)


def _send_logged(send: _Send) -> None:
    try:
        send_now(send.app, send.name, *send.args)
    except Exception:  # the change is committed; the reaper re-sends lost sends
        log.exception("could not send task %s%r", send.name, send.args)


def run_sends_deferred_to_request_end(_exc: BaseException | None = None) -> None:
    """``teardown_request``: run the inline tasks ``after_request`` put off until now."""
    for send in g.pop(_AFTER_REQUEST, []):
        _send_logged(send)
