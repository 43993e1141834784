from __future__ import annotations

from sqlalchemy import select

from core.accounts.models import User
from core.email.limits import MailLimitReached, check_and_record
from core.email.sending import send_email
from core.extensions import db
from core.models import utcnow
from core.proposals.models import PROPOSAL_KINDS, Proposal


def submit_proposal(name: str, email: str, organisation: str, kind: str, message: str) -> Proposal:
    proposal = Proposal(
        name=name.strip(), email=email.strip().lower(), organisation=organisation.strip(), kind=kind, message=message.strip()
    )
    db.session.add(proposal)
    db.session.flush()
    try:
        check_and_record("proposal", proposal.email)
    except MailLimitReached:
        # The proposal is kept for the team; only the confirmation to that address is skipped.
        db.session.commit()
        return proposal
    send_email(
        proposal.email,
        "We received your collaboration proposal",
        "proposal_received",
        proposal=proposal,
        kind_label=PROPOSAL_KINDS.get(kind, kind),
    )
    db.session.commit()
    return proposal


def list_proposals() -> list[Proposal]:
    return list(db.session.execute(select(Proposal).order_by(Proposal.reviewed_at.is_not(None), Proposal.created_at.desc())).scalars())


def mark_reviewed(proposal: Proposal, reviewer: User) -> None:
    if proposal.reviewed_at is None:
        proposal.reviewed_at = utcnow()
        proposal.reviewed_by_id = reviewer.id
        db.session.commit()
