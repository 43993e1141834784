"""The results page of a round (managers always; members once published)."""

from __future__ import annotations

from flask import render_template

from core.api import current_cluster
from plugins.innovativeness import benchmark, rounds
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.forms import ActionForm
from plugins.innovativeness.presenters import group_table, round_profile
from plugins.innovativeness.results import comparison_with_previous, round_results
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import load_round, require_results_access


@cluster_bp.get("/rounds/<int:round_id>/results")
def round_results_page(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    require_results_access(rnd)
    bank = get_bank(rnd.bank_version)
    results = round_results(rnd)
    comparison = comparison_with_previous(rnd, results) if results.visible else None
    position = benchmark.benchmark_position(cluster_id) if results.visible and rnd.closed_at else None
    return render_template(
        "innovativeness/results.html",
        round=rnd,
        bank=bank,
        results=results,
        profile=round_profile(bank, results, comparison, position) if results.visible else None,
        groups=group_table(bank, results) if results.visible else None,
        comparison=comparison,
        position=position,
        rate=rounds.response_rates([rnd.id])[rnd.id],
        is_manager=current_cluster().is_manager,
        form=ActionForm(),
    )
