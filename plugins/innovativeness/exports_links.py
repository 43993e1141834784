"""Export links for the dashboard: those of the latest round the viewer may read."""

from __future__ import annotations

from flask import url_for

from core.api import ClusterContext, ExportLink
from plugins.innovativeness.recent import recent_rounds
from plugins.innovativeness.rounds import results_readable


def export_links(cluster: ClusterContext) -> list[ExportLink]:
    # The same read as the dashboard widget's (one query for both).
    latest = next((r for r, _ in recent_rounds(cluster.id) if results_readable(r, cluster.reads_aggregates)), None)
    if latest is None:
        return []
    args = {"cluster_id": cluster.id, "round_id": latest.id}
    links = [
        ExportLink(f"Innovativeness: {latest.title} (PDF)", url_for("innovativeness.results_pdf", **args), "application/pdf", 20),
        ExportLink(f"Innovativeness: {latest.title} (JSON)", url_for("innovativeness.results_json", **args), "application/json", 22),
    ]
    if not cluster.is_consultant:  # one row per respondent: members only, aggregates for consultants
        links.append(ExportLink(f"Innovativeness: {latest.title} (CSV of anonymised answers)",
                                url_for("innovativeness.answers_csv", **args), "text/csv", 21))
    return sorted(links, key=lambda link: link.order)
