"""The manager's fact sheet of a round: a form (GET shows, POST saves)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from core.api import current_cluster, manager_required
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.facts import FactError, fact_lines, fact_sheet_of, parse_facts, save_facts
from plugins.innovativeness.forms import ActionForm
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import load_round


@cluster_bp.route("/rounds/<int:round_id>/facts", methods=["GET", "POST"])
@manager_required
def fact_sheet(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    bank = get_bank(rnd.bank_version)
    if not bank.facts:
        abort(404, description=f"Question bank version {bank.version} has no fact sheet.")
    form = ActionForm()
    errors: dict[str, str] = {}
    posted = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        posted = request.form
        try:
            save_facts(rnd, current_cluster().user_id, parse_facts(bank, request.form))
        except FactError as exc:
            errors = exc.errors
        else:
            flash("The fact sheet is saved; it appears beside the round's results.", "success")
            return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=rnd.id))
    return render_template(
        "innovativeness/facts.html", round=rnd, bank=bank, lines=fact_lines(bank, fact_sheet_of(rnd)),
        errors=errors, posted=posted, form=form,
    ), (400 if errors else 200)
