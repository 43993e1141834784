from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from core.extensions import limiter
from core.proposals import services
from core.proposals.forms import ProposalForm

bp = Blueprint("proposals", __name__)


@bp.route("/collaborate", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def propose():  # type: ignore[no-untyped-def]
    form = ProposalForm()
    if form.validate_on_submit():
        services.submit_proposal(
            form.name.data, form.email.data, form.organisation.data or "", form.kind.data, form.message.data
        )
        flash("Thank you! Your proposal is with our team; a confirmation is on its way to your inbox.", "success")
        return redirect(url_for("proposals.propose"))
    return render_template("proposals/form.html", form=form), 400 if form.errors else 200
