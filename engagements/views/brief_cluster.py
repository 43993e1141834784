"""The cluster managers' brief pages: the shared versions (HTML, PDF), comments, outcomes.

Cluster-scoped routes (core checks membership; the engagement is loaded with
``get_in_cluster_or_404``); managers only (403 for plain members). Drafts stay with the
consultant: only shared versions are shown. The outcomes page lists the workshop's
decisions and the tools' one-click follow-ups (``core.api.outcome_actions``) as POST
buttons carrying the CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from core.api import current_cluster, get_in_cluster_or_404, manager_required, outcome_actions
from engagements.briefs import outcomes, sharing
from engagements.briefs.forms import CommentForm
from engagements.briefs.models import BriefVersion
from engagements.briefs.render import clock
from engagements.briefs.versions import draft_of, get_version, shared_versions
from engagements.forms import ButtonForm
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.views.brief_common import document_response, pdf_response, require_workshop
from engagements.views.common import template_globals

bp = Blueprint(
    "engagements_briefs",
    __name__,
    url_prefix="/clusters/<int:cluster_id>/engagements/<int:engagement_id>/brief",
    template_folder="../templates",
)
bp.context_processor(template_globals)


def _load(engagement_id: int) -> Engagement:
    return require_workshop(get_in_cluster_or_404(Engagement, engagement_id))


def _shared(engagement: Engagement, number: int) -> BriefVersion:
    version = get_version(engagement.id, number)
    if version is None or version.state != "shared":
        abort(404)
    return version


def _show(engagement: Engagement, form: CommentForm, status: int = 200, message: str = "") -> tuple[str, int]:
    versions = shared_versions(engagement.id)
    current = versions[0] if versions else None
    return render_template(
        "engagements/briefs/cluster.html", e=engagement, cluster=current_cluster(), versions=versions,
        current=current, draft=draft_of(current) if current else None, comments=sharing.comments(engagement.id),
        form=form, message=message, clock=clock, has_outcomes=bool(outcomes.outcomes(engagement.id)),
    ), status


@bp.get("/")
@manager_required
def show(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    return _show(_load(engagement_id), CommentForm(formdata=None))


@bp.get("/v<int:number>")
@manager_required
def document(cluster_id: int, engagement_id: int, number: int) -> Response:
    return document_response(_shared(_load(engagement_id), number),
                             url_for(".show", cluster_id=cluster_id, engagement_id=engagement_id))


@bp.get("/v<int:number>.pdf")
@manager_required
def pdf(cluster_id: int, engagement_id: int, number: int) -> Response:
    return pdf_response(_shared(_load(engagement_id), number))


@bp.post("/v<int:number>/comments")
@manager_required
def comment(cluster_id: int, engagement_id: int, number: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    _shared(engagement, number)
    form = CommentForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _show(engagement, form, 400, "Please correct the highlighted field below.")
    cluster = current_cluster()
    try:
        sharing.add_comment(engagement.id, number, form.body.data or "", Actor(cluster.user_id, _author()))
    except sharing.SharingRefused as exc:
        return _show(engagement, form, 400, str(exc))
    flash("Your comment was sent to your consultant.", "success")
    return redirect(url_for(".show", cluster_id=cluster_id, engagement_id=engagement.id) + "#comments", 303)


def _author() -> str:
    from core.api import current_user

    return str(getattr(current_user, "display_name", "") or current_user.email)


@bp.get("/outcomes")
@manager_required
def outcomes_page(cluster_id: int, engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    cluster = current_cluster()
    agreed = tuple(outcomes.agreed_outcomes(cluster.id, engagement.id))
    actions = outcome_actions(cluster, agreed) if agreed else []
    return render_template(
        "engagements/briefs/outcomes.html", e=engagement, cluster=cluster, recorded=outcomes.outcomes(engagement.id),
        actions=actions, button=ButtonForm(),
    )
