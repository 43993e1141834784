"""Each forked pool process opens its own database connections.

The worker's main process uses the database before and after it forks its pool
(the heartbeat thread writes every 30 s), so a child forked later would inherit
pooled connections whose sockets the parent still uses. SQLAlchemy's advice for
multiprocessing: ``engine.dispose(close=False)`` in the child, which forgets the
inherited connections without closing the parent's
(https://docs.sqlalchemy.org/en/20/core/pooling.html#using-connection-pools-with-multiprocessing-or-os-fork).
"""

from __future__ import annotations

from typing import Any

from celery.signals import worker_process_init
from flask import Flask

from core.extensions import db


def fresh_connections_in_pool_processes(app: Flask) -> None:
    """Connect ``worker_process_init``: forget inherited pooled connections in each pool process."""

    @worker_process_init.connect(weak=False)
    def _forget_inherited(**_: Any) -> None:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
