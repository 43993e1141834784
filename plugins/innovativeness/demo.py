"""Demo history: two closed, published rounds answered by the demo members.

Answers are generated deterministically from a per-actor-type profile (for
example universities rate research integration high and access to finance
low), with the second round a little better on a few drivers, so the demo
shows strengths, weaknesses, divergence flags and deltas.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from core.api import DemoCluster, db, utcnow
from plugins.innovativeness.bank import QuestionBank, latest_bank
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.results import freeze_summary
from plugins.innovativeness.scoring import DONT_KNOW

#: Agreement level (1-5) per driver by actor type; drivers not listed sit at 3.2.
TENDENCIES: dict[str, dict[str, float]] = {
    "university": {"D6": 4.4, "D5": 3.8, "D8": 2.3, "D4": 3.6, "D13": 2.8},
    "research_institute": {"D6": 4.2, "D2": 3.9, "D8": 2.5, "D11": 3.9},
    "sme": {"D6": 2.5, "D8": 2.4, "D15": 3.8, "D9": 4.0, "D12": 2.6},
    "startup": {"D4": 4.3, "D8": 2.0, "D16": 3.9, "D12": 2.5, "D1": 3.9},
    "large_firm": {"D2": 4.1, "D11": 4.2, "D5": 4.1, "D15": 2.6, "D4": 2.7},
    "public_authority": {"D14": 4.2, "D13": 3.9, "D3": 3.8},
    "intermediary": {"D13": 4.1, "D3": 3.9, "D9": 3.8},
    "investor": {"D8": 3.9, "D4": 3.8, "D16": 3.0},
}
IMPROVED_IN_SECOND_ROUND = {"D3": 0.5, "D12": 0.6, "D8": 0.3}


def _answers(bank: QuestionBank, org_type: str, rng: random.Random, boost: dict[str, float]) -> dict[str, int]:
    levels = TENDENCIES.get(org_type, {})
    answers: dict[str, int] = {}
    for driver in bank.drivers:
        level = levels.get(driver.key, 3.2) + boost.get(driver.key, 0.0)
        for statement in driver.statements:
            if rng.random() < 0.05:
                answers[statement.key] = DONT_KNOW
                continue
            agreement = max(1, min(5, round(rng.gauss(level, 0.8))))
            answers[statement.key] = 6 - agreement if statement.reverse else agreement
    return answers


def add_demo_rounds(cluster: DemoCluster) -> int:
    """Add the two rounds (no commit); returns the number of respondents per round."""
    bank = latest_bank()
    rng = random.Random(f"innovativeness-demo-{cluster.id}")
    now = utcnow()
    plans = [
        ("Spring assessment", now - timedelta(days=200), now - timedelta(days=170), {}, 0.8),
        ("Autumn assessment", now - timedelta(days=40), now - timedelta(days=10), IMPROVED_IN_SECOND_ROUND, 1.0),
    ]
    respondents = 0
    for title, opened, closed, boost, share in plans:
        rnd = AssessmentRound(
            cluster_id=cluster.id, title=title, bank_version=bank.version, anonymous=True,
            closes_at=closed, created_at=opened, closed_at=closed, published_at=closed,
        )
        db.session.add(rnd)
        db.session.flush()
        answered = 0
        for member in cluster.members:
            takes_part = rng.random() < share or member.role == "manager"
            participant = Participant(
                cluster_id=cluster.id, round_id=rnd.id, membership_id=member.membership_id,
                organisation_type=member.organisation_type,
                invited_at=opened, started_at=opened + timedelta(days=2) if takes_part else None,
                submitted_at=opened + timedelta(days=3) if takes_part else None,
                shuffle_key=secrets.token_hex(8),
            )
            participant.set_answers(_answers(bank, member.organisation_type, rng, boost) if takes_part else {}, bank)
            db.session.add(participant)
            answered += takes_part
        db.session.flush()
        rnd.summary = freeze_summary(rnd)
        respondents = max(respondents, answered)
    return respondents
