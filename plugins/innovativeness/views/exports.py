"""Round exports: PDF (charts and tables), CSV of anonymised answers, JSON."""

from __future__ import annotations

from flask import abort, jsonify, render_template

from core.api import csv_response, current_cluster, members_only, pdf_response, render_pdf
from plugins.innovativeness import exports as service
from plugins.innovativeness import rounds
from plugins.innovativeness.facts import fact_lines, fact_sheet_of
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.presenters import group_table, round_profile
from plugins.innovativeness.results import comparison_with_previous, round_results
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import load_round, require_results_access

TOO_FEW = "Exports need at least 3 submitted answers, so that no individual can be singled out."


@cluster_bp.get("/rounds/<int:round_id>/results.pdf")
def results_pdf(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    require_results_access(rnd)
    results = round_results(rnd)
    if not results.visible:
        abort(409, description=TOO_FEW)
    bank = get_bank(rnd.bank_version)
    comparison = comparison_with_previous(rnd, results)
    html = render_template(
        "innovativeness/pdf/round.html",
        round=rnd, bank=bank, results=results,
        profile=round_profile(bank, results, comparison, chart_size=380),
        groups=group_table(bank, results), comparison=comparison,
        rate=rounds.response_rates([rnd.id])[rnd.id],
        facts=fact_lines(bank, fact_sheet_of(rnd)) if bank.facts else [],
        is_manager=current_cluster().is_manager,
    )
    return pdf_response(render_pdf(html), f"innovativeness-round-{rnd.id}.pdf")


@cluster_bp.get("/rounds/<int:round_id>/answers.csv")
@members_only  # one row per respondent, even anonymised: not for a consultant, who reads aggregates only
def answers_csv(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    require_results_access(rnd)
    text = service.anonymised_answers_csv(rnd)
    if text is None:
        abort(409, description=TOO_FEW)
    return csv_response(text, f"innovativeness-round-{rnd.id}-answers.csv")


@cluster_bp.get("/rounds/<int:round_id>/results.json")
def results_json(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    require_results_access(rnd)
    response = jsonify(service.results_document(rnd))
    response.headers["Content-Disposition"] = f'attachment; filename="innovativeness-round-{rnd.id}.json"'
    return response
