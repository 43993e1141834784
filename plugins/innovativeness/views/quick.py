"""The public quick test: start, paged questionnaire, result, PDF, save."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from core.api import limiter, login_required, pdf_response, render_pdf
from plugins.innovativeness import quick as service
from plugins.innovativeness.bank import latest_bank
from plugins.innovativeness.forms import ActionForm, SaveResultForm
from plugins.innovativeness.models import QuickTest
from plugins.innovativeness.presenters import quick_profile
from plugins.innovativeness.questionnaire import first_incomplete_page, page_of, parse_page
from plugins.innovativeness.scoring import score_respondent
from plugins.innovativeness.views import quick_bp
from plugins.innovativeness.views.common import render_questionnaire, user_clusters

SESSION_KEY = "innovativeness_quick_token"


def _load(token: str) -> QuickTest:
    test = service.find_quick_test(token)
    if test is None:
        abort(404, description="This quick test no longer exists: unsaved answers are deleted 24 hours after the start.")
    return test


@quick_bp.get("/")
def intro():  # type: ignore[no-untyped-def]
    token = session.get(SESSION_KEY)
    ongoing = service.find_quick_test(token) if token else None
    return render_template("innovativeness/quick/intro.html", form=ActionForm(), ongoing=ongoing, bank=latest_bank())


@quick_bp.post("/quick")
@limiter.limit("30 per hour")
def start():  # type: ignore[no-untyped-def]
    if not ActionForm().validate_on_submit():
        abort(400)
    test = service.start_quick_test()
    session[SESSION_KEY] = test.token
    return redirect(url_for(".page", token=test.token, number=1))


@quick_bp.route("/quick/<token>/page/<int:number>", methods=["GET", "POST"])
def page(token: str, number: int):  # type: ignore[no-untyped-def]
    test = _load(token)
    bank = service.bank_of(test)
    current = page_of(bank, number)
    if current is None:
        abort(404)
    form = ActionForm()
    if request.method == "GET":
        return render_questionnaire(bank, current, test.answers, {}, form, _urls(token, current.number, current.total))
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "next")
    answers, errors = parse_page(current, request.form, require_all=action != "back")
    if errors:
        shown = {**test.answers, **answers}
        return render_questionnaire(bank, current, shown, errors, form, _urls(token, current.number, current.total), request.form), 400
    service.save_quick_answers(test, answers)
    if action == "back":
        return redirect(url_for(".page", token=token, number=max(1, number - 1)))
    if current.is_last:
        missing = first_incomplete_page(bank, test.answers)
        if missing is not None:
            flash("A few statements are still unanswered on this page.", "error")
            return redirect(url_for(".page", token=token, number=missing))
        return redirect(url_for(".result", token=token))
    return redirect(url_for(".page", token=token, number=number + 1))


def _urls(token: str, number: int, total: int) -> dict[str, str]:
    return {
        "action": url_for(".page", token=token, number=number),
        "back": url_for(".page", token=token, number=number - 1) if number > 1 else "",
        "exit": url_for(".intro"),
    }


def _completed(token: str) -> QuickTest:
    test = _load(token)
    if test.completed_at is None:
        missing = first_incomplete_page(service.bank_of(test), test.answers) or 1
        abort(redirect(url_for(".page", token=token, number=missing)))
    return test


@quick_bp.get("/quick/<token>/result")
def result(token: str):  # type: ignore[no-untyped-def]
    test = _completed(token)
    bank = service.bank_of(test)
    profile = quick_profile(bank, score_respondent(bank, test.answers))
    return render_template("innovativeness/quick/result.html", test=test, bank=bank, profile=profile)


@quick_bp.get("/quick/<token>/result.pdf")
def result_pdf(token: str):  # type: ignore[no-untyped-def]
    test = _completed(token)
    bank = service.bank_of(test)
    profile = quick_profile(bank, score_respondent(bank, test.answers))
    html = render_template("innovativeness/pdf/quick.html", bank=bank, profile=profile, taken_at=test.created_at)
    return pdf_response(render_pdf(html), "innovativeness-quick-test.pdf")


@quick_bp.route("/quick/<token>/save", methods=["GET", "POST"])
@login_required
def save(token: str):  # type: ignore[no-untyped-def]
    test = _completed(token)
    form = SaveResultForm()
    clusters = user_clusters(current_user.id)
    form.cluster_id.choices = [(cid, name) for cid, name in clusters]
    if not clusters:
        return render_template("innovativeness/quick/save.html", form=form, test=test, clusters=clusters)
    if form.validate_on_submit():
        saved = service.claim_quick_test(test, form.cluster_id.data, current_user.id, form.note.data or "")
        session.pop(SESSION_KEY, None)
        flash("Your quick test result is saved in the workspace.", "success")
        return redirect(url_for("innovativeness.saved_result", cluster_id=saved.cluster_id, saved_id=saved.id))
    status = 400 if form.errors else 200
    return render_template("innovativeness/quick/save.html", form=form, test=test, clusters=clusters), status
