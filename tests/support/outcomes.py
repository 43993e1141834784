"""A test-only stand-in for the service that records workshop outcomes.

The real ``designing_clusters_agreed_outcomes`` lives with the workshops (engagements);
the tools' tests register this tiny plugin instead, so they depend only on the hook.
"""

from __future__ import annotations

import types
from contextlib import contextmanager
from typing import Iterator

from flask import Flask

from core.api import AgreedOutcome, ClusterContext, ToolInfo, hookimpl

NAME = "test_outcomes"


@contextmanager
def recorded_outcomes(app: Flask, by_cluster: dict[int, list[AgreedOutcome]]) -> Iterator[None]:
    """While active, ``core.api.agreed_outcomes(cluster)`` returns ``by_cluster[cluster.id]``."""
    module = types.ModuleType(NAME)

    def tool_info() -> ToolInfo:
        return ToolInfo(slug=NAME, title="Workshop outcomes (test)", summary="Test stand-in.", version="1.0.0",
                        kind="service")

    def outcomes(cluster: ClusterContext) -> list[AgreedOutcome]:
        return list(by_cluster.get(cluster.id, []))

    module.designing_clusters_tool_info = hookimpl(tool_info)  # type: ignore[attr-defined]
    module.designing_clusters_agreed_outcomes = hookimpl(outcomes)  # type: ignore[attr-defined]
    host = app.extensions["plugin_host"]
    host.register(module, NAME)
    try:
        yield
    finally:
        host.tools.pop(host.slug_by_plugin_name.pop(NAME), None)
        host.pm.unregister(name=NAME)
