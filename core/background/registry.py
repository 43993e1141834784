"""Sources of background jobs: core's own (registered on the app) and the plugins' (a hook)."""

from __future__ import annotations

import logging

from flask import Flask

from core.plugins.state import is_enabled
from core.plugins.types import JobSource

log = logging.getLogger(__name__)
_KEY = "core_job_sources"


def register_job_source(app: Flask, source: JobSource) -> None:
    """Make ``source`` part of the admin's jobs page and the failed-job alerts (core features).

    Plugins use the ``designing_clusters_job_sources`` hook instead. A second source
    with the same ``kind`` replaces the first.
    """
    app.extensions.setdefault(_KEY, {})[source.kind] = source


def job_sources(app: Flask) -> tuple[list[JobSource], list[str]]:
    """Every source, by ``order``; and the plugins whose hook failed (their jobs are left out)."""
    sources: dict[str, JobSource] = dict(app.extensions.get(_KEY, {}))
    host = app.extensions["plugin_host"]
    failed: list[str] = []
    for slug, found in host.call_each("designing_clusters_job_sources", is_enabled):
        if found is None:
            failed.append(slug)
            continue
        for source in found:
            sources.setdefault(source.kind, source)
    return sorted(sources.values(), key=lambda s: (s.order, s.kind)), failed
