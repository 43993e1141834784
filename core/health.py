"""GET /healthz: 200 with the database status, 503 when it is unreachable."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

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
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.get("/ping")
@limiter.exempt
def ping():  # type: ignore[no-untyped-def]
    """The trivial route benchmarks compare against: no database, no template."""
    return "pong", 200, {"Content-Type": "text/plain"}
