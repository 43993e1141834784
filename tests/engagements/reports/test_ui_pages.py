"""The report pages over HTTP: who may see what, progress, generate, retry, editor, delivery, files."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.api import db, file_storage
from engagements.models import Engagement
from engagements.reports.content import ReportContent
from engagements.reports.models import ReportJob, ReportVersion
from engagements.reports.versions import content_of, get_version, latest_version, members_can_read
from tests.engagements.factories import create_service
from tests.engagements.reports.factories import add_version, paid_report_engagement
from tests.factories import add_member, create_cluster, create_user, login, manager_of


def _console(engagement: Engagement, rest: str = "") -> str:
    return f"/console/engagements/{engagement.id}/report/{rest}"


def _cluster(engagement: Engagement, rest: str = "") -> str:
    return f"/clusters/{engagement.cluster_id}/engagements/{engagement.id}/report/{rest}"


def _consultant(engagement: Engagement):  # type: ignore[no-untyped-def]
    from core.accounts.models import User

    return db.session.get(User, engagement.consultant_id)


def _stored(version: ReportVersion, data: bytes = b"%PDF-1.7 test report\n%%EOF") -> ReportVersion:
    """Give ``version`` a real stored file, as the render job would."""
    stored = file_storage().put(f"reports/engagement-{version.engagement_id}/test-v{version.number}.pdf", data)
    version.pdf_name, version.pdf_sha256, version.pdf_size = stored.name, stored.sha256, stored.size
    db.session.commit()
    return version


def _job(engagement: Engagement, **values: Any) -> ReportJob:
    job = ReportJob(engagement_id=engagement.id, cluster_id=engagement.cluster_id, **{
        "kind": "draft", "version_number": 1, "state": "queued", **values})
    db.session.add(job)
    db.session.commit()
    return job


# -- access ---------------------------------------------------------------------------------


def test_console_report_pages_are_for_the_assigned_consultant_and_admins(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement)
    urls = [_console(engagement), _console(engagement, "progress"), _console(engagement, "edit"),
            _console(engagement, "v1"), _console(engagement, "v1/deliver")]

    login(client, _consultant(engagement))
    assert [client.get(u).status_code for u in urls] == [200] * 5
    client.post("/logout")

    login(client, create_user(is_admin=True))
    assert [client.get(u).status_code for u in urls] == [200] * 5
    client.post("/logout")

    login(client, create_user(is_consultant=True))  # another consultant
    assert [client.get(u).status_code for u in urls] == [404] * 5
    assert client.post(_console(engagement, "generate")).status_code == 404
    client.post("/logout")

    login(client, manager_of(_cluster_of(engagement)))  # a manager, not staff
    assert client.get(_console(engagement)).status_code == 403


def _cluster_of(engagement: Engagement):  # type: ignore[no-untyped-def]
    from core.clusters.models import Cluster

    return db.session.get(Cluster, engagement.cluster_id)


def test_engagements_that_produce_no_report_have_no_report_pages(client, cluster):  # type: ignore[no-untyped-def]
    from tests.engagements.conftest import book

    workshop = book(cluster, create_service())
    admin = create_user(is_admin=True)
    login(client, admin)
    assert client.get(f"/console/engagements/{workshop.id}/report/").status_code == 404
    client.post("/logout")
    login(client, manager_of(cluster))
    assert client.get(f"/clusters/{cluster.id}/engagements/{workshop.id}/report/").status_code == 404


def test_cluster_report_pages_are_cluster_scoped_and_members_need_a_managers_share(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster).user
    engagement = paid_report_engagement(cluster)
    _stored(add_version(engagement, delivered=True))

    login(client, member)
    assert client.get(_cluster(engagement)).status_code == 403
    assert client.get(_cluster(engagement, "v1.pdf")).status_code == 403
    assert client.post(_cluster(engagement, "sharing"), data={"members_can_read": "y"}).status_code == 403
    client.post("/logout")

    login(client, manager_of(cluster))
    response = client.post(_cluster(engagement, "sharing"), data={"members_can_read": "y"})
    assert response.status_code == 303 and members_can_read(engagement.id)
    client.post("/logout")

    login(client, member)
    page = client.get(_cluster(engagement))
    assert page.status_code == 200 and "Read the report" in page.text
    assert "Who can read it" not in page.text  # the sharing choice is the managers'
    assert client.get(_cluster(engagement, "v1.pdf")).status_code == 200
    client.post("/logout")

    outsider = create_cluster()
    login(client, manager_of(outsider))
    assert client.get(_cluster(engagement)).status_code == 404
    # the same engagement through the outsider's own cluster id: still not theirs
    assert client.get(f"/clusters/{outsider.id}/engagements/{engagement.id}/report/").status_code == 404


# -- the cluster's view ----------------------------------------------------------------------


def test_managers_see_only_delivered_versions_and_files_are_private(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    _stored(add_version(engagement, delivered=True))
    _stored(add_version(engagement, sample_revision(), summary="Edited: introduction"))  # a draft
    login(client, manager_of(_cluster_of(engagement)))

    page = client.get(_cluster(engagement))
    assert page.status_code == 200
    assert "Version 1" in page.text and "Version 2" not in page.text
    assert client.get(_cluster(engagement, "v2")).status_code == 404
    assert client.get(_cluster(engagement, "v2.pdf")).status_code == 404

    html = client.get(_cluster(engagement, "v1"))
    assert html.status_code == 200 and "Broaden the funding mix" in html.text
    assert html.headers["Cache-Control"] == "private, no-store"
    assert "script-src" not in html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]

    pdf = client.get(_cluster(engagement, "v1.pdf"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Cache-Control"] == "private, no-store"
    assert 'filename="report-' in pdf.headers["Content-Disposition"]


def test_a_cluster_with_no_report_yet_sees_a_helpful_empty_state(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    login(client, manager_of(_cluster_of(engagement)))
    page = client.get(_cluster(engagement))
    assert page.status_code == 200
    assert "Not delivered yet" in page.text
    assert "not been started yet" in page.text


def sample_revision() -> ReportContent:
    from tests.engagements.reports.factories import sample_content

    return sample_content(introduction="A sharper introduction.")


# -- progress -------------------------------------------------------------------------------


def test_progress_polls_in_place_while_the_job_runs_and_stops_when_done(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    job = _job(engagement, state="collecting")
    login(client, _consultant(engagement))

    running = client.get(_console(engagement, "progress"), headers={"HX-Request": "true"})
    assert running.status_code == 200
    assert "Collecting the tools" in running.text
    assert 'hx-trigger="every 2s"' in running.text and 'id="report-progress"' in running.text
    # without JavaScript the page itself shows the same state on refresh
    assert "Collecting the tools" in client.get(_console(engagement)).text

    job.state = "ready"
    db.session.commit()
    done = client.get(_console(engagement, "progress"))
    assert "Ready" in done.text and "hx-trigger" not in done.text


def test_a_failed_job_shows_its_reason_to_staff_only_and_staff_can_retry(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    job = _job(engagement, state="failed", error="Attempt 3: OSError: font cache locked", attempts=3)
    login(client, manager_of(_cluster_of(engagement)))
    cluster_page = client.get(_cluster(engagement)).text
    assert "did not work" in cluster_page and "font cache" not in cluster_page
    client.post("/logout")

    login(client, _consultant(engagement))
    console_page = client.get(_console(engagement)).text
    assert "font cache locked" in console_page and "Retry" in console_page
    response = client.post(_console(engagement, f"jobs/{job.id}/retry"))
    assert response.status_code == 303
    db.session.expire_all()
    # eager worker in tests: the retried draft ran to the end
    assert db.session.get(ReportJob, job.id).state == "ready"
    assert latest_version(engagement.id).number == 1
    # a job of another engagement cannot be retried through this one
    other = paid_report_engagement(consultant=_consultant(engagement))
    assert client.post(_console(other, f"jobs/{job.id}/retry")).status_code == 404


def test_generate_drafts_a_new_version_from_the_tools(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    login(client, _consultant(engagement))
    assert "Generate the first draft" in client.get(_console(engagement)).text
    response = client.post(_console(engagement, "generate"))
    assert response.status_code == 303
    db.session.expire_all()
    version = latest_version(engagement.id)
    assert version is not None and version.number == 1 and version.pdf_name
    page = client.get(_console(engagement)).text
    assert "Regenerate the draft" in page and "Version 1" in page


# -- editor ---------------------------------------------------------------------------------


def _editor_form(version: ReportVersion, **overrides: str) -> dict[str, str]:
    """What the editor page posts for ``version`` unchanged, plus ``overrides``."""
    content = content_of(version)
    data = {"base_number": str(version.number), "introduction": content.introduction,
            "closing_notes": content.closing_notes, "new-title": "", "new-priority": "3"}
    for i, section in enumerate(content.sections):
        data[f"comments-{i}-key"] = section.key
        data[f"comments-{i}-comment"] = section.comment
    for i, rec in enumerate(content.recommendations):
        prefix = f"recommendations-{i}-"
        data.update({prefix + "key": rec.key, prefix + "position": str(i + 1), prefix + "title": rec.title,
                     prefix + "rationale": rec.rationale, prefix + "actions": "\n".join(rec.actions),
                     prefix + "priority": str(rec.priority), prefix + "owner_role": rec.owner_role,
                     prefix + "horizon": rec.horizon, prefix + "indicator": rec.indicator})
    data.update(overrides)
    return data


def test_the_editor_saves_a_new_version(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    login(client, _consultant(engagement))
    page = client.get(_console(engagement, "edit"))
    assert page.status_code == 200
    assert 'value="Broaden the funding mix"' in page.text

    response = client.post(_console(engagement, "edit"), data=_editor_form(
        first,
        **{"recommendations-0-title": "Diversify funding within a year",
           "recommendations-2-remove": "y",
           "recommendations-1-position": "1",
           "new-title": "Open a helpdesk", "new-position": "9", "new-owner_role": "Cluster office"},
    ))
    assert response.status_code == 303
    db.session.expire_all()
    content = content_of(latest_version(engagement.id))
    assert [r.title for r in content.recommendations] == [
        "Grow matchmaking", "Diversify funding within a year", "Open a helpdesk"
    ]
    history = client.get(_console(engagement)).text
    assert "“Diversify funding within a year” edited (title)" in history


def test_a_stale_save_answers_409_and_shows_both_texts(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    login(client, _consultant(engagement))
    assert client.post(_console(engagement, "edit"),
                       data=_editor_form(first, introduction="Text saved by editor A.")).status_code == 303

    response = client.post(_console(engagement, "edit"), data=_editor_form(first, introduction="Text of editor B."))

    assert response.status_code == 409
    assert "Text saved by editor A." in response.text  # the newer version's text…
    assert "Text of editor B." in response.text  # …and the editor's own, kept in the form
    # saving the form again goes over version 2: the editor has merged the two
    assert re.search(r'<input id="base_number" name="base_number"[^>]*type="hidden" value="2">', response.text)
    assert latest_version(engagement.id).number == 2


def test_bad_editor_input_is_400_with_the_reason_and_saves_nothing(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    login(client, _consultant(engagement))
    response = client.post(_console(engagement, "edit"),
                           data=_editor_form(first, **{"recommendations-1-title": ""}))
    assert response.status_code == 400
    assert "Recommendation 2 needs a title" in response.text
    assert latest_version(engagement.id).number == 1
    response = client.post(_console(engagement, "edit"),
                           data=_editor_form(first, **{"recommendations-0-priority": "9"}))
    assert response.status_code == 400


# -- delivery -------------------------------------------------------------------------------


def test_delivery_asks_for_confirmation_then_delivers(client, mail):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement)
    login(client, _consultant(engagement))
    confirm = client.get(_console(engagement, "v1/deliver"))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text

    refused = client.post(_console(engagement, "v1/deliver"), data={})
    assert refused.status_code == 400
    assert get_version(engagement.id, 1).delivered_at is None

    done = client.post(_console(engagement, "v1/deliver"), data={"confirm": "y"})
    assert done.status_code == 303
    db.session.expire_all()
    assert get_version(engagement.id, 1).delivered_at is not None
    assert db.session.get(Engagement, engagement.id).state == "delivered"
    manager = manager_of(_cluster_of(engagement))
    assert any("Your report is ready" in m["Subject"] for m in mail.wait_for(manager.email, 2))

    again = client.post(_console(engagement, "v1/deliver"), data={"confirm": "y"}, follow_redirects=True)
    assert "already been delivered" in again.text
    assert "already been delivered" in client.get(_console(engagement, "v1/deliver"), follow_redirects=True).text


@pytest.mark.parametrize("number", [0, 7])
def test_unknown_versions_are_404(client, number):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement)
    login(client, _consultant(engagement))
    assert client.get(_console(engagement, f"v{number}")).status_code == 404
    assert client.get(_console(engagement, f"v{number}.pdf")).status_code == 404
    assert client.get(_console(engagement, f"v{number}/deliver")).status_code == 404


def test_a_pdf_still_rendering_after_delivery_sends_the_manager_back_with_a_note(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement, delivered=True, rendered=False)
    login(client, manager_of(_cluster_of(engagement)))
    assert "being prepared" in client.get(_cluster(engagement)).text
    response = client.get(_cluster(engagement, "v1.pdf"), follow_redirects=True)
    assert response.status_code == 200 and "The PDF is being prepared" in response.text


def test_a_closed_engagement_offers_no_new_draft(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement)
    login(client, _consultant(engagement))
    assert "Regenerate the draft" in client.get(_console(engagement)).text
    db.session.get(Engagement, engagement.id).state = "closed"
    db.session.commit()
    page = client.get(_console(engagement)).text
    assert "Regenerate the draft" not in page and "Generate the first draft" not in page


def test_the_engagement_page_links_to_the_report_for_those_who_may_read_it(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster).user
    engagement = paid_report_engagement(cluster)
    detail = f"/clusters/{cluster.id}/engagements/{engagement.id}"
    login(client, manager_of(cluster))
    assert "Follow the report&#39;s progress" in client.get(detail).text
    client.post("/logout")
    login(client, member)
    assert f"/engagements/{engagement.id}/report/" not in client.get(detail).text  # not shared yet
    from engagements.lifecycle import Actor
    from engagements.reports import delivery

    delivery.set_sharing(engagement.id, True, Actor(None, "manager"))
    assert "Follow the report&#39;s progress" in client.get(detail).text


def test_staff_read_and_download_drafts_and_the_cluster_polls_its_own_progress(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster).user
    engagement = paid_report_engagement(cluster)
    _stored(add_version(engagement))
    _job(engagement, state="rendering")

    login(client, _consultant(engagement))
    draft = client.get(_console(engagement, "v1"))
    assert draft.status_code == 200 and "draft" in draft.text
    assert draft.headers["Cache-Control"] == "private, no-store"
    pdf = client.get(_console(engagement, "v1.pdf"))
    assert pdf.status_code == 200 and pdf.headers["Cache-Control"] == "private, no-store"
    client.post("/logout")

    login(client, manager_of(cluster))
    fragment = client.get(_cluster(engagement, "progress"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Rendering the PDF" in fragment.text
    assert f'hx-get="/clusters/{cluster.id}/engagements/{engagement.id}/report/progress"' in fragment.text
    client.post("/logout")

    login(client, member)
    assert client.get(_cluster(engagement, "progress")).status_code == 403


def test_an_editor_form_naming_an_unknown_base_version_is_refused_as_stale(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    login(client, _consultant(engagement))
    response = client.post(_console(engagement, "edit"), data=_editor_form(first, base_number="7", introduction="x"))
    assert response.status_code == 409
    assert "This report has no version 7" in response.text and "was saved" not in response.text
    assert latest_version(engagement.id).number == 1


def test_a_report_with_versions_is_never_said_to_be_not_started(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    add_version(engagement, delivered=True)  # made without a job row (as a migrated report would be)
    login(client, manager_of(_cluster_of(engagement)))
    page = client.get(_cluster(engagement)).text
    assert "not been started" not in page and "Nothing is being prepared" in page


def test_a_stale_save_shows_the_newer_recommendation_text_next_to_the_editors_own(client):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    first = add_version(engagement)
    login(client, _consultant(engagement))
    client.post(_console(engagement, "edit"),
                data=_editor_form(first, **{"recommendations-0-title": "Title by editor A"}))

    response = client.post(_console(engagement, "edit"),
                           data=_editor_form(first, **{"recommendations-0-title": "Title by editor B"}))

    assert response.status_code == 409
    saved = re.search(r'<div class="report-saved">.*?</div>', response.text, re.DOTALL)
    assert saved and "In version 2:" in saved.group(0) and "Title by editor A" in saved.group(0)
    assert 'value="Title by editor B"' in response.text


def test_progress_says_when_it_waits_for_a_worker_that_is_not_running(client, app, monkeypatch):  # type: ignore[no-untyped-def]
    from core.background.heartbeat import record_heartbeat

    engagement = paid_report_engagement()
    _job(engagement, state="queued")
    monkeypatch.setitem(app.config, "CELERY_TASK_ALWAYS_EAGER", False)  # pages read as deployed, with a worker
    login(client, _consultant(engagement))
    staff = client.get(_console(engagement, "progress"), headers={"HX-Request": "true"}).text
    assert "Waiting for the background worker." in staff and "No worker has reported yet" in staff
    assert "administrators see the same" in staff and "/admin/jobs" not in staff  # a page they cannot open
    client.post("/logout")
    login(client, create_user(is_admin=True))
    admin = client.get(_console(engagement, "progress"), headers={"HX-Request": "true"}).text
    assert 'href="/admin/jobs"' in admin
    client.post("/logout")
    from core.clusters.models import Cluster

    login(client, manager_of(db.session.get(Cluster, engagement.cluster_id)))
    member = client.get(_cluster(engagement, "progress"), headers={"HX-Request": "true"}).text
    assert "Waiting for the background worker." in member and "nothing is lost" in member
    record_heartbeat("celery@host-a", starting=True)
    assert "Waiting for the background worker" not in client.get(
        _cluster(engagement, "progress"), headers={"HX-Request": "true"}).text
