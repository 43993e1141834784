"""Round results: load the submitted questionnaires in one query and aggregate.

The query count does not depend on the number of respondents: one SELECT of
(organisation type, answers) rows. Results are cached per process by
(round id, creation time, answers version, closing), so reading a busy results page repeatedly costs
one small query for the round and none for the answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Text, cast, select

from core.api import db
from plugins.innovativeness.aggregation import Respondent, RoundResults, aggregate_round, driver_deltas
from plugins.innovativeness.bank import driver_mapping, get_bank
from plugins.innovativeness.cache import TimedLRU, clear_all
from plugins.innovativeness.models import AssessmentRound, Participant

_cache: TimedLRU[RoundResults] = TimedLRU(size=256, ttl_seconds=3600)


@dataclass(frozen=True)
class Comparison:
    """The previous closed round of the same cluster and the change since then."""

    round_id: int
    title: str
    deltas: dict[str, float | None]
    overall_delta: float | None
    #: "median" when both rounds froze medians, else "mean" (older rounds kept means only).
    basis: str = "median"
    #: The earlier round's bank version, when it differs from this round's.
    other_version: str | None = None


def load_respondents(round_id: int, with_answers: bool = False) -> list[Respondent]:
    """Submitted questionnaires in one query, in the random ``shuffle_key`` order.

    The JSON answers are decoded only where needed (``with_answers``, or a row
    without a compact encoding): scoring reads the code string, which is many
    times cheaper to handle for a thousand respondents.
    """
    rows = db.session.execute(
        select(
            Participant.organisation_type, Participant.answer_codes, cast(Participant.answers, Text),
            Participant.organisation_key, Participant.cluster_office,
        )
        .where(Participant.round_id == round_id, Participant.submitted_at.is_not(None))
        .order_by(Participant.shuffle_key)
    ).all()
    return [
        Respondent(org_type, json.loads(raw) if with_answers or not codes else {}, codes, org_key or "", bool(office))
        for org_type, codes, raw, org_key, office in rows
    ]


def compute_results(rnd: AssessmentRound) -> RoundResults:
    """Fresh results of a round, straight from the database (no cache).
    Internal consistency is computed once the round is closed."""
    return aggregate_round(
        get_bank(rnd.bank_version),
        load_respondents(rnd.id),
        one_per_organisation=bool(rnd.one_per_organisation),
        consistency=rnd.closed_at is not None,
    )


def round_results(rnd: AssessmentRound) -> RoundResults:
    """Cached results; any change to a submitted answer changes the key.

    The creation time is part of the key so that a reused id (a test database
    emptied between tests, a restored backup) never serves stale results.
    """
    return _cache.get_or_compute(results_key(rnd), lambda: compute_results(rnd))


def results_key(rnd: AssessmentRound) -> tuple:
    return (rnd.id, rnd.created_at, rnd.answers_version, rnd.closed_at)


def clear_cache() -> None:
    """Forget cached results and the result pages rendered from them."""
    clear_all()


def freeze_summary(rnd: AssessmentRound) -> dict:
    """What a closed round keeps for later comparisons and the benchmark: its
    bank version, n, the overall index (mean and median), driver means
    (``drivers``, as before) and driver medians (``medians``)."""
    results = compute_results(rnd)
    return {
        "bank_version": rnd.bank_version,
        "respondents": results.respondents,
        "overall": results.overall,
        "overall_median": results.overall_median,
        "drivers": {k: d.mean for k, d in results.drivers.items()} if results.visible else {},
        "medians": {k: d.median for k, d in results.drivers.items()} if results.visible else {},
    }


def previous_round(rnd: AssessmentRound) -> AssessmentRound | None:
    """The latest round of the cluster closed before this one was opened."""
    return db.session.execute(
        select(AssessmentRound)
        .where(
            AssessmentRound.cluster_id == rnd.cluster_id,
            AssessmentRound.id != rnd.id,
            AssessmentRound.closed_at.is_not(None),
            AssessmentRound.created_at <= rnd.created_at,
        )
        .order_by(AssessmentRound.closed_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def comparison_with_previous(rnd: AssessmentRound, results: RoundResults) -> Comparison | None:
    """Change since the previous closed round, on medians when both rounds have
    them (else on means). Across bank versions only drivers that the newer
    bank maps to the older one (``previous``) are compared; others show no change."""
    previous = previous_round(rnd)
    if previous is None or not previous.summary or not previous.summary.get("drivers") or not results.visible:
        return None
    mapping = driver_mapping(get_bank(rnd.bank_version), get_bank(previous.bank_version))
    if previous.summary.get("medians"):
        basis, before, current = "median", previous.summary["medians"], results.medians()
        overall_now, overall_before = results.overall_median, previous.summary.get("overall_median")
    else:
        basis, before, current = "mean", previous.summary["drivers"], results.means()
        overall_now, overall_before = results.overall, previous.summary.get("overall")
    mapped_before = {key: before.get(old) for key, old in mapping.items()}
    deltas = driver_deltas(current, mapped_before)
    same_version = rnd.bank_version == previous.bank_version
    overall_delta = (
        overall_now - overall_before if same_version and overall_now is not None and overall_before is not None else None
    )
    return Comparison(
        previous.id, previous.title, deltas, overall_delta, basis, None if same_version else previous.bank_version
    )


def closed_rounds_history(cluster_id: int) -> list[AssessmentRound]:
    """Closed rounds with a frozen summary, oldest first (progress over time)."""
    return list(
        db.session.execute(
            select(AssessmentRound)
            .where(AssessmentRound.cluster_id == cluster_id, AssessmentRound.closed_at.is_not(None))
            .order_by(AssessmentRound.closed_at)
        ).scalars()
    )


def latest_visible_round(cluster_id: int) -> AssessmentRound | None:
    """The most recently closed round with enough respondents to show results."""
    for rnd in reversed(closed_rounds_history(cluster_id)):
        if rnd.summary and rnd.summary.get("drivers"):
            return rnd
    return None
