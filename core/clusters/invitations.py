"""Invitations by signed, expiring, single-use email links."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from core.accounts import tokens
from core.accounts.models import User
from core.clusters.models import Cluster, Invitation, Membership
from core.clusters.services import ClusterError
from core.email.bulk import send_bulk_email
from core.email.limits import MailLimitReached, check_and_record, check_and_record_many
from core.email.sending import send_email
from core.extensions import db
from core.links import absolute_url
from core.models import utcnow

PURPOSE = "invitation"
VALID_FOR = timedelta(days=14)
#: The bulk mail jobs of a cluster's invitations are recorded under this key.
MAIL_JOB_KEY = "clusters.invitations"
MAX_AT_ONCE = 500
_LINK_SLOT = "LINKSLOT"  # where each invitation's signed token goes in the shared link
#: WHATWG HTML's "valid email address" (input type=email), https://html.spec.whatwg.org/#valid-e-mail-address,
#: with a dot required in the domain as the single form's check requires.
_HTML_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"  # "+", not the standard's "*": a dot in the domain
)


def invite(cluster_id: int, inviter: User, email: str, role: str = "member") -> Invitation:
    email = email.strip().lower()
    already_member = db.session.execute(
        select(Membership.id).join(User, User.id == Membership.user_id).where(
            Membership.cluster_id == cluster_id, User.email == email
        )
    ).first()
    if already_member:
        raise ClusterError(f"{email} is already a member of this cluster.")
    pending = db.session.execute(
        select(Invitation).where(
            Invitation.cluster_id == cluster_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    ).scalar_one_or_none()
    if pending:
        raise ClusterError(f"{email} already has a pending invitation. Resend it instead.")
    invitation = Invitation(
        cluster_id=cluster_id,
        email=email,
        role=role,
        invited_by_id=inviter.id,
        nonce=secrets.token_hex(16),
        expires_at=utcnow() + VALID_FOR,
    )
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, inviter)
    db.session.commit()
    return invitation


def parse_addresses(text: str) -> list[str]:
    """Addresses from a pasted list, lower-cased, duplicates once.

    Separated by lines, commas, semicolons, tabs or spaces (a spreadsheet column or row,
    an address book export); ``Ada Lovelace <ada@example.org>`` gives the address in brackets.
    """
    seen: dict[str, None] = {}
    for part in re.split(r"[\n\r,;]+", text):
        bracketed = re.findall(r"<([^<>]*)>", part)
        for word in bracketed or part.split():
            address = word.strip().strip("<>\"'()").strip().lower()
            if address:
                seen.setdefault(address, None)
    return list(seen)


def invite_many(cluster_id: int, inviter: User, emails: list[str], role: str = "member") -> tuple[int, list[str]]:
    """Invite every address of ``emails`` in one transaction; a worker sends the mails after it.

    Returns ``(bulk mail job id, addresses skipped with the reason)``: members and
    addresses with a pending invitation are skipped, not refused. Raises
    ``ClusterError`` (and records nothing) for a malformed address, more than
    ``MAX_AT_ONCE`` addresses, or a mail limit reached (``core.email.limits``).
    """
    if len(emails) > MAX_AT_ONCE:
        raise ClusterError(f"Invite at most {MAX_AT_ONCE} people at once; you pasted {len(emails)}.")
    malformed = [e for e in emails if not _looks_like_address(e)]
    if malformed:
        raise ClusterError(f"These are not email addresses: {', '.join(malformed[:5])}{'…' if len(malformed) > 5 else ''}")
    members = set(db.session.execute(
        select(User.email).join(Membership, Membership.user_id == User.id).where(Membership.cluster_id == cluster_id)
    ).scalars())
    pending = set(db.session.execute(
        select(Invitation.email).where(
            Invitation.cluster_id == cluster_id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    ).scalars())
    skipped = [f"{e} is already a member" for e in emails if e in members]
    skipped += [f"{e} already has a pending invitation" for e in emails if e in pending and e not in members]
    invitations = [
        Invitation(cluster_id=cluster_id, email=e, role=role, invited_by_id=inviter.id, nonce=secrets.token_hex(16),
                   expires_at=utcnow() + VALID_FOR)
        for e in emails if e not in members and e not in pending
    ]
    try:
        check_and_record_many("invitation", [i.email for i in invitations], cluster_id)
    except MailLimitReached as exc:
        db.session.rollback()
        raise ClusterError(str(exc)) from exc
    db.session.add_all(invitations)
    db.session.flush()
    cluster = db.session.get(Cluster, cluster_id)
    # One URL built, then the token put in: url_for per address costs more than the rest.
    link = absolute_url("clusters.accept_invitation", token=_LINK_SLOT)
    signed = tokens.make_tokens(PURPOSE, [{"id": i.id, "n": i.nonce} for i in invitations])
    job_id = send_bulk_email(
        [(i.email, {"link": link.replace(_LINK_SLOT, token)}) for i, token in zip(invitations, signed, strict=True)],
        f"You are invited to join {cluster.name} on Designing Clusters",
        "invitation",
        label="invitations",
        cluster_id=cluster_id,
        key=MAIL_JOB_KEY,
        cluster={"name": cluster.name},
        inviter={"name": inviter.name},
        invitation={"role": role},
    )
    db.session.commit()
    return job_id, skipped


def _looks_like_address(address: str) -> bool:
    """A "valid email address" of the HTML standard (what a browser's email field accepts);
    other addresses (international ones) get the single form's full check (``email_validator``)."""
    if len(address) > 254:
        return False
    if _HTML_EMAIL.fullmatch(address):
        return True
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def resend(invitation: Invitation, inviter: User) -> Invitation:
    if invitation.accepted_at or invitation.revoked_at:
        raise ClusterError("This invitation is no longer open.")
    invitation.nonce = secrets.token_hex(16)  # the old link stops working
    invitation.expires_at = utcnow() + VALID_FOR
    invitation.last_sent_at = utcnow()
    _send(invitation, inviter)
    db.session.commit()
    return invitation


def revoke(invitation: Invitation) -> None:
    if invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
    db.session.commit()


def pending_for(cluster_id: int) -> list[Invitation]:
    return list(
        db.session.execute(
            select(Invitation)
            .where(Invitation.cluster_id == cluster_id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
        ).scalars()
    )


class InvitationAccepted(tokens.TokenError):
    """The link is genuine but was already used: the page says so and links to the cluster."""

    def __init__(self, invitation: Invitation) -> None:
        super().__init__(f"This invitation was accepted on {invitation.accepted_at:%d %b %Y}.")
        self.invitation = invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names. Raises InvitationAccepted for a used link (any
    of its versions), else TokenError with the reason (withdrawn, replaced, expired)."""
    data = tokens.read_token(PURPOSE, token, max_age=int(VALID_FOR.total_seconds()))
    invitation = db.session.get(Invitation, data.get("id"))
    if invitation is not None and invitation.accepted_at is not None:
        raise InvitationAccepted(invitation)
    if invitation is None or invitation.nonce != data.get("n"):
        raise tokens.TokenError("This invitation link is not valid any more. Ask the cluster manager for a new one.")
    if invitation.revoked_at:
        raise tokens.TokenError("This invitation was withdrawn. Ask the cluster manager for a new one.")
    if invitation.expires_at <= utcnow():
        raise tokens.TokenError("This invitation has expired. Ask the cluster manager to resend it.")
    return invitation


def accept(token: str, user: User, organisation_name: str, organisation_type: str) -> Membership:
    invitation = invitation_from_token(token)
    if user.email != invitation.email:
        raise ClusterError(
            f"This invitation was sent to {invitation.email}. Log in with that address to accept it."
        )
    existing = db.session.execute(
        select(Membership).where(Membership.cluster_id == invitation.cluster_id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    invitation.accepted_at = utcnow()
    invitation.nonce = ""  # single use
    if existing:
        db.session.commit()
        return existing
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link reached this mailbox
    membership = Membership(
        cluster_id=invitation.cluster_id,
        user_id=user.id,
        role=invitation.role,
        organisation_name=organisation_name.strip(),
        organisation_type=organisation_type,
    )
    db.session.add(membership)
    db.session.commit()
    return membership


def _send(invitation: Invitation, inviter: User) -> None:
    try:
        check_and_record("invitation", invitation.email, invitation.cluster_id)
    except MailLimitReached as exc:
        db.session.rollback()
        raise ClusterError(str(exc)) from exc
    token = tokens.make_token(PURPOSE, {"id": invitation.id, "n": invitation.nonce})
    cluster = db.session.get(Cluster, invitation.cluster_id)
    send_email(
        invitation.email,
        f"You are invited to join {cluster.name} on Designing Clusters",
        "invitation",
        cluster=cluster,
        inviter=inviter,
        invitation=invitation,
        link=absolute_url("clusters.accept_invitation", token=token),
    )
