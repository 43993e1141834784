"""GET /healthz: 200 with the database and background worker status, 503 when the database is unreachable.

A silent worker does not turn the answer into 503: the web app still serves pages, and a
load balancer must not take it out of rotation for that. Monitoring reads ``worker``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.background.heartbeat import worker_status
from core.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():  # type: ignore[no-untyped-def]
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unreachable"
    status = 200 if database == "ok" else 503
    body: dict[str, object] = {"status": "ok" if status == 200 else "degraded", "database": database}
    if database == "ok":
        worker = worker_status()
        body["worker"] = worker.state  # running, silent, stopped, never or in-process
        body["worker_last_seen"] = worker.last_seen.isoformat() if worker.last_seen else None
    return jsonify(body), status


@bp.get("/ping")
@limiter.exempt
def ping():  # type: ignore[no-untyped-def]
    """The trivial route benchmarks compare against: no database, no template."""
    return "pong", 200, {"Content-Type": "text/plain"}
