"""The assessment's divergences for workshop briefs: widest-spread drivers and actor-type gaps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from core.api import MIN_GROUP_SIZE, ORGANISATION_TYPES, ClusterContext, ReportRequest, collect_divergences, utcnow
from plugins.innovativeness.bank import get_bank
from plugins.innovativeness.divergences import divergences, driver_divergences
from tests.factories import create_cluster
from tests.plugins.innovativeness.helpers import seed_round

BANK = get_bank("1")


def _context(cluster) -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(id=cluster.id, name=cluster.name, user_id=0, role="manager", organisation_type="")


def _units(*pairs: tuple[str, float]) -> list[tuple[str, dict[str, float | None]]]:
    return [(t, {d.key: score for d in BANK.drivers}) for t, score in pairs]


def test_a_polarised_round_gives_spread_and_gap_divergences_with_the_types_apart():
    found = driver_divergences(BANK, _units(("sme", 0), ("sme", 0), ("sme", 25),
                                            ("university", 75), ("university", 100), ("university", 100)), "Spring")
    spreads = [d for d in found if d.key.startswith("spread-")]
    gaps = [d for d in found if d.key.startswith("gap-")]
    assert len(spreads) == 4 and len(gaps) == 4
    first = spreads[0]
    driver = first.key.removeprefix("spread-")
    assert (first.measure, first.value, first.unit, first.spread, first.people) == (
        "interquartile range", 87.5, "points", 1.0, 6)
    assert first.about == f"innovativeness:driver:{driver}"
    assert [(g.actor_type, g.direction, g.people) for g in first.groups] == [("sme", "lower", 3),
                                                                            ("university", "higher", 3)]
    assert first.groups[0].detail == "median 0 against 100 for the others"
    gap = gaps[0]
    assert (gap.measure, gap.value, gap.spread) == ("gap between actor-type medians", 100.0, 1.0)
    assert isinstance(gap.evidence, Markup) and "<svg" in gap.evidence and "University" in gap.evidence


def test_agreement_gives_nothing_and_small_groups_are_never_named():
    assert driver_divergences(BANK, _units(*[("sme", 50)] * 6), "Calm") == []
    found = driver_divergences(BANK, _units(("sme", 0), ("sme", 0), ("sme", 25), ("university", 100),
                                            ("university", 100), ("university", 75), ("investor", 100)), "Spring")
    # one investor: pooled they would be readable by subtraction, so no breakdown and no gap at all
    assert found and all(d.groups == () for d in found) and not any(d.key.startswith("gap-") for d in found)
    assert all("Investor" not in d.evidence and "Other actor types" not in d.evidence for d in found)


def test_the_hook_reads_the_latest_closed_round_only():
    cluster = create_cluster()
    seed_round(cluster, [("sme", 1), ("sme", 1), ("sme", 2), ("university", 4), ("university", 5),
                         ("university", 5)], title="Open round", agree=True)
    assert divergences(_context(cluster)) == []  # still open: no results to discuss yet
    seed_round(cluster, [("sme", 1), ("sme", 1), ("sme", 2), ("university", 4), ("university", 5),
                         ("university", 5)], title="Closed round", agree=True, close=True)
    found = collect_divergences(_context(cluster), ReportRequest(engagement_id=1, as_of=utcnow()))
    mine = [c.divergence for c in found.divergences if c.plugin == "innovativeness"]
    assert mine and all(d.about.startswith("innovativeness:driver:D") for d in mine)
    assert "Closed round" in mine[0].evidence


def test_the_results_page_shows_agreed_workshop_items_beside_their_drivers(app, client):
    from datetime import date

    from core.api import AgreedOutcome
    from tests.factories import login, manager_of
    from tests.support.outcomes import recorded_outcomes

    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)], title="Autumn round", close=True)
    first, second = BANK.drivers[0], BANK.drivers[1]
    outcomes = [
        AgreedOutcome(5, first.title, "Open the lab to start-ups one day a week", about=f"innovativeness:driver:{first.key}",
                      source="innovativeness", owner="Lab manager", due=date(2027, 3, 1), decided_on=date(2026, 11, 2)),
        AgreedOutcome(5, "Governance", "Board votes by two thirds", about="canvas:element:governance", source="canvas"),
        AgreedOutcome(5, "Old driver", "Gone", about="innovativeness:driver:D999", source="innovativeness"),
    ]
    login(client, manager_of(cluster))
    url = f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}/results"
    assert "Agreed at workshops" not in client.get(url).get_data(as_text=True)  # nothing recorded: no section
    with recorded_outcomes(app, {cluster.id: outcomes}):
        html = client.get(url).get_data(as_text=True)
    section = html[html.index("Agreed at workshops"):]
    assert f"{first.key} {first.title}" in section and "Open the lab to start-ups one day a week" in section
    assert "Lab manager" in section and "01 Mar 2027" in section
    assert second.title not in section.split("</table>")[0]
    assert "Board votes by two thirds" not in html and "D999" not in html





@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["sme", "university", "investor"]),
                          st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0])), max_size=12))
def test_no_actor_type_under_the_floor_is_ever_named(pairs) -> None:  # type: ignore[no-untyped-def]
    sizes = {kind: sum(1 for k, _ in pairs if k == kind) for kind, _ in pairs}
    small = sum(n for n in sizes.values() if n < MIN_GROUP_SIZE)
    for d in driver_divergences(BANK, _units(*pairs), "Round"):
        assert 0.0 <= d.spread <= 1.0
        assert all(g.people >= MIN_GROUP_SIZE and sizes[g.actor_type] >= MIN_GROUP_SIZE for g in d.groups)
        for kind, n in sizes.items():
            if n < MIN_GROUP_SIZE:
                assert ORGANISATION_TYPES[kind] not in d.evidence
        if 0 < small < MIN_GROUP_SIZE:
            assert d.groups == () and "Other actor types" not in d.evidence
