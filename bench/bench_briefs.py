"""Workshop-brief divergences at scale, against the computations their pages already do.

Prints the time of each divergence finder and its RATIO to a baseline measured in the
same run on the same data: the assessment's (1,000 respondents) against
``aggregate_round`` (what the results page computes), the canvas's (5,000 votes)
against ``compute_alignment`` (the alignment page), and ranking 300 divergences against
sorting them by spread alone. Asserts nothing about time.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from markupsafe import Markup  # noqa: E402

from core.api import ContributedDivergence, Divergence, DivergingGroup  # noqa: E402

TYPES = ["sme", "university", "startup", "large_firm", "investor", "research_institute"]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Fastest of ``runs`` timings, seconds (the least disturbed by the shared machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def assessment() -> None:
    from plugins.innovativeness.aggregation import Respondent, aggregate_round, counted_units
    from plugins.innovativeness.bank import latest_bank
    from plugins.innovativeness.divergences import driver_divergences

    bank = latest_bank()
    rng = random.Random(7)
    people = [Respondent(rng.choice(TYPES), {s.key: rng.randint(1, 5) for s in bank.statements}) for _ in range(1000)]
    baseline = best_of(3, lambda: aggregate_round(bank, people))
    measured = best_of(3, lambda: driver_divergences(bank, counted_units(bank, people), "Bench round"))
    print(f"assessment divergences, 1000 respondents: {measured * 1000:.1f} ms; "
          f"ratio to aggregate_round ({baseline * 1000:.1f} ms): {measured / baseline:.2f}")


def canvas() -> None:
    from plugins.canvas.alignment import NoteFact, VoteFact, compute_alignment
    from plugins.canvas.divergences import element_divergences
    from plugins.canvas.elements import framework

    rng = random.Random(11)
    keys = framework().keys
    notes = [NoteFact(i, keys[i % len(keys)], 10_000 + i, rng.choice(TYPES)) for i in range(200)]
    votes = [VoteFact(rng.randrange(200), rng.randrange(400), rng.choice(TYPES), rng.choice(["agree", "disagree"]))
             for _ in range(5000)]
    elements = {n.id: n.element for n in notes}
    baseline = best_of(5, lambda: compute_alignment(keys, notes, votes, TYPES))
    measured = best_of(5, lambda: element_divergences(votes, elements, "Bench canvas"))
    print(f"canvas element divergences, 5000 votes: {measured * 1000:.1f} ms; "
          f"ratio to compute_alignment ({baseline * 1000:.1f} ms): {measured / baseline:.2f}")


def ranking() -> None:
    from engagements.briefs.ranking import rank, select_items

    rng = random.Random(3)
    found = [
        ContributedDivergence("canvas", "Canvas", Divergence(
            f"k{i}", f"Topic {i} on governance and funding", "agreement", 40.0, "%", rng.random(), rng.randint(3, 80),
            Markup(""), about=f"canvas:x:{i % 120}", groups=(DivergingGroup("sme", "lower", 4),),
            keywords=("governance", "labs")))
        for i in range(300)
    ]
    goals = "We want to agree on the governance of our shared labs and how funding is found"
    baseline = best_of(5, lambda: sorted(found, key=lambda c: -c.divergence.spread))
    measured = best_of(5, lambda: select_items(rank(found, goals, 120)))
    print(f"ranking 300 divergences: {measured * 1000:.2f} ms; "
          f"ratio to sorting by spread ({baseline * 1000:.3f} ms): {measured / baseline:.1f}")


if __name__ == "__main__":
    from bench.common import make_bench_app, bench_database_url

    app = make_bench_app(bench_database_url())  # the element framework and banks load inside an app
    with app.app_context():
        assessment()
        canvas()
        ranking()
