"""The results page of a round (managers always; members once published).

The body of the page is rendered once per state of the round and viewer role
and kept for a minute (``TimedLRU``): the statistics of a thousand
questionnaires, the actor-type table and the chart then cost nothing on the
next view. The publish button, which carries the viewer's CSRF token, stays
outside the cached part.
"""

from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

from core.api import agreed_outcomes, cacheable, current_cluster
from plugins.innovativeness import benchmark, rounds
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.cache import TimedLRU
from plugins.innovativeness.facts import fact_lines, fact_sheet_of
from plugins.innovativeness.forms import ActionForm
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.outcomes import decisions_by_driver
from plugins.innovativeness.presenters import group_table, round_profile
from plugins.innovativeness.results import comparison_with_previous, results_key, round_results
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import load_round, require_results_access

# Emptied with the results cache (cache.clear_all) when results change.
_bodies: TimedLRU[Markup] = TimedLRU(size=256, ttl_seconds=60)


def _render_body(
    rnd: AssessmentRound, is_manager: bool, per_respondent_exports: bool, same_stage: bool = False
) -> Markup:
    bank = get_bank(rnd.bank_version)
    results = round_results(rnd)
    comparison = comparison_with_previous(rnd, results) if results.visible else None
    position = (
        benchmark.benchmark_position(rnd.cluster_id, rnd.bank_version, same_stage)
        if results.visible and rnd.closed_at else None
    )
    return Markup(
        render_template(
            "innovativeness/_results_body.html",
            round=rnd,
            bank=bank,
            results=results,
            profile=round_profile(bank, results, comparison, position) if results.visible else None,
            groups=group_table(bank, results) if results.visible else None,
            comparison=comparison,
            position=position,
            rate=rounds.response_rates([rnd.id])[rnd.id],
            is_manager=is_manager,
            per_respondent_exports=per_respondent_exports,
        )
    )


@cluster_bp.get("/rounds/<int:round_id>/results")
@cacheable
def round_results_page(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    require_results_access(rnd)
    cluster = current_cluster()
    is_manager = cluster.is_manager
    # A consultant reads aggregates only: no link to the one-row-per-respondent CSV.
    per_respondent = not cluster.is_consultant
    same_stage = request.args.get("peers") == "stage"
    # Opting in to the benchmark (here or in another cluster) changes the page: part of the key.
    key = (*results_key(rnd), rnd.published_at, is_manager, per_respondent, same_stage, benchmark.benchmark_state())
    body = _bodies.get_or_compute(key, lambda: _render_body(rnd, is_manager, per_respondent, same_stage))
    bank = get_bank(rnd.bank_version)
    facts = fact_lines(bank, fact_sheet_of(rnd)) if bank.facts else []
    # Outside the cached body: workshop decisions change independently of the answers.
    workshop = decisions_by_driver(bank, agreed_outcomes(cluster))
    results = round_results(rnd)
    medians = results.medians() if results.visible else {}
    return render_template(
        "innovativeness/results.html", round=rnd, body=body, is_manager=is_manager, form=ActionForm(), facts=facts,
        workshop=workshop, medians=medians,
    )
