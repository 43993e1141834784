"""Assessment rounds: open, invite, remind, answer, close and publish.

Service functions own their transactions; views only call them. A round is
open until a manager closes it or its closing date passes; a round found past
its date is finalised on the next access (``finalise_due_rounds``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, insert, or_, select, update

from core.api import (
    BulkMailProgress,
    MemberInfo,
    absolute_url,
    bulk_mail_jobs,
    db,
    list_members,
    members_by_id,
    send_bulk_email,
    utcnow,
)
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.organisations import is_cluster_office, organisation_key
from plugins.innovativeness.questionnaire import first_incomplete_page
from plugins.innovativeness.thresholds import LOW_RESPONSE_RATE_PERCENT
from plugins.innovativeness.results import freeze_summary


def answer_link(cluster_id: int, round_id: int) -> str:
    """Absolute link for emails, also when called outside a request (CLI, workers)."""
    return absolute_url("innovativeness.answer", cluster_id=cluster_id, round_id=round_id)


class RoundError(ValueError):
    """An action the round's state does not allow (shown to the user)."""


#: Default wait between two batches of reminders of one round (a double click or a
#: second manager must not mail everyone twice); ``INNOVATIVENESS_REMINDER_INTERVAL_SECONDS``
#: overrides it.
REMINDER_INTERVAL = timedelta(hours=24)


def reminder_interval() -> timedelta:
    seconds = current_app.config.get("INNOVATIVENESS_REMINDER_INTERVAL_SECONDS")
    return REMINDER_INTERVAL if seconds is None else timedelta(seconds=int(seconds))


def next_reminder_at(rnd: AssessmentRound) -> datetime | None:
    """When reminders may be sent again (UTC), or None when they may be sent now."""
    if rnd.reminders_sent_at is None:
        return None
    due = rnd.reminders_sent_at + reminder_interval()
    return due if due > utcnow() else None


def _claim(rnd: AssessmentRound, column: str, *conditions) -> datetime | None:  # type: ignore[no-untyped-def]
    """Compare-and-set ``column`` to now: one of two concurrent requests wins; None for the loser."""
    now = utcnow()
    claimed = db.session.execute(
        update(AssessmentRound)
        .where(AssessmentRound.id == rnd.id, *conditions)
        .values({column: now})
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # a DML result has a row count
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(rnd)
        return None
    setattr(rnd, column, now)
    return now


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0

    @property
    def low(self) -> bool:
        """Under ``LOW_RESPONSE_RATE_PERCENT``: answers may not represent the membership."""
        return self.invited > 0 and 100 * self.submitted < LOW_RESPONSE_RATE_PERCENT * self.invited


def open_round(
    cluster_id: int,
    cluster_name: str,
    created_by_id: int,
    title: str,
    bank_version: str,
    closes_at: datetime,
    anonymous: bool,
    membership_ids: list[int] | None,
    one_per_organisation: bool = False,
) -> AssessmentRound:
    """Create a round and invite the chosen members (all when ``membership_ids`` is None).

    ``one_per_organisation`` makes results count each member organisation once."""
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
        one_per_organisation=one_per_organisation,
    )
    db.session.add(rnd)
    db.session.flush()
    # One multi-row INSERT, no ORM objects: a round of 200 members opens in well under 200 ms.
    db.session.execute(
        insert(Participant),
        [
            {
                "cluster_id": cluster_id,
                "round_id": rnd.id,
                "membership_id": member.membership_id,
                "organisation_type": member.organisation_type,
                "organisation_key": organisation_key(cluster_id, member.organisation_name),
                "cluster_office": is_cluster_office(member),
                "answers": {},
                "shuffle_key": secrets.token_hex(8),
            }
            for member in members
        ],
    )
    _mail_members(
        rnd, members, f"Your view on {cluster_name}: {rnd.title}", "innovativeness_round_invitation", "invitations",
        cluster_name=cluster_name, link=answer_link(cluster_id, rnd.id),
    )
    db.session.commit()
    return rnd


def mail_job_key(round_id: int) -> str:
    """The key of a round's bulk mail jobs (invitations, reminders, results published)."""
    return f"innovativeness.round.{round_id}"


def mail_jobs(rnd: AssessmentRound) -> list[BulkMailProgress]:
    """The round's latest bulk mail jobs, newest first, for their progress on the round page."""
    return bulk_mail_jobs(mail_job_key(rnd.id), rnd.cluster_id)


def _mail_members(
    rnd: AssessmentRound, members: list[MemberInfo], subject: str, template: str, label: str, **context: object
) -> int:
    """Record a bulk mail job to ``members`` in the current transaction: a worker renders and
    sends the mails after the commit, and the page shows its progress. Returns how many."""
    send_bulk_email(
        [(m.email, {"name": m.name}) for m in members],
        subject,
        template,
        label=label,
        cluster_id=rnd.cluster_id,
        key=mail_job_key(rnd.id),
        round={"title": rnd.title, "closes_at": rnd.closes_at, "closed_at": rnd.closed_at, "anonymous": rnd.anonymous},
        **context,
    )
    return len(members)


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
    """Email every invited member who has not submitted yet; returns how many.

    Raises RoundError when the round is closed or reminders were sent less than
    ``reminder_interval()`` ago (checked and set atomically, so two clicks send once).
    """
    if not rnd.is_open:
        raise RoundError("This round is closed; there is nobody left to remind.")
    pending = {
        p.membership_id: p
        for p in db.session.execute(
            select(Participant).where(Participant.round_id == rnd.id, Participant.submitted_at.is_(None))
        ).scalars()
        if p.membership_id is not None
    }
    if not pending:
        return 0
    earliest = utcnow() - reminder_interval()
    now = _claim(rnd, "reminders_sent_at", or_(AssessmentRound.reminders_sent_at.is_(None), AssessmentRound.reminders_sent_at <= earliest))
    if now is None:
        due = next_reminder_at(rnd)
        raise RoundError(
            f"Reminders were already sent on {rnd.reminders_sent_at:%d %b %Y at %H:%M} UTC"
            + (f"; you can send them again from {due:%d %b %Y at %H:%M} UTC." if due else ".")
        )
    reminded = [m for m in list_members(rnd.cluster_id) if m.membership_id in pending]
    for member in reminded:
        pending[member.membership_id].reminded_at = now
    sent = _mail_members(
        rnd, reminded, f"Reminder: {rnd.title} closes on {rnd.closes_at:%d %b %Y}", "innovativeness_round_reminder",
        "reminders", cluster_name=cluster_name, link=answer_link(rnd.cluster_id, rnd.id),
    )
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
    """Show (``publish=True``) or hide the results to members; the same request twice
    changes nothing. The first publication of a round emails every invited member
    (when ``cluster_name`` is given), once in the round's life: publishing again
    after hiding mails no one. Returns how many were told."""
    if publish and rnd.published_at is None:
        rnd.published_at = utcnow()
    elif not publish:
        rnd.published_at = None
    db.session.commit()
    if not (publish and cluster_name) or rnd.results_mailed_at is not None:
        return 0
    if _claim(rnd, "results_mailed_at", AssessmentRound.results_mailed_at.is_(None)) is None:
        return 0
    invited = set(db.session.execute(select(Participant.membership_id).where(Participant.round_id == rnd.id)).scalars())
    recipients = [m for m in list_members(rnd.cluster_id) if m.membership_id in invited]
    told = _mail_members(
        rnd, recipients, f"Results of {rnd.title} are available", "innovativeness_results_published", "emails",
        cluster_name=cluster_name,
        link=absolute_url("innovativeness.round_results_page", cluster_id=rnd.cluster_id, round_id=rnd.id),
    )
    db.session.commit()
    return told


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


def results_readable(rnd: AssessmentRound, reads_aggregates: bool) -> bool:
    """Who may read a round's aggregated results, and when.

    ``reads_aggregates``: the viewer reads what a manager reads (managers, and
    a consultant with access — ``ClusterContext.reads_aggregates``); others
    once the results are published. Managers may follow a named round while it
    runs. An anonymous round shows results only once closed: comparing interim
    results before and after one more submission would otherwise reveal that
    person's answers.
    """
    if rnd.anonymous and rnd.is_open:
        return False
    return reads_aggregates or rnd.is_published


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
