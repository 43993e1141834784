"""Editing a report: every save is a new immutable version; stale saves and bad input are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from core.api import db
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports import editing
from engagements.reports.editing import RecommendationChange, ReportEdit
from engagements.reports.models import ReportJob, ReportVersion
from engagements.reports.versions import content_of, get_version, latest_version, list_versions
from tests.engagements.reports.factories import add_version, paid_report_engagement


def _as_changes(version: ReportVersion) -> ReportEdit:
    """The edit that changes nothing: the version's own texts, as the editor would send them."""
    content = content_of(version)
    return ReportEdit(
        introduction=content.introduction,
        closing_notes=content.closing_notes,
        comments={s.key: s.comment for s in content.sections},
        recommendations=tuple(
            RecommendationChange(
                key=r.key, title=r.title, rationale=r.rationale, actions=r.actions, priority=r.priority,
                owner_role=r.owner_role, horizon=r.horizon, indicator=r.indicator,
            )
            for r in content.recommendations
        ),
    )


def _actor(engagement: Engagement) -> Actor:
    return Actor(engagement.consultant_id, "camille@example.org")


def _with(edit: ReportEdit, **changes) -> ReportEdit:  # type: ignore[no-untyped-def]
    return replace(edit, **changes)


def test_a_save_makes_a_new_version_and_leaves_the_base_unchanged():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    before = first.content
    edit = _as_changes(first)
    recs = list(edit.recommendations)
    recs[0] = replace(recs[0], title="Diversify funding within a year")
    saved = editing.save_edit(
        engagement.id, 1, _with(edit, introduction="A new introduction.", recommendations=tuple(recs)), _actor(engagement)
    )

    db.session.expire_all()
    assert saved.number == 2 and saved.based_on == 1
    assert get_version(engagement.id, 1).content == before
    content = content_of(get_version(engagement.id, 2))
    assert content.introduction == "A new introduction."
    assert content.recommendations[0].title == "Diversify funding within a year"
    assert content.recommendations[0].score == 0.9  # what the editor does not see is kept
    summary = get_version(engagement.id, 2).change_summary
    assert "introduction" in summary and "“Diversify funding within a year” edited (title)" in summary
    assert get_version(engagement.id, 2).created_by_id == engagement.consultant_id
    job = db.session.execute(select(ReportJob).where(ReportJob.engagement_id == engagement.id)).scalar_one()
    assert (job.kind, job.version_number) == ("render", 2)


def test_a_stale_save_is_refused_with_the_newer_version():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    editing.save_edit(engagement.id, 1, _with(_as_changes(first), introduction="Editor A"), _actor(engagement))

    with pytest.raises(editing.StaleEdit) as refused:
        editing.save_edit(engagement.id, 1, _with(_as_changes(first), introduction="Editor B"), _actor(engagement))

    assert refused.value.status_code == 409
    assert refused.value.latest.number == 2
    assert content_of(refused.value.latest).introduction == "Editor A"
    assert [v.number for v in list_versions(engagement.id)] == [2, 1]


def test_recommendations_are_reordered_removed_and_added():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    funding, matchmaking, web = _as_changes(first).recommendations
    new = RecommendationChange(title="Open a members' helpdesk", actions=("Staff it two days a week",),
                               priority=2, owner_role="Cluster office", horizon="0–3 months",
                               indicator="Questions answered")
    editing.save_edit(
        engagement.id, 1, _with(_as_changes(first), recommendations=(matchmaking, new, funding)), _actor(engagement)
    )

    content = content_of(latest_version(engagement.id))
    assert [r.title for r in content.recommendations] == [
        "Grow matchmaking", "Open a members' helpdesk", "Broaden the funding mix"
    ]
    added = content.recommendations[1]
    assert added.key and added.key not in {funding.key, matchmaking.key, web.key}
    assert (added.source, added.score, added.owner_role) == ("consultant", None, "Cluster office")
    summary = latest_version(engagement.id).change_summary
    assert "“Open a members' helpdesk” added" in summary
    assert "“Refresh the member directory” removed" in summary
    assert "recommendations reordered" in summary


def test_section_comments_and_closing_notes_are_saved():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    editing.save_edit(
        engagement.id,
        1,
        _with(_as_changes(first), comments={"canvas": "The board agreed this in May."}, closing_notes="Thanks."),
        _actor(engagement),
    )
    content = content_of(latest_version(engagement.id))
    assert {s.key: s.comment for s in content.sections} == {"canvas": "The board agreed this in May.",
                                                           "innovativeness": ""}
    assert content.closing_notes == "Thanks."
    assert "comment on “Business model canvas”" in latest_version(engagement.id).change_summary


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": "  "}, "needs a title"),
        ({"priority": 7}, "priority is 1"),
        ({"horizon": "x" * 61}, "horizon is longer"),
        ({"actions": tuple(f"step {i}" for i in range(21))}, "at most 20 actions"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(change, message):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    recs = list(_as_changes(first).recommendations)
    recs[1] = replace(recs[1], **change)
    with pytest.raises(editing.EditRefused, match=message):
        editing.save_edit(engagement.id, 1, _with(_as_changes(first), recommendations=tuple(recs)), _actor(engagement))
    assert [v.number for v in list_versions(engagement.id)] == [1]


def test_an_unchanged_save_makes_no_version():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    with pytest.raises(editing.NothingChanged):
        editing.save_edit(engagement.id, 1, _as_changes(first), _actor(engagement))
    assert len(list_versions(engagement.id)) == 1


def test_no_edit_while_a_new_draft_is_being_generated():
    engagement = paid_report_engagement()
    first = add_version(engagement)
    db.session.add(ReportJob(engagement_id=engagement.id, cluster_id=engagement.cluster_id, kind="draft",
                             version_number=2, state="collecting"))
    db.session.commit()
    with pytest.raises(editing.StaleEdit, match="being generated"):
        editing.save_edit(engagement.id, 1, _with(_as_changes(first), introduction="x"), _actor(engagement))


def test_the_first_edit_starts_delivery_and_an_edit_after_delivery_is_a_revision():
    engagement = paid_report_engagement()
    first = add_version(engagement, delivered=True)
    editing.save_edit(engagement.id, 1, _with(_as_changes(first), introduction="Revised intro"), _actor(engagement))
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "in_delivery"
    assert latest_version(engagement.id).is_revision is True


def test_no_draft_no_edit():
    engagement = paid_report_engagement()
    with pytest.raises(editing.EditRefused, match="no draft"):
        editing.save_edit(engagement.id, 1, ReportEdit("", ""), _actor(engagement))


def test_two_editors_saving_at_the_same_moment_make_one_version(app):  # type: ignore[no-untyped-def]
    import threading

    engagement = paid_report_engagement()
    first = add_version(engagement)
    engagement_id, base = engagement.id, _as_changes(first)
    actor = _actor(engagement)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        with app.app_context():
            start.wait()
            try:
                editing.save_edit(engagement_id, 1, _with(base, introduction=text), actor)
                outcomes.append("saved")
            except editing.StaleEdit:
                outcomes.append("stale")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(f"Editor {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["saved", "stale"]
    db.session.expire_all()
    assert [v.number for v in list_versions(engagement_id)] == [2, 1]
