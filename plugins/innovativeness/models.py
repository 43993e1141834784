"""Tables of the self-assessment, all prefixed ``innovativeness_``.

A questionnaire's answers are stored as one JSON mapping per respondent
(statement key -> 0-5, 0 meaning "don't know"): a round's results then load in
one query of one row per respondent, however many statements the bank has.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import ClusterOwned, UTCDateTime, db, utcnow
from plugins.innovativeness.bank import QuestionBank
from plugins.innovativeness.scoring import encode_answers


class AssessmentRound(ClusterOwned, db.Model):
    """One assessment round in a cluster; its bank version never changes."""

    __tablename__ = "innovativeness_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    bank_version: Mapped[str] = mapped_column(String(20))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When members were told the results are available: set once, never mailed again.
    results_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When reminders were last sent; another batch waits for ``rounds.reminder_interval()``.
    reminders_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Bumped whenever a submitted answer changes, so cached results know they are stale.
    answers_version: Mapped[int] = mapped_column(Integer, default=0)
    #: Driver means frozen when the round closes (for deltas and the benchmark).
    summary: Mapped[dict | None] = mapped_column(JSON)
    #: Count one response per member organisation (the mean of its people's scores).
    one_per_organisation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    participants: Mapped[list[Participant]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > utcnow()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Participant(ClusterOwned, db.Model):
    """An invited member and, once they answer, their questionnaire."""

    __tablename__ = "innovativeness_participants"
    __table_args__ = (UniqueConstraint("round_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("innovativeness_rounds.id", ondelete="CASCADE"), index=True)
    #: Cleared when the member's account is deleted; their answers stay, anonymised.
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"), index=True)
    organisation_type: Mapped[str] = mapped_column(String(30), default="other")
    #: Opaque key of the member organisation (a hash, never its name); "" when unknown.
    organisation_key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    #: Staff of the cluster organisation (workspace managers): shown apart from members.
    cluster_office: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: ``answers`` encoded one character per statement (see ``scoring.encode_answers``);
    #: kept in step by ``set_answers``. Empty means "read the JSON instead".
    answer_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Random, so that exports can order respondents without revealing who came first.
    shuffle_key: Mapped[str] = mapped_column(String(16), default="")

    round: Mapped[AssessmentRound] = relationship(back_populates="participants")

    def set_answers(self, answers: dict[str, int], bank: QuestionBank) -> None:
        """Replace the answers and their compact encoding together."""
        self.answers = answers
        self.answer_codes = encode_answers(bank, answers)


class QuickTest(db.Model):
    """A visitor's quick test. Not owned by any cluster; deleted 24 h after it
    was started unless the visitor saves it into a workspace."""

    __tablename__ = "innovativeness_quick_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    bank_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SavedResult(ClusterOwned, db.Model):
    """A quick test result a signed-up visitor kept in a cluster workspace."""

    __tablename__ = "innovativeness_saved_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    bank_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BenchmarkShare(ClusterOwned, db.Model):
    """A cluster's consent to share its anonymised round results with the benchmark."""

    __tablename__ = "innovativeness_benchmark_shares"
    __table_args__ = (UniqueConstraint("cluster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opted_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opted_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FactSheet(ClusterOwned, db.Model):
    """Facts only the cluster office knows (bank ``facts``), filled in by a
    manager for one round and shown beside its results; never scored."""

    __tablename__ = "innovativeness_fact_sheets"
    __table_args__ = (UniqueConstraint("round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("innovativeness_rounds.id", ondelete="CASCADE"))
    #: Fact key -> value (number, percent or text; yes/no as true/false).
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
