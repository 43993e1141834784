"""Delivering a report: the version is frozen, the engagement delivered, the managers emailed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.api import db, file_storage
from engagements.lifecycle import Actor
from engagements.models import Engagement, Transition
from engagements.reports import delivery
from engagements.reports.versions import delivered_versions, get_version, members_can_read
from tests.engagements.reports.factories import add_version, paid_report_engagement
from tests.factories import add_member, create_cluster, create_user, manager_of


def _actor(engagement: Engagement) -> Actor:
    return Actor(engagement.consultant_id, "camille@example.org")


def _states(engagement_id: int) -> list[str]:
    return list(
        db.session.execute(
            select(Transition.to_state).where(Transition.engagement_id == engagement_id).order_by(Transition.id)
        ).scalars()
    )


def test_delivery_freezes_the_version_moves_the_engagement_and_emails_the_managers(mail):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    second_manager = add_member(cluster, create_user(), role="manager").user
    member = add_member(cluster).user
    engagement = paid_report_engagement(cluster)
    add_version(engagement)

    delivery.deliver(engagement.id, 1, _actor(engagement))

    db.session.expire_all()
    version = get_version(engagement.id, 1)
    assert version.delivered_at is not None and version.delivered_by_id == engagement.consultant_id
    assert version.is_revision is False
    # the delivered cover differs from the draft's: its PDF was rendered again (eager worker in tests)
    assert version.pdf_name and file_storage().exists(version.pdf_name)
    assert version.pdf_name != f"engagement-{engagement.id}/report-v1.pdf"
    assert db.session.get(Engagement, engagement.id).state == "delivered"
    assert _states(engagement.id)[-2:] == ["in_delivery", "delivered"]
    for manager in (manager_of(cluster), second_manager):
        message = mail.wait_for(manager.email)[-1]
        assert "Your report is ready" in message["Subject"]
        body = mail.text_of(message)
        assert f"http://localhost/clusters/{cluster.id}/engagements/{engagement.id}/report/" in body
        assert "/report/v1.pdf" in body
    assert mail.to(member.email) == []


@pytest.mark.parametrize(
    "setup, number, message",
    [
        (lambda e: add_version(e), 2, "no version 2"),
        (lambda e: (add_version(e), add_version(e)), 1, "Version 2 is newer"),
        (lambda e: add_version(e, rendered=False), 1, "PDF of version 1 is not ready"),
        (lambda e: add_version(e, delivered=True), 1, "already been delivered"),
    ],
)
def test_delivery_is_refused_when_it_would_be_wrong(setup, number, message, mail):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    setup(engagement)
    mail.clear()
    with pytest.raises(delivery.DeliveryRefused, match=message):
        delivery.deliver(engagement.id, number, _actor(engagement))
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).state == "paid"
    assert mail.messages == []


def test_a_revision_is_delivered_again_and_the_earlier_version_stays_readable(mail):  # type: ignore[no-untyped-def]
    engagement = paid_report_engagement()
    manager = manager_of(_cluster(engagement))
    add_version(engagement)
    delivery.deliver(engagement.id, 1, _actor(engagement))
    mail.wait_for(manager.email)
    add_version(engagement, summary="Edited: introduction")

    delivery.deliver(engagement.id, 2, _actor(engagement))

    db.session.expire_all()
    assert [v.number for v in delivered_versions(engagement.id)] == [2, 1]
    assert get_version(engagement.id, 2).is_revision is True
    assert db.session.get(Engagement, engagement.id).state == "delivered"
    revised = mail.wait_for(manager.email, 2)[-1]
    assert "Revised report is ready" in revised["Subject"]
    assert "version 2" in mail.text_of(revised)


def test_managers_choose_whether_members_read_the_report():
    engagement = paid_report_engagement()
    assert members_can_read(engagement.id) is False
    delivery.set_sharing(engagement.id, True, Actor(None, "manager"))
    assert members_can_read(engagement.id) is True
    delivery.set_sharing(engagement.id, False, Actor(None, "manager"))
    assert members_can_read(engagement.id) is False


def _cluster(engagement: Engagement):  # type: ignore[no-untyped-def]
    from core.clusters.models import Cluster

    return db.session.get(Cluster, engagement.cluster_id)


def test_a_finished_job_reloads_the_page_that_was_polling_it(client):  # type: ignore[no-untyped-def]
    from engagements.reports import jobs
    from tests.factories import login

    from core.accounts.models import User

    engagement = paid_report_engagement()
    consultant = db.session.get(User, engagement.consultant_id)
    jobs.create_draft_job(engagement.id, Actor(consultant.id, consultant.email))
    db.session.commit()  # the eager worker drafts it after the commit
    login(client, consultant)
    url = f"/console/engagements/{engagement.id}/report/progress"
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "Ready" in polled.get_data(as_text=True)
    # The latest version, its PDF link and the history are outside the fragment: reload them.
    assert polled.headers.get("HX-Refresh") == "true"
    assert "HX-Refresh" not in client.get(url).headers  # a plain load is not told to reload
