from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from core.accounts.models import User
from core.clusters.grants import end_all_access_of_user
from core.page_cache import cacheable
from core.wording import counted
from core.accounts.roles import admin_required
from core.clusters.forms import ConfirmForm
from core.clusters.models import Cluster, Membership
from core.confirm import confirmation_page
from core.email.queue import failed_count
from core.extensions import db
from core.hygiene.paging import page_number
from core.plugins import calls, state
from core.proposals import services as proposals
from core.proposals.models import PROPOSAL_KINDS, Proposal

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def _page() -> int:
    return page_number()


@bp.get("/")
@admin_required
def index():  # type: ignore[no-untyped-def]
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "clusters": db.session.scalar(select(func.count(Cluster.id))),
        "open_proposals": db.session.scalar(select(func.count(Proposal.id)).where(Proposal.reviewed_at.is_(None))),
        "plugins": len(calls.all_plugins()),
        "failed_mail": failed_count(),
    }
    return render_template("admin/index.html", counts=counts)


@bp.get("/users")
@admin_required
@cacheable
def users():  # type: ignore[no-untyped-def]
    query = request.args.get("q", "").strip().lower()[:100]
    stmt = select(User).order_by(User.created_at.desc())
    if query:
        stmt = stmt.where(User.email.contains(query))
    page = _page()
    rows = db.session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render_template("admin/users.html", users=rows, q=query, page=page, form=ConfirmForm(), page_size=PAGE_SIZE)


@bp.post("/users/<int:user_id>/consultant")
@admin_required
def toggle_consultant(user_id: int):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id) or abort(404)
    if user.is_consultant:
        page = confirmation_page(
            f"Remove {user.email}'s consultant role?",
            "They leave the consultants' console at once, and their read access to every client cluster "
            "(given with their engagements) ends and does not come back with the role. Engagements that name "
            "them as consultant keep doing so until you assign someone else.",
            "Remove consultant role",
            url_for("admin.users"),
        )
        if page is not None:
            return page
    user.is_consultant = not user.is_consultant
    # Without the role they read no client's cluster any more (their grants came with the work).
    ended = 0 if user.is_consultant else end_all_access_of_user(user.id)
    db.session.commit()
    message = f"{user.email} is {'now' if user.is_consultant else 'no longer'} a consultant."
    if ended:
        message += f" Their read access to clusters ended ({counted(ended, 'access grant')})."
    flash(message, "success")
    return redirect(url_for("admin.users"))


@bp.get("/clusters")
@admin_required
@cacheable
def clusters():  # type: ignore[no-untyped-def]
    page = _page()
    rows = db.session.execute(
        select(Cluster, func.count(Membership.id))
        .outerjoin(Membership, Membership.cluster_id == Cluster.id)
        .group_by(Cluster.id)
        .order_by(Cluster.created_at.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("admin/clusters.html", rows=rows, page=page, page_size=PAGE_SIZE)


@bp.get("/proposals")
@admin_required
def proposals_list():  # type: ignore[no-untyped-def]
    return render_template(
        "admin/proposals.html", proposals=proposals.list_proposals(), kinds=PROPOSAL_KINDS, form=ConfirmForm()
    )


@bp.post("/proposals/<int:proposal_id>/reviewed")
@admin_required
def proposal_reviewed(proposal_id: int):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    proposals.mark_reviewed(proposal, current_user._get_current_object())
    flash("Proposal marked as reviewed.", "success")
    return redirect(url_for("admin.proposals_list"))


@bp.get("/plugins")
@admin_required
def plugins():  # type: ignore[no-untyped-def]
    return render_template(
        "admin/plugins.html",
        plugins=calls.all_plugins(),
        disabled=state.disabled_slugs(),
        required=state.required_slugs(),
        form=ConfirmForm(),
    )


@bp.post("/plugins/<slug>/toggle")
@admin_required
def toggle_plugin(slug: str):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if slug not in calls.host().tools:
        abort(404)
    # The button says which state it wants, so a double click cannot flip the tool back.
    wanted = request.form.get("enable")
    if wanted not in ("1", "0"):
        abort(400, description="Say whether to enable (1) or disable (0) the tool.")
    enable = wanted == "1"
    title = calls.host().tools[slug].title
    if not enable and slug in state.required_slugs():
        flash(f"{title} is required by the platform and cannot be disabled.", "error")
        return redirect(url_for("admin.plugins")), 303
    if not enable and state.is_enabled(slug):
        page = confirmation_page(
            f"Disable {title}?",
            f"{title} disappears for every cluster at once: its pages, navigation links and dashboard panels. "
            "Its data stays and comes back when you enable it again.",
            f"Disable {title}",
            url_for("admin.plugins"),
        )
        if page is not None:
            return page
    try:
        state.set_enabled(slug, enable)
    except state.PluginRequired as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.plugins")), 303
    flash(f"{calls.host().tools[slug].title} is {'enabled' if enable else 'disabled'}.", "success")
    return redirect(url_for("admin.plugins"))
