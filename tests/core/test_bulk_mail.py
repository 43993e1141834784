"""Bulk sending as jobs: the request records the job, a worker task queues the mails in batches.

Tasks run inline when the request ends (``CELERY_TASK_ALWAYS_EAGER``); a second app without
a worker (``memory://`` broker, nothing consumes it) shows a job that has not run yet.
"""

from __future__ import annotations

from datetime import datetime, UTC

import pytest
from sqlalchemy import func, select

from core.api import BulkMailError, db, send_bulk_email
from core.clusters.models import Invitation
from core.email import bulk
from core.email.models import BulkMailJob, OutboxEmail
from tests.factories import add_member, create_cluster, create_user, login, manager_of


def _invite(client, cluster, emails: list[str]):  # type: ignore[no-untyped-def]
    return client.post(f"/clusters/{cluster.id}/invitations/bulk", data={"bulk-emails": "\n".join(emails), "bulk-role": "member"})


def test_inviting_many_people_records_a_job_that_reaches_sent_m_of_m(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Aero Valley")
    member = add_member(cluster)
    login(client, manager_of(cluster))
    emails = [f"guest{i}@example.org" for i in range(60)]
    response = _invite(client, cluster, [*emails, member.user.email, "GUEST1@example.org"])
    assert response.status_code == 302
    job = db.session.execute(select(BulkMailJob)).scalar_one()
    assert (job.state, job.done, job.total, job.label) == ("done", 60, 60, "invitations")
    assert db.session.scalar(select(func.count(Invitation.id))) == 60
    assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.bulk_job_id == job.id)) == 60
    message = mail.wait_for("guest59@example.org")[0]
    assert "Aero Valley" in message["Subject"] and "/invitations/" in mail.text_of(message)
    page = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert "Sent 60 of 60 invitations." in page
    assert f"{member.user.email} is already a member" in page  # the skipped one is named in a flash
    # The invitation link in the mail works.
    link = next(line for line in mail.text_of(message).splitlines() if "/invitations/" in line).strip()
    assert client.get(link.replace("http://localhost", "")).status_code in (200, 302)


def test_a_bad_address_refuses_the_whole_list_and_records_nothing(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    response = _invite(client, cluster, ["ok@example.org", "not-an-address"])
    assert response.status_code == 400
    assert "not email addresses: not-an-address" in response.get_data(as_text=True)
    empty = _invite(client, cluster, ["   ", " ,, ;"])
    assert empty.status_code == 400 and "Paste at least one email address." in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert db.session.scalar(select(func.count(BulkMailJob.id))) == 0


def test_members_cannot_invite_many_nor_read_a_jobs_progress(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, member.user)
    assert _invite(client, cluster, ["x@example.org"]).status_code == 403
    job_id = send_bulk_email([("a@example.org", {})], "S", "invitation", cluster_id=cluster.id)
    db.session.commit()
    assert client.get(f"/clusters/{cluster.id}/mail-jobs/{job_id}").status_code == 403


def test_progress_shows_sending_n_of_m_until_the_worker_finishes(make_app) -> None:  # type: ignore[no-untyped-def]
    no_worker = make_app(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="memory://", CELERY_RESULT_BACKEND="cache+memory://")
    with no_worker.app_context():
        cluster = create_cluster(name="North")
        other = create_cluster()
        recipients = [(f"p{i}@example.org", {"link": f"http://localhost/i/{i}"}) for i in range(60)]
        with no_worker.test_request_context():
            job_id = send_bulk_email(recipients, "Join North", "invitation", label="invitations", cluster_id=cluster.id,
                                     cluster={"name": "North"}, inviter={"name": "Ada"}, invitation={"role": "member"})
        db.session.commit()
        client = no_worker.test_client()
        login(client, manager_of(cluster))
        fragment = client.get(f"/clusters/{cluster.id}/mail-jobs/{job_id}").get_data(as_text=True)
        assert "Sending 0 of 60 invitations" in fragment and 'hx-trigger="every 2s"' in fragment
        assert client.get(f"/clusters/{other.id}/mail-jobs/{job_id}").status_code in (403, 404)
        with no_worker.test_request_context():
            assert bulk.run_bulk_job(job_id) == "bulk mail job 1: queued 60".replace("1", str(job_id), 1)
        fragment = client.get(f"/clusters/{cluster.id}/mail-jobs/{job_id}").get_data(as_text=True)
        assert "Sent 60 of 60 invitations." in fragment and "hx-get" not in fragment
        assert bulk.run_bulk_job(job_id).endswith("not queued or running elsewhere")  # run twice: nothing twice
        assert db.session.scalar(select(func.count(OutboxEmail.id))) == 60
        db.session.remove()


def test_a_job_that_fails_mid_way_says_so_and_continues_after_an_admin_retry(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    # The 30th recipient's context lacks what the template needs: rendering fails there.
    recipients = [(f"r{i}@example.org", {"inviter": {"name": "Ada"}} if i != 30 else {}) for i in range(40)]
    job_id = send_bulk_email(recipients, "Join", "invitation", cluster_id=cluster.id, cluster={"name": "C"},
                             invitation={"role": "member"}, link="http://localhost/x")
    db.session.commit()
    job = db.session.get(BulkMailJob, job_id)
    db.session.refresh(job)
    assert (job.state, job.done) == ("failed", bulk.BATCH_SIZE)
    assert "inviter" in (job.error or "")
    assert len(mail.messages) == bulk.BATCH_SIZE  # the first batch went out
    admin = create_user(is_admin=True)
    login(client, admin)
    assert "Continue sending" in client.get("/admin/mail/").get_data(as_text=True)
    job.items[30]["context"] = {"inviter": {"name": "Ada"}}
    db.session.execute(BulkMailJob.__table__.update().where(BulkMailJob.id == job_id).values(items=job.items))
    db.session.commit()
    client.post(f"/admin/mail/bulk/{job_id}/retry")
    db.session.refresh(job)
    assert (job.state, job.done) == ("done", 40)
    mail.wait_for("r39@example.org")
    assert sorted(str(m["To"]) for m in mail.messages) == sorted(f"r{i}@example.org" for i in range(40))


def test_contexts_must_be_plain_values_and_datetimes_come_back() -> None:
    with pytest.raises(BulkMailError):
        bulk.dumps_context({"user": object()})
    when = datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert bulk.loads_context(bulk.dumps_context({"round": {"closes_at": when, "n": [1, None]}})) == {
        "round": {"closes_at": when, "n": [1, None]}
    }


def test_a_list_past_the_clusters_hourly_invitation_limit_is_refused_whole(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    assert _invite(client, cluster, [f"a{i}@example.org" for i in range(60)]).status_code == 302
    response = _invite(client, cluster, [f"b{i}@example.org" for i in range(41)])
    assert response.status_code == 400
    assert "40 are left now and the list has 41" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Invitation.id))) == 60


def test_pasted_lists_are_split_cleaned_and_checked() -> None:
    from core.clusters.invitations import _looks_like_address, parse_addresses

    assert parse_addresses(" A@x.org, b@y.org;\n<c@z.org>\n\na@X.org ") == ["a@x.org", "b@y.org", "c@z.org"]
    # a spreadsheet row (tabs), spaces, an address book's "Name <address>"
    assert parse_addresses("d@x.org\te@x.org  f@x.org\nAda Lovelace <ada@x.org>, \"g@x.org\"") == [
        "d@x.org", "e@x.org", "f@x.org", "ada@x.org", "g@x.org"]
    assert parse_addresses("   \n ,, ;") == []
    assert _looks_like_address("jose@bücher.de")  # international: the full check
    assert not any(_looks_like_address(a) for a in ("a@localhost", "no at sign", "a b@x.org", "a@x..org"))
