"""The cluster's newest rounds with their response rates, in one query per request.

The dashboard's widget (the latest round and its rate) and its export links
(the latest round the viewer may read among the five newest) both read this.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import g
from sqlalchemy import Select, bindparam, func, select

from core.api import db
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.rounds import ResponseRate

RECENT_LIMIT = 5


@cache
def _recent_statement() -> Select[Any]:
    """Newest rounds of ``:cluster_id`` with (invited, submitted) counts; built once per process.

    One pass over the participants (a join and GROUP BY), not one subquery per count.
    """
    return (
        select(AssessmentRound, func.count(Participant.id), func.count(Participant.submitted_at))
        .outerjoin(Participant, Participant.round_id == AssessmentRound.id)
        .where(AssessmentRound.cluster_id == bindparam("cluster_id"))
        .group_by(AssessmentRound.id)
        .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        .limit(RECENT_LIMIT)
    )


def recent_rounds(cluster_id: int) -> list[tuple[AssessmentRound, ResponseRate]]:
    """Up to ``RECENT_LIMIT`` rounds, newest first, each with (invited, submitted) counts."""
    memo = g.setdefault("_innovativeness_recent", {})
    if cluster_id not in memo:
        rows = db.session.execute(_recent_statement(), {"cluster_id": cluster_id}).all()
        memo[cluster_id] = [(rnd, ResponseRate(n or 0, s or 0)) for rnd, n, s in rows]
    return memo[cluster_id]
