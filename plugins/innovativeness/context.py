"""Run template rendering and URL building outside a request (CLI, workers, tests).

Core's layout context processor reads ``request``; emails and report sections
are also produced from commands and background tasks, so those code paths
enter a request context built from ``BASE_URL`` when none is active.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context


def request_context() -> AbstractContextManager:
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["BASE_URL"])
