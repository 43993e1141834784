"""Members answer a round page by page, save, resume and edit until it closes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from core.api import current_cluster
from plugins.innovativeness import rounds
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.forms import ActionForm
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.questionnaire import answered_share, first_incomplete_page, page_of, parse_page
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import load_round, render_questionnaire


def _participant(rnd: AssessmentRound) -> Participant:
    participant = rounds.participant_of(rnd, current_cluster().membership_id)
    if participant is None:
        abort(403, description="You were not invited to this round. Ask the cluster manager to invite you.")
    return participant


def _closed_page(rnd: AssessmentRound, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template("innovativeness/round_closed.html", round=rnd), status


@cluster_bp.get("/rounds/<int:round_id>/answer")
def answer(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    participant = _participant(rnd)
    if not rnd.is_open:
        return _closed_page(rnd)
    start = first_incomplete_page(get_bank(rnd.bank_version), participant.answers) or 1
    return redirect(url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=start))


@cluster_bp.route("/rounds/<int:round_id>/answer/<int:number>", methods=["GET", "POST"])
def answer_page(cluster_id: int, round_id: int, number: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    participant = _participant(rnd)
    bank = get_bank(rnd.bank_version)
    page = page_of(bank, number)
    if page is None:
        abort(404)
    if not rnd.is_open:
        return _closed_page(rnd, 200 if request.method == "GET" else 409)
    form = ActionForm()
    urls = {
        "action": url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=number),
        "back": url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=number - 1) if number > 1 else "",
        "exit": url_for(".round_detail", cluster_id=cluster_id, round_id=round_id),
    }
    extra = {
        "round": rnd,
        "participant": participant,
        "answered_share": answered_share(bank, participant.answers),
        "can_save": True,
    }
    options = {
        "heading": rnd.title,
        "submit_label": "Save my changes" if participant.submitted_at else "Submit my answers",
    }
    if request.method == "GET":
        return render_questionnaire(bank, page, participant.answers, {}, form, urls, extra=extra, **options)
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "next")
    answers, errors = parse_page(page, request.form, require_all=action in {"next", "submit"})
    if errors:
        shown = {**participant.answers, **answers}
        return render_questionnaire(bank, page, shown, errors, form, urls, request.form, extra=extra, **options), 400
    submit = action == "submit" or (action == "next" and page.is_last)
    try:
        complete = first_incomplete_page(bank, {**participant.answers, **answers}) is None
        rounds.save_answers(rnd, participant, answers, submit=submit and complete,
                            organisation_type=current_cluster().organisation_type)
    except rounds.RoundError as exc:
        flash(str(exc), "error")
        return _closed_page(rnd, 409)
    if action == "back":
        return redirect(url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=max(1, number - 1)))
    if action == "save":
        flash("Your answers are saved. You can come back and continue until the round closes.", "success")
        return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=round_id))
    if page.is_last or action == "submit":
        missing = first_incomplete_page(bank, participant.answers)
        if missing is not None:
            flash("Some statements are still unanswered; please complete them to submit.", "error")
            return redirect(url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=missing))
        flash("Thank you — your answers are submitted. You can change them until the round closes.", "success")
        return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=round_id))
    return redirect(url_for(".answer_page", cluster_id=cluster_id, round_id=round_id, number=number + 1))
