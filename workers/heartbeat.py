"""The worker's heartbeat: a thread of the main process that says "alive" every 30 s.

A thread rather than a scheduled task, so it reports the worker itself: it beats
while the pool is busy with a long report and does not depend on ``--beat``. Why
pages need it: core.background.heartbeat.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.signals import worker_ready, worker_shutdown
from flask import Flask

from core.background.heartbeat import HEARTBEAT_EVERY_SECONDS, record_heartbeat

log = logging.getLogger(__name__)


class Heartbeat:
    """Writes ``node``'s heartbeat now and then every ``every`` seconds until ``stop()``."""

    def __init__(self, app: Flask, node: str, every: float = HEARTBEAT_EVERY_SECONDS) -> None:
        self.app, self.node, self.every = app, node, every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dc-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop beating and mark the worker stopped (a clean shutdown shows at once)."""
        self._stopped.set()
        self._thread.join(timeout=5)
        self._write(stopping=True)

    def _run(self) -> None:
        self._write(starting=True)
        while not self._stopped.wait(self.every):
            self._write()

    def _write(self, **how: bool) -> None:
        try:
            with self.app.app_context():
                record_heartbeat(self.node, **how)
        except Exception:  # the database may be away for a moment: try again at the next beat
            log.warning("heartbeat of %s could not be written", self.node, exc_info=True)


def beat_while_running(app: Flask) -> None:
    """Start a ``Heartbeat`` when this process's worker is ready; stop it at shutdown."""
    running: dict[str, Heartbeat] = {}

    @worker_ready.connect(weak=False)
    def _ready(sender: Any = None, **_: Any) -> None:
        beat = Heartbeat(app, str(getattr(sender, "hostname", None) or "celery@unknown"))
        running["beat"] = beat
        beat.start()

    @worker_shutdown.connect(weak=False)
    def _shutdown(sender: Any = None, **_: Any) -> None:
        beat = running.pop("beat", None)
        if beat is not None:
            beat.stop()
