"""The visitor's quick test: anonymous answers behind an unguessable token.

Unclaimed answers live 24 hours. They are purged on every access to the quick
test and by ``designing-clusters innovativeness purge-anonymous`` (run it from
cron). Saving a result into a workspace copies it there and deletes the
anonymous row at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from core.api import db, utcnow
from plugins.innovativeness.bank import QuestionBank, get_bank, latest_bank
from plugins.innovativeness.models import QuickTest, SavedResult
from plugins.innovativeness.questionnaire import first_incomplete_page

RETENTION = timedelta(hours=24)


def purge_anonymous(now: datetime | None = None) -> int:
    """Delete quick tests older than the retention period; returns how many."""
    cutoff = (now or utcnow()) - RETENTION
    result = db.session.execute(delete(QuickTest).where(QuickTest.created_at < cutoff))
    db.session.commit()
    return result.rowcount or 0


def start_quick_test() -> QuickTest:
    test = QuickTest(token=secrets.token_urlsafe(24), bank_version=latest_bank().version, answers={})
    db.session.add(test)
    db.session.commit()
    return test


def find_quick_test(token: str) -> QuickTest | None:
    """The live quick test with this token; expired ones are purged first."""
    purge_anonymous()
    if not token or len(token) > 64:
        return None
    return db.session.execute(select(QuickTest).where(QuickTest.token == token)).scalar_one_or_none()


def bank_of(test: QuickTest | SavedResult) -> QuestionBank:
    return get_bank(test.bank_version)


def save_quick_answers(test: QuickTest, answers: dict[str, int]) -> None:
    """Merge one page of answers; marks the test complete once all are given."""
    test.answers = {**test.answers, **answers}
    if test.completed_at is None and first_incomplete_page(bank_of(test), test.answers) is None:
        test.completed_at = utcnow()
    db.session.commit()


def claim_quick_test(test: QuickTest, cluster_id: int, user_id: int, note: str = "") -> SavedResult:
    """Keep a completed quick test in a workspace and drop the anonymous copy."""
    saved = SavedResult(
        cluster_id=cluster_id,
        user_id=user_id,
        bank_version=test.bank_version,
        answers=dict(test.answers),
        note=note,
        taken_at=test.created_at,
    )
    db.session.add(saved)
    db.session.delete(test)
    db.session.commit()
    return saved


def saved_results_for(cluster_id: int, user_id: int, is_manager: bool) -> list[SavedResult]:
    """Saved quick tests visible to this viewer: their own, or all for managers."""
    query = select(SavedResult).where(SavedResult.cluster_id == cluster_id)
    if not is_manager:
        query = query.where(SavedResult.user_id == user_id)
    return list(db.session.execute(query.order_by(SavedResult.saved_at.desc())).scalars())
