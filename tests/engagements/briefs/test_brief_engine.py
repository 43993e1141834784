"""Workshop briefs: drafted by a job when paid or scheduled (eager mode: at the commit), stored
as immutable versions, edited into new versions, shared, commented on, outcomes recorded and
handed to the tools through ``core.api.agreed_outcomes``."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pypdf
import pytest
from sqlalchemy import select

from core.api import ClusterContext, agreed_outcomes, db, file_storage, utcnow
from engagements import console
from engagements.briefs import editing, jobs, outcomes, sharing
from engagements.briefs.length import DEFAULT_LENGTH_MINUTES
from engagements.briefs.models import BriefVersion
from engagements.briefs.render import render_brief_pdf
from engagements.briefs.versions import draft_of, list_versions
from engagements.lifecycle import Actor, transition
from engagements.reports.jobs import RetryLater, ReportJobError, retry_job, run_job
from engagements.reports.models import ReportJob
from tests.engagements.briefs.factories import add_brief_version, paid_workshop
from tests.engagements.reports.factories import paid_report_engagement
from tests.factories import create_cluster, manager_of

SYSTEM = Actor.system("test")


def _versions(engagement_id: int) -> list[BriefVersion]:
    db.session.expire_all()
    return sorted(list_versions(engagement_id), key=lambda v: v.number)


def _pdf_text(version: BriefVersion) -> str:
    data = file_storage().read(version.pdf_name)
    return "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages)


def test_paying_a_workshop_drafts_its_brief_for_a_day_and_renders_the_pdf():
    engagement = paid_workshop(via_payment=True)
    [version] = _versions(engagement.id)
    job = db.session.execute(select(ReportJob).where(ReportJob.engagement_id == engagement.id)).scalar_one()
    assert job.kind == "brief" and job.state == "ready", job.error
    draft = draft_of(version)
    assert draft.goals == "Sharper member offer"
    assert draft.length_minutes == DEFAULT_LENGTH_MINUTES
    assert draft.items and {s.agenda_key for s in draft.timetable if s.agenda_key} == {i.key for i in draft.items}
    assert version.state == "draft" and version.pdf_pages >= 1
    assert draft.items[0].title in _pdf_text(version)
    progress = jobs.progress(engagement.id)
    assert progress.state == "ready" and progress.step == progress.total == 3


def test_fixing_the_date_redrafts_for_the_scheduled_length_unless_someone_edited():
    engagement = paid_workshop(via_payment=True)
    actor = Actor(engagement.consultant_id, "camille@example.org")
    console.schedule(engagement.id, utcnow() + timedelta(days=20), 240, "Cluster office", actor)
    versions = _versions(engagement.id)
    assert [v.number for v in versions] == [1, 2]
    assert draft_of(versions[-1]).length_minutes == 240

    edited = paid_workshop(via_payment=True)
    first = draft_of(_versions(edited.id)[0]).items[0]
    editing.edit_item(edited.id, 1, first.key, editing.ItemChange("Our own title", minutes=30), actor)
    console.schedule(edited.id, utcnow() + timedelta(days=20), 240, "Online", actor)
    assert [v.number for v in _versions(edited.id)] == [1, 2]  # no redraft over the consultant's work


def test_reports_and_unpaid_workshops_get_no_brief():
    report = paid_report_engagement()
    with pytest.raises(ReportJobError, match="no workshop brief"):
        jobs.create_brief_job(report.id, SYSTEM)
    db.session.rollback()
    assert not db.session.execute(select(ReportJob).where(ReportJob.kind == "brief")).first()


def test_a_failing_draft_is_retried_then_failed_for_staff_and_can_be_retried(app, monkeypatch):
    import engagements.briefs.drafting as drafting

    engagement = paid_workshop()
    job = ReportJob(engagement_id=engagement.id, cluster_id=engagement.cluster_id, kind="brief", version_number=1,
                    state="queued", attempts=0, error="", sent_at=utcnow())
    db.session.add(job)
    db.session.commit()

    def broken(cluster, request, length_minutes):  # type: ignore[no-untyped-def]
        raise RuntimeError("divergences unreadable")

    working = drafting.draft_brief
    monkeypatch.setattr(drafting, "draft_brief", broken)
    monkeypatch.setitem(app.config, "REPORT_JOB_MAX_ATTEMPTS", 2)
    with pytest.raises(RetryLater):
        run_job(job.id)
    assert "failed after 2 attempts" in run_job(job.id)
    db.session.expire_all()
    failed = db.session.get(ReportJob, job.id)
    assert failed.state == "failed" and "divergences unreadable" in failed.error
    assert jobs.progress(engagement.id).state == "failed"
    monkeypatch.setattr(drafting, "draft_brief", working)
    retry_job(job.id, SYSTEM)
    db.session.commit()  # eager: the retried task runs now
    assert db.session.get(ReportJob, job.id, populate_existing=True).state == "ready"
    assert [v.number for v in _versions(engagement.id)] == [1]


def test_edits_move_drop_and_add_each_make_a_new_version_with_a_recomputed_timetable():
    engagement = paid_workshop()
    add_brief_version(engagement)
    actor = Actor(engagement.consultant_id, "camille@example.org")
    v2 = editing.edit_item(engagement.id, 1, "canvas:vp", editing.ItemChange(
        "Value propositions for 2027", "Which offer first?", "World café", 50, "One offer"), actor)
    assert v2.number == 2 and v2.based_on == 1 and "Edited" in v2.change_summary
    draft = draft_of(v2)
    assert draft.items[0].title == "Value propositions for 2027"
    # one truth: each item's minutes are its timetable slot's (scaled to the workshop's length)
    slots = {s.agenda_key: s.minutes for s in draft.timetable if s.agenda_key}
    assert [i.minutes for i in draft.items] == [slots[i.key] for i in draft.items]
    assert draft.items[0].about == "canvas:element:value_propositions"  # hidden fields kept
    # recomputed by the drafting rule's timetable: every item in agenda order (version 1 had none)
    assert [s.agenda_key for s in draft.timetable if s.agenda_key] == [i.key for i in draft.items]
    v3 = editing.move_item(engagement.id, 2, "sample:s1", -1, actor)
    assert [i.key for i in draft_of(v3).items] == ["canvas:vp", "sample:s1", "innovativeness:D9"]
    v4 = editing.drop_item(engagement.id, 3, "innovativeness:D9", actor)
    assert [i.key for i in draft_of(v4).items] == ["canvas:vp", "sample:s1"]
    v5 = editing.add_item(engagement.id, 4, editing.ItemChange("Membership fees", minutes=20), actor)
    assert draft_of(v5).items[-1].key == "added-1"
    assert [s.agenda_key for s in draft_of(v5).timetable if s.agenda_key] == ["canvas:vp", "sample:s1", "added-1"]
    assert draft_of(_versions(engagement.id)[0]).items[0].title == "Value propositions"  # version 1 unchanged


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (editing.ItemChange("  "), "needs a title"),
        (editing.ItemChange("x" * 201), "longer than 200"),
        (editing.ItemChange("Fine", minutes=2), "5 to 480"),
        (editing.ItemChange("Fine", question="q" * 1001), "question is longer"),
    ],
)
def test_bad_edits_are_refused_with_a_reason_and_make_no_version(change, message):
    engagement = paid_workshop()
    add_brief_version(engagement)
    with pytest.raises(editing.EditRefused, match=message):
        editing.edit_item(engagement.id, 1, "canvas:vp", change, SYSTEM)
    assert len(_versions(engagement.id)) == 1


def test_a_save_from_an_older_version_is_stale_and_moving_past_the_end_is_refused():
    engagement = paid_workshop()
    add_brief_version(engagement)
    editing.move_item(engagement.id, 1, "canvas:vp", 1, SYSTEM)
    with pytest.raises(editing.StaleEdit):
        editing.drop_item(engagement.id, 1, "canvas:vp", SYSTEM)
    with pytest.raises(editing.EditRefused, match="already first"):
        editing.move_item(engagement.id, 2, "innovativeness:D9", -1, SYSTEM)
    with pytest.raises(editing.EditRefused, match="not in this version"):
        editing.drop_item(engagement.id, 2, "nope", SYSTEM)
    assert len(_versions(engagement.id)) == 2


def test_sharing_emails_the_managers_links_from_base_url_and_managers_comment(app, mail):
    cluster = create_cluster()
    engagement = paid_workshop(cluster)
    add_brief_version(engagement)
    manager = manager_of(cluster)
    with pytest.raises(sharing.SharingRefused, match="Only a shared version"):
        sharing.add_comment(engagement.id, 1, "Too early", Actor(manager.id, manager.email))
    mail.clear()
    sharing.share(engagement.id, 1, SYSTEM)
    [message] = mail.wait_for(manager.email)
    assert message["Subject"].startswith("Workshop brief to read")
    text = mail.text_of(message)
    base = app.config["BASE_URL"].rstrip("/")
    assert f"{base}/clusters/{cluster.id}/engagements/{engagement.id}/brief/" in text
    assert f"{base}/clusters/{cluster.id}/engagements/{engagement.id}/brief/v1.pdf" in text
    with pytest.raises(sharing.SharingRefused, match="already shared"):
        sharing.share(engagement.id, 1, SYSTEM)
    with pytest.raises(sharing.SharingRefused, match="at most 2000"):
        sharing.add_comment(engagement.id, 1, "x" * 2001, Actor(manager.id, manager.email))
    comment = sharing.add_comment(engagement.id, 1, "  Please add the fees question.  ", Actor(manager.id, "Maria"))
    assert comment.body == "Please add the fees question." and sharing.comments(engagement.id) == [comment]
    from core.accounts.models import User

    consultant = db.session.get(User, engagement.consultant_id)
    [told] = [m for m in mail.wait_for(consultant.email) if m["Subject"].startswith("Comment on the workshop brief")]
    assert "Please add the fees question." in mail.text_of(told)
    assert f"{base}/console/engagements/{engagement.id}/brief/" in mail.text_of(told)


def test_a_pdf_is_rendered_once_for_any_script():
    engagement = paid_workshop()
    version = add_brief_version(engagement)
    actor = Actor(engagement.consultant_id, "c")
    edited = editing.edit_item(engagement.id, version.number, "canvas:vp",
                               editing.ItemChange("Ценностное предложение 价值主张", minutes=45), actor)
    rendered = render_brief_pdf(edited.id)
    assert "Ценностное предложение" in _pdf_text(rendered)
    assert render_brief_pdf(edited.id).pdf_name == rendered.pdf_name


def test_outcomes_wait_for_the_workshop_then_reach_the_tools_of_their_cluster_only():
    engagement = paid_workshop()
    add_brief_version(engagement, state="shared")
    entries = [outcomes.OutcomeEntry("canvas:vp", "Lead with matchmaking", "Board", date(2027, 3, 31)),
               outcomes.OutcomeEntry("sample:s1", "")]
    with pytest.raises(outcomes.OutcomeRefused, match="after the workshop"):
        outcomes.record(engagement.id, entries, SYSTEM)
    assert transition(engagement.id, "paid", "in_delivery", SYSTEM, "Delivery started")
    db.session.commit()
    with pytest.raises(outcomes.OutcomeRefused, match="not in the brief"):
        outcomes.record(engagement.id, [outcomes.OutcomeEntry("ghost", "x")], SYSTEM)
    with pytest.raises(outcomes.OutcomeRefused, match="at least one"):
        outcomes.record(engagement.id, [outcomes.OutcomeEntry("canvas:vp", "  ")], SYSTEM)
    assert outcomes.record(engagement.id, entries, SYSTEM) == 1
    assert outcomes.record(engagement.id, [outcomes.OutcomeEntry("canvas:vp", "Lead with events")], SYSTEM) == 1
    [row] = outcomes.outcomes(engagement.id)
    assert row.decision == "Lead with events" and row.source == "canvas"

    other = paid_workshop()  # another cluster's workshop and outcome
    add_brief_version(other, state="shared")
    assert transition(other.id, "paid", "in_delivery", SYSTEM, "Delivery started")
    db.session.commit()
    outcomes.record(other.id, [outcomes.OutcomeEntry("sample:s1", "Elsewhere")], SYSTEM)

    context = ClusterContext(id=engagement.cluster_id, name="", user_id=0, role="manager", organisation_type="")
    [agreed] = agreed_outcomes(context)
    assert (agreed.engagement_id, agreed.topic, agreed.decision) == (engagement.id, "Value propositions", "Lead with events")
    assert agreed.about == "canvas:element:value_propositions" and agreed.source == "canvas"
    assert agreed.decided_on is not None
