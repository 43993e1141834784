"""Is a background worker running? Each worker writes a heartbeat; pages read the newest.

Reports, mail, Stripe payments and scheduled jobs wait in the queue while no worker
runs, and nothing else would tell anyone why. Each Celery worker's main process writes
its row in ``worker_heartbeats`` every ``HEARTBEAT_EVERY_SECONDS`` (workers.heartbeat);
a worker is taken as gone once ``SILENT_AFTER_SECONDS`` pass without one (three missed
heartbeats, so one slow database write does not raise an alarm). A clean shutdown marks
the row stopped at once.

Heartbeats are written with Core statements on their own connection, not through the
request's ORM session: they never count as data changes (core.data_version), so they do
not make cached pages render again every 30 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from flask import current_app, g, has_request_context
from sqlalchemy import delete, insert, select, update

from core.background.models import WorkerHeartbeat
from core.extensions import db
from core.models import utcnow

HEARTBEAT_EVERY_SECONDS = 30
SILENT_AFTER_SECONDS = 3 * HEARTBEAT_EVERY_SECONDS
#: Rows of workers not heard from for this long are deleted: a crashed worker stays listed for a
#: day, long enough to be noticed, while hosts renamed by each deploy (containers) do not pile up.
FORGET_AFTER = timedelta(days=1)

WorkerState = Literal["running", "silent", "stopped", "never", "in-process"]


@dataclass(frozen=True)
class WorkerNode:
    """One worker as last heard of: ``node`` is Celery's node name ("celery@host")."""

    node: str
    started_at: datetime
    seen_at: datetime
    stopped_at: datetime | None
    alive: bool


@dataclass(frozen=True)
class WorkerStatus:
    """Whether background work will run now.

    ``state``: "running" (a worker was heard from within ``SILENT_AFTER_SECONDS``),
    "silent" (none lately, and the last one heard from did not say it stopped: crashed or cut
    off), "stopped" (none lately, and the last one heard from shut down cleanly), "never" (no
    worker has ever reported), "in-process"
    (``CELERY_TASK_ALWAYS_EAGER``: jobs run inside the request, no worker is needed).
    ``last_seen`` is the newest heartbeat (UTC) or None; ``nodes`` newest first.
    """

    state: WorkerState
    last_seen: datetime | None = None
    nodes: list[WorkerNode] = field(default_factory=list)

    @property
    def work_waits(self) -> bool:
        """True when queued work will not start until a worker comes (back)."""
        return self.state in ("silent", "stopped", "never")


def record_heartbeat(node: str, *, stopping: bool = False, starting: bool = False) -> None:
    """Upsert ``node``'s row: seen now; ``starting`` resets started_at, ``stopping`` sets stopped_at.

    Raises ``sqlalchemy.exc.SQLAlchemyError`` when the database cannot be written (the caller,
    a worker thread, logs it and tries again at the next beat).
    """
    now = utcnow()
    table = WorkerHeartbeat.__table__
    values: dict[str, object] = {"seen_at": now, "stopped_at": now if stopping else None}
    if starting:
        values["started_at"] = now
    with db.engine.begin() as connection:
        changed = connection.execute(update(table).where(table.c.node == node[:200]).values(**values)).rowcount
        if not changed:
            connection.execute(insert(table).values({"node": node[:200], "started_at": now, **values}))
        connection.execute(delete(table).where(table.c.seen_at < now - FORGET_AFTER))


def worker_status(now: datetime | None = None) -> WorkerStatus:
    """The workers' state as of ``now`` (UTC, default the clock); one statement, memoised per request."""
    if current_app.config.get("CELERY_TASK_ALWAYS_EAGER"):
        return WorkerStatus("in-process")
    if now is None and has_request_context() and "worker_status" in g:
        return g.worker_status  # type: ignore[no-any-return]
    moment = now or utcnow()
    table = WorkerHeartbeat.__table__
    rows = db.session.execute(select(table).order_by(table.c.seen_at.desc()).limit(20)).all()
    silent_after = timedelta(seconds=SILENT_AFTER_SECONDS)
    nodes = [
        WorkerNode(r.node, r.started_at, r.seen_at, r.stopped_at,
                   alive=r.stopped_at is None and moment - r.seen_at <= silent_after)
        for r in rows
    ]
    if any(n.alive for n in nodes):
        state: WorkerState = "running"
    elif not nodes:
        state = "never"
    else:  # the worker heard from last decides: stopped cleanly, or crashed / cut off
        state = "stopped" if nodes[0].stopped_at is not None else "silent"
    status = WorkerStatus(state, nodes[0].seen_at if nodes else None, nodes)
    if now is None and has_request_context():
        g.worker_status = status
    return status
