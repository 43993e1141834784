"""Cluster pages for managers and members: round list, opening, reminders,
closing, publishing, the benchmark opt-in, and saved quick tests."""

from __future__ import annotations

from datetime import datetime, time, timezone

from flask import abort, flash, redirect, render_template, request, url_for

from core.api import (
    confirmation_page,
    counted,
    current_cluster,
    get_in_cluster_or_404,
    list_members,
    manager_required,
    members_only,
)
from plugins.innovativeness import benchmark, rounds
from plugins.innovativeness.bank import bank_versions, get_bank, latest_bank
from plugins.innovativeness.forms import ActionForm, BenchmarkForm, RoundForm
from plugins.innovativeness.models import SavedResult
from plugins.innovativeness.presenters import quick_profile
from plugins.innovativeness.quick import saved_results_for
from plugins.innovativeness.scoring import score_respondent
from plugins.innovativeness.views import cluster_bp
from plugins.innovativeness.views.common import can_read_results, load_round


@cluster_bp.get("/")
def index(cluster_id: int):  # type: ignore[no-untyped-def]
    cluster = current_cluster()
    all_rounds = rounds.rounds_of(cluster_id)
    rates = rounds.response_rates([r.id for r in all_rounds])
    mine = rounds.my_participations(cluster_id, cluster.membership_id)
    return render_template(
        "innovativeness/index.html",
        rounds=all_rounds,
        rates=rates,
        my_participation=mine,
        saved=saved_results_for(cluster_id, cluster.user_id, cluster.is_manager),
        sharing=benchmark.is_sharing(cluster_id),
        benchmark_form=BenchmarkForm(),
        can_read_results=can_read_results,
    )


def _round_form() -> RoundForm:
    form = RoundForm()
    form.bank_version.choices = [(v, f"Version {v}: {get_bank(v).title}") for v in reversed(bank_versions())]
    members = list_members(current_cluster().id)
    form.members.choices = [
        (m.membership_id, f"{m.name} — {m.organisation_name or m.organisation_type_label} ({m.organisation_type_label})")
        for m in members
    ]
    if not form.bank_version.data:
        form.bank_version.data = latest_bank().version
    return form


@cluster_bp.route("/rounds/new", methods=["GET", "POST"])
@manager_required
def new_round(cluster_id: int):  # type: ignore[no-untyped-def]
    form = _round_form()
    if form.validate_on_submit():
        closes_at = datetime.combine(form.closes_on.data, time(23, 59, 59), tzinfo=timezone.utc)
        chosen = form.members.data if form.invite.data == "selected" else None
        try:
            rnd = rounds.open_round(
                cluster_id, current_cluster().name, current_cluster().user_id, form.title.data,
                form.bank_version.data, closes_at, form.anonymous.data, chosen,
                one_per_organisation=form.one_per_organisation.data,
            )
        except rounds.RoundError as exc:
            form.members.errors = [*form.members.errors, str(exc)]
        else:
            invited = rounds.response_rates([rnd.id])[rnd.id].invited
            flash(f"The round is open; invitations to {invited} members are being sent by email.", "success")
            return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=rnd.id))
    status = 400 if form.errors else 200
    return render_template("innovativeness/round_new.html", form=form), status


@cluster_bp.get("/rounds/<int:round_id>")
def round_detail(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = load_round(round_id)
    cluster = current_cluster()
    return render_template(
        "innovativeness/round.html",
        round=rnd,
        bank=get_bank(rnd.bank_version),
        rate=rounds.response_rates([rnd.id])[rnd.id],
        next_reminder_at=rounds.next_reminder_at(rnd) if cluster.is_manager else None,
        me=rounds.participant_of(rnd, cluster.membership_id),
        people=rounds.participants_status(rnd) if cluster.is_manager else [],
        mail_jobs=_shown_mail_jobs(rnd) if cluster.is_manager else [],
        form=ActionForm(),
        can_read_results=can_read_results(rnd),
    )


def _shown_mail_jobs(rnd):  # type: ignore[no-untyped-def]
    """The latest bulk mail job of the round, and any other still sending."""
    jobs = rounds.mail_jobs(rnd)
    return [job for i, job in enumerate(jobs) if i == 0 or not job.is_terminal]


def _manager_action(round_id: int):  # type: ignore[no-untyped-def]
    if not ActionForm().validate_on_submit():
        abort(400)
    return load_round(round_id)


@cluster_bp.post("/rounds/<int:round_id>/remind")
@manager_required
def remind(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = _manager_action(round_id)
    try:
        sent = rounds.send_reminders(rnd, current_cluster().name)
    except rounds.RoundError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Reminders are being sent to {counted(sent, 'member')} who {'has' if sent == 1 else 'have'} not submitted yet." if sent else "Everyone invited has already answered.", "success")
    return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=round_id))


@cluster_bp.post("/rounds/<int:round_id>/close")
@manager_required
def close(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = _manager_action(round_id)
    if rnd.is_open:
        rate = rounds.response_rates([rnd.id])[rnd.id]
        page = confirmation_page(
            f"Close “{rnd.title}” now?",
            f"{rate.submitted} of {rate.invited} invited members have submitted. Once closed, nobody can answer or "
            f"change answers any more, although the round was planned to stay open until {rnd.closes_at:%d %b %Y}. "
            "This cannot be undone.",
            "Close the round",
            url_for(".round_detail", cluster_id=cluster_id, round_id=round_id),
        )
        if page is not None:
            return page
    try:
        rounds.close_round(rnd)
    except rounds.RoundError as exc:
        flash(str(exc), "error")
    else:
        flash("The round is closed. Answers can no longer be changed.", "success")
    return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=round_id))


@cluster_bp.post("/rounds/<int:round_id>/publish")
@manager_required
def publish(cluster_id: int, round_id: int):  # type: ignore[no-untyped-def]
    rnd = _manager_action(round_id)
    # The button says which state it wants, so a double click or a stale page cannot flip it back.
    wanted = request.form.get("publish")
    if wanted not in ("1", "0"):
        abort(400, description="Say whether to publish (1) or hide (0) the results.")
    told = rounds.publish_round(rnd, wanted == "1", current_cluster().name)
    if not rnd.is_published:
        flash("The results are hidden from members.", "success")
    elif rnd.anonymous and rnd.is_open:
        flash("Published: members can read the results once this anonymous round closes.", "success")
    else:
        flash(f"Members can now read the results{f'; {told} are being told by email' if told else ''}.", "success")
    return redirect(url_for(".round_detail", cluster_id=cluster_id, round_id=round_id))


@cluster_bp.post("/benchmark")
@manager_required
def set_benchmark(cluster_id: int):  # type: ignore[no-untyped-def]
    form = BenchmarkForm()
    if not form.validate_on_submit():
        abort(400)
    benchmark.set_sharing(cluster_id, current_cluster().user_id, bool(form.share.data))
    flash(
        "The cluster now shares its anonymised round results with the benchmark." if form.share.data
        else "The cluster no longer shares its results with the benchmark.",
        "success",
    )
    return redirect(url_for(".index", cluster_id=cluster_id))


@cluster_bp.get("/saved/<int:saved_id>")
@members_only  # one person's quick test
def saved_result(cluster_id: int, saved_id: int):  # type: ignore[no-untyped-def]
    saved = get_in_cluster_or_404(SavedResult, saved_id)
    cluster = current_cluster()
    if saved.user_id != cluster.user_id and not cluster.is_manager:
        abort(404)
    bank = get_bank(saved.bank_version)
    profile = quick_profile(bank, score_respondent(bank, saved.answers))
    return render_template("innovativeness/saved.html", saved=saved, bank=bank, profile=profile)
