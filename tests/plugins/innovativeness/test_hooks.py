"""What the plugin contributes through the core's hooks: demo data, widget,
navigation, report sections, recommendations, exports and account deletion."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event, select

from core.api import ClusterContext, DemoCluster, DemoMember, db
from plugins.innovativeness.demo import add_demo_rounds
from plugins.innovativeness.models import AssessmentRound, Participant, SavedResult
from plugins.innovativeness.privacy import delete_user_data
from plugins.innovativeness.reporting import recommendations, report_sections
from plugins.innovativeness.results import clear_cache, round_results
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.innovativeness.helpers import open_round, seed_round

TYPES = ["sme"] * 6 + ["large_firm"] * 3 + ["startup"] * 3 + ["university"] * 3 + ["research_institute"] * 2 + ["investor"] * 2


def _demo_cluster() -> tuple[object, DemoCluster]:
    cluster = create_cluster()
    manager = manager_of(cluster)
    memberships = [add_member(cluster, organisation_type=t) for t in TYPES]
    people = [DemoMember(manager.id, _manager_membership(cluster.id), manager.email, "Office", "intermediary", "manager")]
    people += [DemoMember(m.user_id, m.id, m.user.email, m.organisation_name, m.organisation_type, "member") for m in memberships]
    return cluster, DemoCluster(cluster.id, cluster.name, tuple(people))


def _manager_membership(cluster_id: int) -> int:
    from core.api import list_members

    return next(m.membership_id for m in list_members(cluster_id) if m.role == "manager")


def _context(cluster, role: str = "manager") -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(cluster.id, cluster.name, manager_of(cluster).id, role, "intermediary", _manager_membership(cluster.id))


def test_demo_adds_two_closed_published_rounds_with_about_twenty_respondents() -> None:
    cluster, demo = _demo_cluster()
    add_demo_rounds(demo)
    db.session.commit()
    rounds = list(db.session.execute(select(AssessmentRound).order_by(AssessmentRound.closed_at)).scalars())
    assert [r.title for r in rounds] == ["Spring assessment", "Autumn assessment"]
    assert all(r.closed_at and r.published_at and r.summary["drivers"] for r in rounds)
    latest = round_results(rounds[1])
    assert latest.respondents == len(demo.members)
    assert len(latest.groups) >= 3
    assert latest.divergences


def test_report_sections_cover_profile_strengths_divergence_and_progress() -> None:
    cluster, demo = _demo_cluster()
    add_demo_rounds(demo)
    db.session.commit()
    sections = report_sections(_context(cluster))
    assert [s.key for s in sections] == [
        "innovativeness_profile",
        "innovativeness_strengths_weaknesses",
        "innovativeness_divergence",
        "innovativeness_progress",
    ]
    assert "<svg" in sections[0].html and "<script" not in "".join(str(s.html) for s in sections)
    assert all(s.summary for s in sections)


def test_no_report_sections_without_a_usable_round() -> None:
    cluster = create_cluster()
    seed_round(cluster, [("sme", 3)] * 2, close=True)
    assert report_sections(_context(cluster)) == []
    assert recommendations(_context(cluster)) == []


def test_recommendations_rank_weak_drivers_by_score_and_weight() -> None:
    cluster, demo = _demo_cluster()
    add_demo_rounds(demo)
    db.session.commit()
    drafted = recommendations(_context(cluster))
    assert drafted
    rnd = db.session.execute(select(AssessmentRound).order_by(AssessmentRound.closed_at.desc())).scalars().first()
    results = round_results(rnd)
    from plugins.innovativeness.bank import get_bank

    bank = get_bank(rnd.bank_version)
    by_driver = [r for r in drafted if not r.key.endswith("-statements")]
    needs = [(100 - results.drivers[r.driver].median) * bank.driver(r.driver).weight for r in by_driver]
    assert needs == sorted(needs, reverse=True)
    assert [r.priority for r in by_driver] == sorted(r.priority for r in by_driver)
    assert all(2 <= len(r.actions) <= 4 and r.source for r in by_driver)
    assert set(results.weaknesses) <= {r.driver for r in by_driver}
    assert drafted[: len(by_driver)] == by_driver  # statement-triggered ones come after
    assert all("Indicator to follow:" in action and "(Basis: " in action for r in drafted for action in r.actions)


def test_dashboard_shows_the_widget_and_the_nav_item(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    seed_round(cluster, [("sme", 4)] * 3, title="Widget round")
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert f'href="/clusters/{cluster.id}/innovativeness/"' in html
    assert "Widget round" in html and "Response rate: <strong>75%</strong>" in html
    assert 'class="radar"' in html


def test_widget_hides_unpublished_chart_from_members(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    seed_round(cluster, [("sme", 4)] * 3, title="Widget round")
    login(client, member.user)
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Results not published yet." in html and 'class="radar"' not in html


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_results_take_the_same_queries_for_few_and_many_respondents() -> None:
    small = seed_round(create_cluster(), [("sme", 3)] * 5)
    large = seed_round(create_cluster(), [("sme", 3), ("university", 4), ("startup", 2)] * 12)
    counts = []
    for rnd in (small, large):
        clear_cache()
        db.session.expire_all()
        with counting_queries() as statements:
            round_results(db.session.get(AssessmentRound, rnd.id))
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_deleting_an_account_detaches_closed_answers_and_drops_open_ones() -> None:
    cluster = create_cluster()
    member = add_member(cluster)
    closed = open_round(cluster, manager_of(cluster), title="Closed")
    open_ = open_round(cluster, manager_of(cluster), title="Open")
    from plugins.innovativeness.rounds import close_round

    close_round(closed)
    db.session.add(SavedResult(cluster_id=cluster.id, user_id=member.user_id, bank_version="1", answers={}, taken_at=closed.created_at))
    db.session.commit()
    delete_user_data(member.user_id)
    db.session.commit()
    rows = db.session.execute(select(Participant.round_id, Participant.membership_id)).all()
    assert (closed.id, None) in rows
    assert all(rid != open_.id or mid != member.id for rid, mid in rows)
    assert db.session.execute(select(SavedResult)).first() is None


def test_export_links_point_at_the_latest_round(client) -> None:  # type: ignore[no-untyped-def]
    from plugins.innovativeness.exports_links import export_links

    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 4)] * 3)
    with client.application.test_request_context():
        links = export_links(_context(cluster))
    assert {link.media_type for link in links} == {"application/pdf", "text/csv", "application/json"}
    assert all(f"/rounds/{rnd.id}/" in link.url for link in links)
