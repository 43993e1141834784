"""Sharing a brief version with the cluster's managers, and the managers' comments on it.

Sharing marks the version ``shared`` (its content never changes) and emails the managers
after the commit, with links from ``BASE_URL`` to the brief's page and its PDF. A later
edit is a new draft version; the managers keep reading the shared ones until it is shared.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.api import db, get_person, manager_emails, send_email, utcnow
from engagements import effects
from engagements.billing.payments import lock
from engagements.briefs.models import BriefComment, BriefVersion
from engagements.briefs.versions import get_version, latest_version
from engagements.links import absolute
from engagements.lifecycle import Actor
from engagements.models import Engagement

#: A comment is plain text of at most this many characters.
COMMENT_MAX = 2000
#: The same text by the same person on the same version within this many seconds is one
#: comment sent twice (a double click or a resubmitted form), not a second comment.
REPEAT_WINDOW_SECONDS = 60
#: Engagement states in which a brief can be shared (paid and not cancelled or refunded).
SHAREABLE_STATES = ("paid", "scheduled", "in_delivery", "delivered", "closed")


class SharingRefused(ValueError):
    """The version cannot be shared (or commented on) now; the message says why (HTTP 400)."""


def share(engagement_id: int, number: int, actor: Actor) -> BriefVersion:
    """Share version ``number`` (the latest, not yet shared) with the managers; commits; emails them."""
    engagement = lock(engagement_id)
    latest = latest_version(engagement_id)
    if engagement is None or latest is None:
        effects.rollback()
        raise SharingRefused("There is no brief to share yet.")
    if latest.number != number:
        effects.rollback()
        raise SharingRefused(f"Version {latest.number} is newer than version {number}; share that one.")
    if latest.state == "shared":
        effects.rollback()
        raise SharingRefused(f"Version {number} is already shared.")
    if engagement.state not in SHAREABLE_STATES:
        effects.rollback()
        raise SharingRefused("Only a paid workshop's brief can be shared.")
    latest.state = "shared"
    latest.shared_at = utcnow()
    latest.shared_by_id = actor.user_id
    page_url = absolute("engagements_briefs.show", cluster_id=engagement.cluster_id, engagement_id=engagement_id)
    pdf_url = absolute("engagements_briefs.pdf", cluster_id=engagement.cluster_id, engagement_id=engagement_id,
                       number=number)
    recipients = manager_emails(engagement.cluster_id)
    title = engagement.title

    def send() -> None:
        for to in recipients:
            send_email(to, f"Workshop brief to read: {title}", "engagements_brief_shared", title=title,
                       engagement_id=engagement_id, version_number=number, brief_url=page_url, pdf_url=pdf_url)

    effects.after_commit(send)
    effects.commit()
    return latest


def add_comment(engagement_id: int, number: int, body: str, actor: Actor) -> BriefComment:
    """A manager's comment on shared version ``number``; commits. ``SharingRefused`` for an empty
    or too long text (over ``COMMENT_MAX``) or a version that is not shared."""
    text = body.strip()
    if not text:
        raise SharingRefused("Write a comment first.")
    if len(text) > COMMENT_MAX:
        raise SharingRefused(f"A comment is at most {COMMENT_MAX} characters (this one has {len(text)}).")
    version = get_version(engagement_id, number)
    if version is None or version.state != "shared":
        raise SharingRefused("Only a shared version can be commented on.")
    lock(engagement_id)  # a double submit waits here (PostgreSQL row lock), then finds the first
    repeat = db.session.execute(
        select(BriefComment).where(
            BriefComment.engagement_id == engagement_id, BriefComment.version_number == number,
            BriefComment.author_id == actor.user_id, BriefComment.body == text,
            BriefComment.created_at >= utcnow() - timedelta(seconds=REPEAT_WINDOW_SECONDS),
        ).limit(1)
    ).scalar_one_or_none()
    if repeat is not None:  # the same comment sent twice (double click, resubmit): one comment, one email
        effects.rollback()
        return repeat
    comment = BriefComment(cluster_id=version.cluster_id, engagement_id=engagement_id, version_number=number,
                           author_id=actor.user_id, author_label=actor.label[:120], body=text)
    db.session.add(comment)
    _tell_consultant(engagement_id, number, actor.label, text)
    effects.commit()
    return comment


def _tell_consultant(engagement_id: int, number: int, author: str, text: str) -> None:
    """Email the assigned consultant (after the commit) with a link to the brief's console page."""
    engagement = db.session.get(Engagement, engagement_id)
    person = get_person(engagement.consultant_id) if engagement and engagement.consultant_id else None
    if engagement is None or person is None:
        return
    to, title = person.email, engagement.title
    link = absolute("engagements_console_briefs.overview", engagement_id=engagement_id)

    def send() -> None:
        send_email(to, f"Comment on the workshop brief: {title}", "engagements_brief_comment", title=title,
                   engagement_id=engagement_id, version_number=number, author=author, body=text, brief_url=link)

    effects.after_commit(send)


def comments(engagement_id: int) -> list[BriefComment]:
    """Every comment on the brief, oldest first."""
    from sqlalchemy import select

    return list(db.session.execute(
        select(BriefComment).where(BriefComment.engagement_id == engagement_id).order_by(BriefComment.id)
    ).scalars())
