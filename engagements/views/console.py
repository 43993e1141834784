"""The consultant console: the queue, one engagement, assignment, dates, delivery, messages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from core.api import cacheable, cluster_names, consultant_required, current_user, db, live_grants_of_user
from engagements import availability, console, zones
from engagements.forms import AdvanceForm, AssignForm, AvailabilityForm, ButtonForm, MessageForm, ScheduleForm
from engagements.models import Engagement
from engagements.views.common import (
    current_actor,
    engagement_page_data,
    post_message_from_form,
    send_attachment,
    template_globals,
)

bp = Blueprint(
    "engagements_console", __name__, url_prefix="/console/engagements", template_folder="../templates"
)
bp.context_processor(template_globals)


@bp.before_request
@consultant_required
def _staff_only() -> None:
    return None


def _load(engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not console.can_view(engagement, current_user.id, current_user.is_admin):
        abort(404)
    return engagement


@bp.get("/")
@cacheable
def index():  # type: ignore[no-untyped-def]
    groups = console.queue(current_user.id, current_user.is_admin)
    ids = {e.cluster_id for rows in groups.values() for e in rows}
    return render_template(
        "engagements/console/index.html",
        groups=groups,
        clusters=cluster_names(ids),
        button=ButtonForm(),
    )


def _render_detail(engagement: Engagement, **forms):  # type: ignore[no-untyped-def]
    assign = forms.get("assign_form") or AssignForm()
    assign.consultant_id.choices = [(p.id, f"{p.name} ({p.email})") for p in console.consultants()]
    schedule = forms.get("schedule_form") or ScheduleForm()
    zone_name = zones.cluster_zone(engagement.cluster_id)  # the form speaks the cluster's wall-clock time
    schedule.time.label.text = f"Start time ({zone_name})"
    if engagement.scheduled_for and not forms.get("schedule_form"):
        wall = zones.local(engagement.scheduled_for, zone_name)
        schedule.date.data = wall.date()
        schedule.time.data = wall.time().replace(tzinfo=None)
        schedule.minutes.data = engagement.scheduled_minutes
        schedule.location.data = engagement.scheduled_location
    return render_template(
        "engagements/console/detail.html",
        **engagement_page_data(engagement),
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
        cluster_access=next((a for a in live_grants_of_user(current_user.id) if a.cluster_id == engagement.cluster_id), None),
        assign_form=assign,
        schedule_form=schedule,
        advance_form=AdvanceForm(),
        button=ButtonForm(),
        message_form=forms.get("message_form") or MessageForm(),
        when_text=console.when_text(engagement),
    )


@bp.route("/availability", methods=["GET", "POST"])
def availability_page():  # type: ignore[no-untyped-def]
    form = AvailabilityForm()
    if form.validate_on_submit():
        try:
            start = zones.to_utc(form.date.data, form.time.data, form.time_zone.data)
            availability.add(current_user.id, start, form.minutes.data, (form.note.data or "").strip())
        except (availability.AvailabilityError, zones.NoSuchLocalTime) as exc:
            form.date.errors = [str(exc)]
        else:
            flash("Slot added; clusters can pick it when they book a workshop.", "success")
            return redirect(url_for(".availability_page"), 303)
    return render_template(
        "engagements/console/availability.html",
        form=form,
        button=ButtonForm(),
        slots=availability.slots_of(current_user.id),
    ), 400 if form.errors else 200


@bp.post("/availability/<int:slot_id>/delete")
def availability_delete(slot_id: int):  # type: ignore[no-untyped-def]
    if ButtonForm().validate_on_submit():
        try:
            availability.remove(current_user.id, slot_id)
        except availability.AvailabilityError as exc:
            flash(str(exc), "error")
        else:
            flash("Slot removed.", "success")
    return redirect(url_for(".availability_page"), 303)


@bp.get("/<int:engagement_id>")
def detail(engagement_id: int):  # type: ignore[no-untyped-def]
    return _render_detail(_load(engagement_id))


@bp.post("/<int:engagement_id>/take")
def take(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        console.assign(engagement.id, current_user.id, current_actor(), is_admin=False)
    except console.ConsoleError as exc:
        flash(str(exc), "error")
    else:
        flash("The engagement is yours.", "success")
    return redirect(url_for(".detail", engagement_id=engagement_id), 303)


@bp.post("/<int:engagement_id>/assign")
def assign(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if not current_user.is_admin:
        abort(403)
    form = AssignForm()
    form.consultant_id.choices = [(p.id, p.email) for p in console.consultants()]
    if not form.validate_on_submit():
        return _render_detail(engagement, assign_form=form), 400
    try:
        console.assign(engagement.id, form.consultant_id.data, current_actor(), is_admin=True)
    except console.ConsoleError as exc:
        form.consultant_id.errors = [str(exc)]
        return _render_detail(engagement, assign_form=form), 400
    flash("Consultant assigned.", "success")
    return redirect(url_for(".detail", engagement_id=engagement_id), 303)


@bp.post("/<int:engagement_id>/schedule")
def schedule(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _render_detail(engagement, schedule_form=form), 400
    try:
        start = zones.to_utc(form.date.data, form.time.data, zones.cluster_zone(engagement.cluster_id))
        console.schedule(
            engagement.id, start, form.minutes.data, (form.location.data or "").strip(), current_actor()
        )
    except zones.NoSuchLocalTime as exc:
        form.time.errors = [str(exc)]
        return _render_detail(engagement, schedule_form=form), 400
    except console.ConsoleError as exc:
        form.date.errors = [str(exc)]
        return _render_detail(engagement, schedule_form=form), 400
    flash("Date fixed; the cluster and you received a calendar invitation.", "success")
    return redirect(url_for(".detail", engagement_id=engagement_id), 303)


@bp.post("/<int:engagement_id>/advance/<action>")
def advance(engagement_id: int, action: str):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = AdvanceForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        console.advance(engagement.id, action, current_actor(), (form.note.data or "").strip())
    except console.ConsoleError as exc:
        flash(str(exc), "error")
    return redirect(url_for(".detail", engagement_id=engagement_id), 303)


@bp.get("/<int:engagement_id>/calendar.ics")
def calendar(engagement_id: int) -> Response:
    """The consultant's copy of the calendar event, in its current state (invitation or cancellation)."""
    engagement = _load(engagement_id)
    if engagement.scheduled_for is None:
        abort(404)
    return Response(
        console.invitation(engagement),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="engagement-{engagement.id}.ics"'},
    )


@bp.post("/<int:engagement_id>/messages")
def post_message(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = MessageForm()
    if form.validate_on_submit() and post_message_from_form(engagement, form, from_consultant=True):
        flash("Message sent to the cluster.", "success")
        return redirect(url_for(".detail", engagement_id=engagement_id) + "#messages", 303)
    return _render_detail(engagement, message_form=form), 400


@bp.get("/<int:engagement_id>/attachments/<int:attachment_id>")
def attachment(engagement_id: int, attachment_id: int) -> Response:
    engagement = _load(engagement_id)
    return send_attachment(engagement.id, attachment_id)
