"""One writer at a time on SQLite, across the threads and processes of one machine.

SQLite accepts one writer at a time; a writer that collides waits in SQLite's
busy handler, which sleeps in growing steps (up to 100 ms) and makes the slowest
deliveries very slow. Webhook requests (several gunicorn workers) and the worker's
fulfilment therefore queue here instead: a re-entrant thread lock within the
process, and an ``flock`` on a file next to the database between processes (the
kernel wakes the next waiter at once). PostgreSQL needs no such queue: its row
locks and the unique index do the work.
"""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import nullcontext
from typing import ContextManager

from core.api import db


class _SQLiteWriter:
    """Re-entrant (an eager task may fulfil inside a caller's lock); the file is opened per process."""

    def __init__(self, path: str) -> None:
        self.path = path  # "" for an in-memory database: the thread lock is enough
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.pid = 0
        self.fd = -1

    def __enter__(self) -> None:
        self.thread_lock.acquire()
        self.depth += 1
        if self.depth == 1 and self.path:
            fcntl.flock(self._file(), fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        if self.depth == 0 and self.path:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.thread_lock.release()

    def _file(self) -> int:
        if self.pid != os.getpid():  # a descriptor inherited through fork would share the parent's lock
            self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self.fd


_WRITERS: dict[str, _SQLiteWriter] = {}
_WRITERS_LOCK = threading.Lock()


def one_writer() -> ContextManager[object]:
    """Queue for the database's single writer slot on SQLite; nothing on PostgreSQL."""
    bind = db.session.get_bind()
    if bind.dialect.name != "sqlite":
        return nullcontext()
    database = bind.engine.url.database or ""
    with _WRITERS_LOCK:
        if database not in _WRITERS:
            _WRITERS[database] = _SQLiteWriter(f"{database}.writer-lock" if database not in ("", ":memory:") else "")
        return _WRITERS[database]
