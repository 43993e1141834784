"""Account deletion: drop a person's unsubmitted and individual data, keep
closed rounds' aggregates intact by detaching (not deleting) their answers."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from core.api import clusters_of_user, db, utcnow
from plugins.innovativeness.models import AssessmentRound, Participant, SavedResult


def delete_user_data(user_id: int) -> None:
    """Called inside the deleting transaction (no commit)."""
    membership_ids = [info.membership_id for info in clusters_of_user(user_id)]
    if membership_ids:
        open_rounds = select(AssessmentRound.id).where(AssessmentRound.closed_at.is_(None), AssessmentRound.closes_at > utcnow())
        db.session.execute(
            delete(Participant).where(Participant.membership_id.in_(membership_ids), Participant.round_id.in_(open_rounds))
        )
        db.session.execute(
            update(Participant).where(Participant.membership_id.in_(membership_ids)).values(membership_id=None)
        )
    db.session.execute(delete(SavedResult).where(SavedResult.user_id == user_id))
