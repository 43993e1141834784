"""Export documents of a round. Nothing here names a respondent.

The CSV lists one row per submitted questionnaire in a random order, with the
actor type only where at least three respondents share it (otherwise
"withheld"), and no dates, so rows cannot be matched to people.
"""

from __future__ import annotations

from collections import Counter

from core.api import csv_text

from plugins.innovativeness.aggregation import MIN_GROUP_SIZE
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.models import AssessmentRound
from plugins.innovativeness.results import comparison_with_previous, load_respondents, round_results
from plugins.innovativeness.scoring import DONT_KNOW

WITHHELD = "withheld (group under 3)"


def anonymised_answers_csv(rnd: AssessmentRound) -> str | None:
    """CSV text, or None when fewer than MIN_GROUP_SIZE have submitted."""
    bank = get_bank(rnd.bank_version)
    respondents = load_respondents(rnd.id, with_answers=True)
    if len(respondents) < MIN_GROUP_SIZE:
        return None
    sizes = Counter(r.organisation_type for r in respondents)
    keys = [s.key for s in bank.statements]
    rows = []
    for n, r in enumerate(respondents, 1):
        actor = r.organisation_type if sizes[r.organisation_type] >= MIN_GROUP_SIZE else WITHHELD
        cells = ["dont_know" if r.answers.get(k) == DONT_KNOW else r.answers.get(k, "") for k in keys]
        rows.append([f"R{n}", actor, *cells])
    return csv_text(["respondent", "actor_type", *keys], rows)


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def results_document(rnd: AssessmentRound) -> dict:
    """The round's aggregated results as plain JSON-ready data."""
    bank = get_bank(rnd.bank_version)
    results = round_results(rnd)
    document: dict = {
        "round": {
            "id": rnd.id,
            "title": rnd.title,
            "bank_version": rnd.bank_version,
            "anonymous": rnd.anonymous,
            "closes_at": rnd.closes_at.isoformat(),
            "closed_at": rnd.closed_at.isoformat() if rnd.closed_at else None,
        },
        "respondents": results.respondents,
        "minimum_group_size": MIN_GROUP_SIZE,
        "visible": results.visible,
    }
    if not results.visible:
        document["note"] = "Fewer than 3 respondents: results are withheld so no individual can be singled out."
        return document
    comparison = comparison_with_previous(rnd, results)
    document["overall_index"] = _round2(results.overall)
    document["overall_index_median"] = _round2(results.overall_median)
    document["headline"] = "median"
    document["indicative"] = results.indicative
    document["one_per_organisation"] = results.one_per_organisation
    document["scope"] = bank.scope
    document["drivers"] = [
        {
            "key": d.key,
            "title": d.title,
            "element": d.element_key,
            "weight": d.weight,
            "n": results.drivers[d.key].n,
            "dont_know": results.drivers[d.key].dont_know,
            "mean": _round2(results.drivers[d.key].mean),
            "median": _round2(results.drivers[d.key].median),
            "q1": _round2(results.drivers[d.key].q1),
            "q3": _round2(results.drivers[d.key].q3),
            "iqr": _round2(results.drivers[d.key].iqr),
            "median_interval_90": (
                [_round2(results.drivers[d.key].low), _round2(results.drivers[d.key].high)]
                if results.drivers[d.key].low is not None else None
            ),
            "cronbach_alpha": _round2(results.drivers[d.key].alpha),
            "delta": _round2(comparison.deltas.get(d.key)) if comparison else None,
        }
        for d in bank.drivers
    ]
    document["strengths"] = results.strengths
    document["weaknesses"] = results.weaknesses
    document["divergences"] = [
        {
            "driver": v.driver_key,
            "iqr": _round2(v.iqr),
            "wide_spread": v.wide_spread,
            "actor_gap": _round2(v.gap) if v.actor_gap else None,
            "highest_actor_type": v.high_type if v.actor_gap else None,
            "lowest_actor_type": v.low_type if v.actor_gap else None,
        }
        for v in results.divergences
    ]
    document["actor_types"] = [
        {"type": g.organisation_type, "n": g.n, "overall": _round2(g.overall),
         "drivers": {k: _round2(v) for k, v in g.driver_means.items()}}
        for g in results.groups
    ]
    document["respondents_in_hidden_groups"] = results.hidden_group_respondents
    if results.office is not None:
        document["cluster_office"] = {
            "respondents": results.office.n,
            "drivers": {k: _round2(v) for k, v in results.office.driver_medians.items()},
        }
    if comparison:
        document["previous_round"] = {"id": comparison.round_id, "title": comparison.title,
                                      "overall_delta": _round2(comparison.overall_delta),
                                      "compared_on": comparison.basis,
                                      "bank_version": comparison.other_version or rnd.bank_version}
    return document
