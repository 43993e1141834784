"""Cluster workspace pages: list, create, dashboard, settings, members, invitations."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import Select, bindparam, func, select

from core.accounts import tokens
from core.clusters import forms, grants, invitations, services
from core.clusters.access import (
    current_access_grant,
    current_cluster,
    get_in_cluster_or_404,
    manager_required,
    members_only,
)
from core.confirm import confirmation_page
from core.clusters.models import Cluster, Invitation, Membership
from core.email.bulk import bulk_mail_jobs
from core.extensions import db
from core.hygiene.paging import page_number
from core.page_cache import cacheable
from core.wording import counted
from core.plugins import calls

bp = Blueprint("clusters", __name__)
DASHBOARD_MEMBER_LIMIT = 12
MEMBERS_PAGE_SIZE = 50


def _profile_from(form: forms.ClusterProfileForm) -> services.ClusterProfile:
    return services.ClusterProfile(
        name=form.name.data.strip(),
        country=form.country.data.strip(),
        region=(form.region.data or "").strip(),
        sectors=(form.sectors.data or "").strip(),
        stage=form.stage.data,
        member_count=form.member_count.data,
        website=(form.website.data or "").strip(),
        description=(form.description.data or "").strip(),
        time_zone=form.time_zone.data or "",
    )


@bp.get("/clusters")
@login_required
def home():  # type: ignore[no-untyped-def]
    memberships = services.memberships_of(current_user.id)
    member_of = {m.cluster_id for m in memberships}
    readable = [a for a in grants.live_grants_of_user(current_user.id) if a.cluster_id not in member_of]
    return render_template("clusters/home.html", memberships=memberships, readable=readable)


@bp.route("/clusters/new", methods=["GET", "POST"])
@login_required
def create():  # type: ignore[no-untyped-def]
    form = forms.CreateClusterForm()
    if form.validate_on_submit():
        cluster = services.create_cluster(
            current_user._get_current_object(), _profile_from(form), form.organisation_name.data, form.organisation_type.data
        )
        flash(f"{cluster.name} is ready. Invite your members next.", "success")
        return redirect(url_for("clusters.dashboard", cluster_id=cluster.id))
    return render_template("clusters/create.html", form=form), 400 if form.errors else 200


@bp.get("/clusters/<int:cluster_id>")
@cacheable
def dashboard(cluster_id: int):  # type: ignore[no-untyped-def]
    members, member_count = _dashboard_members(cluster_id)
    # The viewer's membership loaded the cluster with the session (identity map: no statement).
    cluster = db.session.get(Cluster, cluster_id)
    pending = invitations.pending_for(cluster_id) if current_cluster().is_manager else []
    widgets, failures = calls.dashboard_widgets(current_cluster())
    return render_template(
        "clusters/dashboard.html",
        cluster=cluster,
        members=members,
        member_count=member_count,
        pending=pending,
        widgets=widgets,
        failures=failures,
        exports=calls.exports(current_cluster()),
        tools=calls.enabled_tools(),
        access_grant=current_access_grant(),
    )


@cache
def _members_with_total(limit: int, order: str) -> Select[Any]:
    """(membership, total members) rows of one cluster, built once per process.

    Parameters ``cluster_id`` and ``offset``; ``order`` "dashboard" (managers first,
    newest first) or "members" (managers first, by organisation). The total is an
    uncorrelated subquery, counted once (``count() OVER ()`` would materialise every row).
    """
    cluster_id: Any = bindparam("cluster_id")  # one parameter used twice
    total = select(func.count(Membership.id)).where(Membership.cluster_id == cluster_id).scalar_subquery()
    by = (Membership.role, Membership.joined_at.desc()) if order == "dashboard" else (
        Membership.role, Membership.organisation_name)
    return (
        select(Membership, total)
        .where(Membership.cluster_id == cluster_id)
        .order_by(*by, Membership.id)
        .limit(limit)
        .offset(bindparam("offset"))
    )


def _member_count(cluster_id: int) -> int:
    return db.session.scalar(select(func.count(Membership.id)).where(Membership.cluster_id == cluster_id)) or 0


def _dashboard_members(cluster_id: int) -> tuple[list[Membership], int]:
    """The first ``DASHBOARD_MEMBER_LIMIT`` members and the total, in one statement.

    A consultant reads the tools' aggregates, not the list of people: only the total.
    """
    if current_cluster().is_consultant:
        return [], _member_count(cluster_id)
    rows = db.session.execute(_members_with_total(DASHBOARD_MEMBER_LIMIT, "dashboard"), {"cluster_id": cluster_id,
                                                                                         "offset": 0}).all()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


@bp.route("/clusters/<int:cluster_id>/settings", methods=["GET", "POST"])
@manager_required
def settings(cluster_id: int):  # type: ignore[no-untyped-def]
    cluster = db.session.get(Cluster, cluster_id)
    form = forms.ClusterProfileForm(obj=cluster)
    if form.validate_on_submit():
        services.update_profile(cluster_id, _profile_from(form))
        flash("Cluster profile saved.", "success")
        return redirect(url_for("clusters.dashboard", cluster_id=cluster_id))
    return render_template("clusters/settings.html", form=form, cluster=cluster), 400 if form.errors else 200


@bp.get("/clusters/<int:cluster_id>/members")
@members_only
@cacheable
def members(cluster_id: int):  # type: ignore[no-untyped-def]
    return _members_page(cluster_id, forms.InviteForm())


def _members_page(  # type: ignore[no-untyped-def]
    cluster_id: int, invite_form: forms.InviteForm, status: int = 200, bulk_form: forms.BulkInviteForm | None = None
):
    # One page of members and the total in one statement, whatever the cluster's size.
    page = page_number()
    rows = db.session.execute(_members_with_total(MEMBERS_PAGE_SIZE, "members"), {
        "cluster_id": cluster_id, "offset": (page - 1) * MEMBERS_PAGE_SIZE}).all()
    return render_template(
        "clusters/members.html",
        members=[row[0] for row in rows],
        page=page,
        page_size=MEMBERS_PAGE_SIZE,
        first_shown=(page - 1) * MEMBERS_PAGE_SIZE + 1,
        member_total=rows[0][1] if rows else _member_count(cluster_id),
        pending=invitations.pending_for(cluster_id) if current_cluster().is_manager else [],
        access_grants=grants.live_grants_of_cluster(cluster_id),
        invite_form=invite_form,
        bulk_form=bulk_form or forms.BulkInviteForm(formdata=None, prefix="bulk"),
        invitation_jobs=bulk_mail_jobs(invitations.MAIL_JOB_KEY, cluster_id, limit=1) if current_cluster().is_manager else [],
        role_form=forms.RoleForm(),
        confirm_form=forms.ConfirmForm(),
    ), status


@bp.post("/clusters/<int:cluster_id>/invitations")
@manager_required
def invite(cluster_id: int):  # type: ignore[no-untyped-def]
    form = forms.InviteForm()
    if form.validate_on_submit():
        try:
            invitations.invite(cluster_id, current_user._get_current_object(), form.email.data, form.role.data)
        except services.ClusterError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("clusters.members", cluster_id=cluster_id))
    return _members_page(cluster_id, form, 400)


@bp.post("/clusters/<int:cluster_id>/invitations/bulk")
@manager_required
def invite_many(cluster_id: int):  # type: ignore[no-untyped-def]
    """Invite a pasted list: the invitations are recorded now, a worker sends the mails."""
    form = forms.BulkInviteForm(prefix="bulk")
    if form.validate_on_submit():
        emails = invitations.parse_addresses(form.emails.data)
        try:
            if not emails:
                raise services.ClusterError("Paste at least one email address.")
            _job_id, skipped = invitations.invite_many(cluster_id, current_user._get_current_object(), emails, form.role.data)
        except services.ClusterError as exc:
            form.emails.errors = [*form.emails.errors, str(exc)]
        else:
            sending = len(emails) - len(skipped)
            flash(f"Sending {sending} invitation{'s' if sending != 1 else ''}; progress is shown below.", "success")
            for reason in skipped[:10]:
                flash(f"Skipped: {reason}.", "info")
            return redirect(url_for("clusters.members", cluster_id=cluster_id, _anchor="invite-many-title"))
    return _members_page(cluster_id, forms.InviteForm(formdata=None), 400, bulk_form=form)


@bp.post("/clusters/<int:cluster_id>/invitations/<int:invitation_id>/resend")
@manager_required
def resend_invitation(cluster_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    invitation = get_in_cluster_or_404(Invitation, invitation_id)
    try:
        invitations.resend(invitation, current_user._get_current_object())
        flash(f"Invitation sent again to {invitation.email}.", "success")
    except services.ClusterError as exc:
        flash(str(exc), "error")
    return redirect(url_for("clusters.members", cluster_id=cluster_id))


@bp.post("/clusters/<int:cluster_id>/invitations/<int:invitation_id>/revoke")
@manager_required
def revoke_invitation(cluster_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    invitation = get_in_cluster_or_404(Invitation, invitation_id)
    invitations.revoke(invitation)
    flash(f"Invitation for {invitation.email} withdrawn.", "info")
    return redirect(url_for("clusters.members", cluster_id=cluster_id))


@bp.post("/clusters/<int:cluster_id>/members/<int:membership_id>/role")
@manager_required
def change_role(cluster_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    membership = get_in_cluster_or_404(Membership, membership_id)
    form = forms.RoleForm()
    if not form.validate_on_submit():
        flash("Choose manager or member.", "error")
        return redirect(url_for("clusters.members", cluster_id=cluster_id)), 303
    try:
        services.change_role(membership, form.role.data)
        flash(f"{membership.user.name} is now {form.role.data}.", "success")
    except services.ClusterError as exc:
        flash(str(exc), "error")
    return redirect(url_for("clusters.members", cluster_id=cluster_id))


@bp.post("/clusters/<int:cluster_id>/members/<int:membership_id>/remove")
@manager_required
def remove_member(cluster_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    membership = get_in_cluster_or_404(Membership, membership_id)
    name = membership.user.name
    page = confirmation_page(
        f"Remove {name} from {membership.cluster.name}?",
        f"{name} loses access to the cluster at once. Their notes, votes and answers stay, attributed to their kind "
        "of organisation. To bring them back, invite them again.",
        f"Remove {name}",
        url_for("clusters.members", cluster_id=cluster_id),
    )
    if page is not None:
        return page
    try:
        services.remove_member(membership)
        flash(f"{name} was removed from the cluster.", "info")
    except services.ClusterError as exc:
        flash(str(exc), "error")
    return redirect(url_for("clusters.members", cluster_id=cluster_id))


@bp.route("/clusters/<int:cluster_id>/access/<int:grant_id>/end", methods=["GET", "POST"])
@manager_required
def end_access(cluster_id: int, grant_id: int):  # type: ignore[no-untyped-def]
    """GET asks for confirmation (works without JavaScript); POST ends the access now."""
    grant = next((a for a in grants.live_grants_of_cluster(cluster_id) if a.id == grant_id), None)
    if grant is None:
        flash("That access has already ended.", "info")
        return redirect(url_for("clusters.members", cluster_id=cluster_id) + "#access")
    form = forms.ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            ended = grants.end_cluster_access(cluster_id, grant_id, current_user.id)
        except grants.AccessError as exc:
            flash(str(exc), "info")
        else:
            remaining = [a for a in grants.live_grants_of_cluster(cluster_id) if a.user_id == ended.user_id]
            if remaining:  # access also granted for other work (another engagement) goes on
                flash(f"This access has ended; {ended.name} still reads this cluster through "
                      f"{counted(len(remaining), 'other access grant')} listed below.", "info")
            else:
                flash(f"{ended.name} can no longer read this cluster.", "success")
        return redirect(url_for("clusters.members", cluster_id=cluster_id) + "#access")
    others = [a for a in grants.live_grants_of_cluster(cluster_id) if a.user_id == grant.user_id and a.id != grant.id]
    return render_template("clusters/end_access.html", grant=grant, confirm_form=form, others=others)


@bp.route("/clusters/<int:cluster_id>/membership", methods=["GET", "POST"])
@members_only
def my_membership(cluster_id: int):  # type: ignore[no-untyped-def]
    membership = g.membership
    form = forms.OrganisationForm(obj=membership)
    if form.validate_on_submit():
        services.update_organisation(membership, form.organisation_name.data, form.organisation_type.data)
        flash("Your organisation details are saved.", "success")
        return redirect(url_for("clusters.dashboard", cluster_id=cluster_id))
    return render_template(
        "clusters/membership.html", form=form, confirm_form=forms.ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/clusters/<int:cluster_id>/leave")
@members_only
def leave(cluster_id: int):  # type: ignore[no-untyped-def]
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    cluster = g.membership.cluster
    page = confirmation_page(
        f"Leave {cluster.name}?",
        "You lose access to its canvases, rounds and engagements at once. Your notes and answers stay. "
        "To come back, a manager has to invite you again.",
        f"Leave {cluster.name}",
        url_for("clusters.my_membership", cluster_id=cluster_id),
    )
    if page is not None:
        return page
    try:
        services.remove_member(g.membership)
    except services.ClusterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("clusters.my_membership", cluster_id=cluster_id))
    flash("You left the cluster.", "info")
    return redirect(url_for("clusters.home"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):  # type: ignore[no-untyped-def]
    try:
        invitation = invitations.invitation_from_token(token)
    except invitations.InvitationAccepted as used:
        return render_template("clusters/invitation_used.html", invitation=used.invitation)
    except tokens.TokenError as exc:
        return render_template("accounts/link_problem.html", message=str(exc)), 400
    if not current_user.is_authenticated:
        return render_template("clusters/invitation_anonymous.html", invitation=invitation, next=request.path)
    form = forms.AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            membership = invitations.accept(
                token, current_user._get_current_object(), form.organisation_name.data, form.organisation_type.data
            )
        except invitations.InvitationAccepted as used:
            return render_template("clusters/invitation_used.html", invitation=used.invitation)
        except (services.ClusterError, tokens.TokenError) as exc:
            flash(str(exc), "error")
            return render_template("clusters/invitation_accept.html", invitation=invitation, form=form), 400
        flash(f"Welcome to {invitation.cluster.name}!", "success")
        return redirect(url_for("clusters.dashboard", cluster_id=membership.cluster_id))
    return render_template("clusters/invitation_accept.html", invitation=invitation, form=form), 400 if form.errors else 200
