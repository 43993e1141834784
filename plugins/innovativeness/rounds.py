"""Assessment rounds: open, invite, remind, answer, close and publish.

Service functions own their transactions; views only call them. A round is
open until a manager closes it or its closing date passes; a round found past
its date is finalised on the next access (``finalise_due_rounds``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import func, select, update

from core.api import MemberInfo, background_request_context, db, list_members, members_by_id, send_email, utcnow
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.questionnaire import first_incomplete_page
from plugins.innovativeness.results import freeze_summary


def answer_link(cluster_id: int, round_id: int) -> str:
    """Absolute link for emails, also when called outside a request (CLI, workers)."""
    with background_request_context():
        return url_for("innovativeness.answer", cluster_id=cluster_id, round_id=round_id, _external=True)


class RoundError(ValueError):
    """An action the round's state does not allow (shown to the user)."""


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


def open_round(
    cluster_id: int,
    cluster_name: str,
    created_by_id: int,
    title: str,
    bank_version: str,
    closes_at: datetime,
    anonymous: bool,
    membership_ids: list[int] | None,
) -> AssessmentRound:
    """Create a round and invite the chosen members (all when ``membership_ids`` is None)."""
    get_bank(bank_version)
    if closes_at <= utcnow():
        raise RoundError("The closing date must be in the future.")
    members = list_members(cluster_id)
    if membership_ids is not None:
        chosen = set(membership_ids)
        members = [m for m in members if m.membership_id in chosen]
    if not members:
        raise RoundError("Invite at least one member.")
    rnd = AssessmentRound(
        cluster_id=cluster_id,
        title=title.strip(),
        bank_version=bank_version,
        closes_at=closes_at,
        anonymous=anonymous,
        created_by_id=created_by_id,
    )
    db.session.add(rnd)
    db.session.flush()
    for member in members:
        db.session.add(
            Participant(
                cluster_id=cluster_id,
                round_id=rnd.id,
                membership_id=member.membership_id,
                organisation_type=member.organisation_type,
                answers={},
                shuffle_key=secrets.token_hex(8),
            )
        )
    db.session.commit()
    link = answer_link(cluster_id, rnd.id)
    with background_request_context():
        for member in members:
            _invite(member, cluster_name, rnd, link)
    db.session.commit()  # the outbox, when mail is kept locally
    return rnd


def _invite(member: MemberInfo, cluster_name: str, rnd: AssessmentRound, link: str) -> None:
    send_email(
        member.email,
        f"Your view on {cluster_name}: {rnd.title}",
        "innovativeness_round_invitation",
        cluster_name=cluster_name,
        round=rnd,
        link=link,
        name=member.name,
    )


def response_rates(round_ids: list[int]) -> dict[int, ResponseRate]:
    """Invited and submitted counts for several rounds in one query."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(Participant.round_id, func.count(Participant.id), func.count(Participant.submitted_at))
        .where(Participant.round_id.in_(round_ids))
        .group_by(Participant.round_id)
    ).all()
    found = {rid: ResponseRate(invited, submitted) for rid, invited, submitted in rows}
    return {rid: found.get(rid, ResponseRate(0, 0)) for rid in round_ids}


def send_reminders(rnd: AssessmentRound, cluster_name: str) -> int:
    """Email every invited member who has not submitted yet; returns how many."""
    if not rnd.is_open:
        raise RoundError("This round is closed; there is nobody left to remind.")
    pending = {
        p.membership_id: p
        for p in db.session.execute(
            select(Participant).where(Participant.round_id == rnd.id, Participant.submitted_at.is_(None))
        ).scalars()
        if p.membership_id is not None
    }
    link = answer_link(rnd.cluster_id, rnd.id)
    sent = 0
    now = utcnow()
    with background_request_context():
        for member in list_members(rnd.cluster_id):
            participant = pending.get(member.membership_id)
            if participant is None:
                continue
            send_email(
                member.email,
                f"Reminder: {rnd.title} closes on {rnd.closes_at:%d %b %Y}",
                "innovativeness_round_reminder",
                cluster_name=cluster_name,
                round=rnd,
                link=link,
                name=member.name,
            )
            participant.reminded_at = now
            sent += 1
    db.session.commit()
    return sent


def close_round(rnd: AssessmentRound) -> None:
    """Stop answers and freeze the driver means used for deltas and the benchmark."""
    if rnd.closed_at is not None:
        raise RoundError("This round is already closed.")
    rnd.closed_at = min(utcnow(), rnd.closes_at)
    rnd.summary = freeze_summary(rnd)
    db.session.commit()


def finalise_due_rounds(cluster_id: int) -> None:
    """Close rounds whose closing date has passed (cheap when there are none)."""
    due = db.session.execute(
        select(AssessmentRound).where(
            AssessmentRound.cluster_id == cluster_id,
            AssessmentRound.closed_at.is_(None),
            AssessmentRound.closes_at <= utcnow(),
        )
    ).scalars()
    for rnd in list(due):
        close_round(rnd)


def publish_round(rnd: AssessmentRound, publish: bool, cluster_name: str | None = None) -> int:
    """Show or hide the results to members; the first publication emails every
    invited member (when ``cluster_name`` is given). Returns how many were told."""
    first_time = publish and rnd.published_at is None
    rnd.published_at = utcnow() if publish else None
    db.session.commit()
    if not (first_time and cluster_name):
        return 0
    invited = set(db.session.execute(select(Participant.membership_id).where(Participant.round_id == rnd.id)).scalars())
    with background_request_context():
        link = url_for("innovativeness.round_results_page", cluster_id=rnd.cluster_id, round_id=rnd.id, _external=True)
        recipients = [m for m in list_members(rnd.cluster_id) if m.membership_id in invited]
        for member in recipients:
            send_email(
                member.email,
                f"Results of {rnd.title} are available",
                "innovativeness_results_published",
                cluster_name=cluster_name,
                round=rnd,
                link=link,
                name=member.name,
            )
    db.session.commit()
    return len(recipients)


def participant_of(rnd: AssessmentRound, membership_id: int) -> Participant | None:
    return db.session.execute(
        select(Participant).where(Participant.round_id == rnd.id, Participant.membership_id == membership_id)
    ).scalar_one_or_none()


def save_answers(
    rnd: AssessmentRound,
    participant: Participant,
    answers: dict[str, int],
    submit: bool,
    organisation_type: str | None = None,
) -> None:
    """Store one page of answers; submitting needs every statement answered.

    ``organisation_type`` refreshes the actor type recorded at invitation, in
    case the member's organisation profile changed since.

    Changing a submitted questionnaire bumps the round's ``answers_version`` so
    that cached results are recomputed.
    """
    if not rnd.is_open:
        raise RoundError("This round is closed; answers can no longer be changed.")
    participant.set_answers({**participant.answers, **answers}, get_bank(rnd.bank_version))
    participant.started_at = participant.started_at or utcnow()
    if organisation_type:
        participant.organisation_type = organisation_type
    if submit:
        if first_incomplete_page(get_bank(rnd.bank_version), participant.answers) is not None:
            raise RoundError("Please answer every statement before submitting.")
        participant.submitted_at = participant.submitted_at or utcnow()
    if participant.submitted_at is not None:
        db.session.execute(
            update(AssessmentRound)
            .where(AssessmentRound.id == rnd.id)
            .values(answers_version=AssessmentRound.answers_version + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def results_readable(rnd: AssessmentRound, is_manager: bool) -> bool:
    """Who may read a round's aggregated results, and when.

    Managers may follow a named round while it runs. An anonymous round shows
    results only once closed: comparing interim results before and after one
    more submission would otherwise reveal that person's answers.
    """
    if rnd.anonymous and rnd.is_open:
        return False
    return is_manager or rnd.is_published


def rounds_of(cluster_id: int) -> list[AssessmentRound]:
    finalise_due_rounds(cluster_id)
    return list(
        db.session.execute(
            select(AssessmentRound)
            .where(AssessmentRound.cluster_id == cluster_id)
            .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        ).scalars()
    )


def my_participations(cluster_id: int, membership_id: int) -> dict[int, Participant]:
    """This member's participant row per round, in one query."""
    rows = db.session.execute(
        select(Participant).where(Participant.cluster_id == cluster_id, Participant.membership_id == membership_id)
    ).scalars()
    return {p.round_id: p for p in rows}


def participants_status(rnd: AssessmentRound) -> list[tuple[str, str, bool]]:
    """(name, organisation, submitted) per invitee, in two queries — named rounds only."""
    if rnd.anonymous:
        return []
    rows = db.session.execute(
        select(Participant.membership_id, Participant.submitted_at).where(
            Participant.round_id == rnd.id, Participant.membership_id.is_not(None)
        )
    ).all()
    members = members_by_id([membership_id for membership_id, _ in rows])
    return sorted(
        (members[mid].name, members[mid].organisation_name, submitted is not None)
        for mid, submitted in rows
        if mid in members
    )


def close_due_rounds() -> int:
    """Close every round whose closing date has passed; returns how many."""
    due = list(
        db.session.execute(
            select(AssessmentRound).where(AssessmentRound.closed_at.is_(None), AssessmentRound.closes_at <= utcnow())
        ).scalars()
    )
    for rnd in due:
        close_round(rnd)
    return len(due)
