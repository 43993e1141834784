"""The mail queue: mail is a row of the caller's transaction, delivered once by the worker's task.

Tasks run inline after the commit (``CELERY_TASK_ALWAYS_EAGER``); the SMTP server is the
session's real aiosmtpd catcher, or a closed loopback port for an outage.
"""

from __future__ import annotations

import socket
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from core.api import Attachment, db, send_email, utcnow
from core.email import queue
from core.email.models import OutboxEmail
from tests.factories import create_user, login


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is: connections are refused


def _mail_to(address: str) -> OutboxEmail:
    return db.session.execute(select(OutboxEmail).where(OutboxEmail.recipient == address)).scalar_one()


def _send(app: Flask, to: str, **extra) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        send_email(to, "Hello", "verify_email", user={"name": "Ada"}, link="http://localhost/x", **extra)


def test_a_committed_mail_is_delivered_once_with_its_attachment_and_recorded_as_sent(app, mail) -> None:  # type: ignore[no-untyped-def]
    _send(app, "one@example.org", attachments=(Attachment("a.ics", b"BEGIN:VCALENDAR", "text/calendar"),))
    assert mail.to("one@example.org") == []  # nothing leaves before the commit
    db.session.commit()
    [message] = mail.wait_for("one@example.org")
    row = _mail_to("one@example.org")
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None and message["Message-ID"] == row.message_id
    [part] = list(message.iter_attachments())
    assert part.get_content() in (b"BEGIN:VCALENDAR", "BEGIN:VCALENDAR")
    assert queue.deliver(row.id) == f"mail {row.id}: not due or taken"  # a second task sends nothing
    assert len(mail.to("one@example.org")) == 1


def test_a_rolled_back_transaction_sends_nothing(app, mail) -> None:  # type: ignore[no-untyped-def]
    _send(app, "ghost@example.org")
    db.session.rollback()
    _send(app, "real@example.org")
    db.session.commit()
    mail.wait_for("real@example.org")
    assert mail.to("ghost@example.org") == []
    assert db.session.execute(select(OutboxEmail).where(OutboxEmail.recipient == "ghost@example.org")).first() is None


def test_an_smtp_outage_leaves_the_mail_retrying_with_its_error_then_failed_after_the_last_attempt(make_app) -> None:  # type: ignore[no-untyped-def]
    down = make_app(MAIL_PORT=_closed_port(), MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=60)
    with down.app_context():
        _send(down, "late@example.org")
        db.session.commit()  # the change commits although SMTP is down
        row = _mail_to("late@example.org")
        assert (row.state, row.attempts) == ("retrying", 1)
        assert "ConnectionRefusedError" in (row.last_error or "")
        waits = []
        for _ in range(2):
            waits.append((row.next_attempt_at - utcnow()).total_seconds())
            assert queue.deliver(row.id).endswith("not due or taken")  # not before its time
            row.next_attempt_at = utcnow() - timedelta(minutes=2)  # time passes
            db.session.commit()
            assert queue.sweep() == [row.id]  # the periodic sweep re-sends the overdue mail
            db.session.refresh(row)
        assert 55 < waits[0] <= 60 and 115 < waits[1] <= 120  # 60 s, then doubled
        assert (row.state, row.attempts, row.next_attempt_at) == ("failed", 3, None)
        assert "ConnectionRefusedError" in (row.last_error or "")
        assert queue.mail_job_summary()["failed"] == 1
        assert [f.recipient for f in queue.failed_mail(10)] == ["late@example.org"]
        db.session.remove()


def test_a_mail_whose_task_was_lost_is_sent_by_the_sweep(app, mail) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        send_email("lost@example.org", "Hello", "verify_email", user={"name": "Ada"}, link="http://localhost/x")
    row = db.session.execute(select(OutboxEmail).where(OutboxEmail.recipient == "lost@example.org")).scalar_one()
    db.session.info.pop("core_tasks_pending")  # as if the broker was down at commit time
    db.session.commit()
    assert mail.to("lost@example.org") == [] and row.state == "queued"
    assert queue.sweep() == []  # too young to be lost
    assert queue.sweep(now=utcnow() + timedelta(minutes=2)) == [row.id]
    mail.wait_for("lost@example.org")
    db.session.refresh(row)
    assert row.state == "sent"


def test_admins_see_failed_mail_with_its_error_and_retry_it(client, mail) -> None:  # type: ignore[no-untyped-def]
    admin = create_user(is_admin=True)
    failed = OutboxEmail(recipient="retry@example.org", subject="Try again", text_body="t", html_body="<p>t</p>",
                         state="failed", attempts=8, last_error="SMTPRecipientsRefused: 451 try later",
                         message_id="<x@designing-clusters.local>")
    db.session.add_all([failed, OutboxEmail(recipient="fine@example.org", subject="Fine", text_body="t", html_body="t",
                                            state="sent", attempts=1)])
    db.session.commit()
    login(client, admin)
    overview = client.get("/admin/").get_data(as_text=True)
    assert "Failed mail" in overview
    page = client.get("/admin/mail/?state=failed").get_data(as_text=True)
    assert "retry@example.org" in page and "451 try later" in page and "fine@example.org" not in page
    assert client.get("/admin/mail/?state=nonsense").status_code == 400
    response = client.post(f"/admin/mail/{failed.id}/retry")
    assert response.status_code == 302
    [message] = mail.wait_for("retry@example.org")
    assert message["Message-ID"] == "<x@designing-clusters.local>"  # the same mail, not a new one
    db.session.refresh(failed)
    assert (failed.state, failed.attempts) == ("sent", 1)
    client.post(f"/admin/mail/{failed.id}/retry")  # a sent mail is not sent again
    assert len(mail.to("retry@example.org")) == 1


def test_the_mail_page_is_for_admins_only(client) -> None:  # type: ignore[no-untyped-def]
    login(client, create_user())
    assert client.get("/admin/mail/").status_code == 403
    assert client.post("/admin/mail/1/retry").status_code == 403


def test_without_a_mail_server_mail_is_kept_in_the_outbox_as_before(make_app) -> None:  # type: ignore[no-untyped-def]
    embedded = make_app(MAIL_SERVER="")
    with embedded.app_context():
        _send(embedded, "kept@example.org")
        db.session.commit()
        row = _mail_to("kept@example.org")
        assert (row.state, row.attempts, row.next_attempt_at) == ("kept", 0, None)
        assert queue.sweep() == []  # never delivered
        client = embedded.test_client()
        admin = create_user(is_admin=True)
        login(client, admin)
        listing = client.get("/outbox/").get_data(as_text=True)
        assert "kept@example.org" in listing
        assert client.get(f"/outbox/{row.id}").status_code == 200
        # a mail that failed while SMTP was configured, retried after it was removed, is kept too
        row.state, row.attempts, row.last_error = "failed", 8, "SMTPServerDisconnected"
        db.session.commit()
        assert client.post(f"/admin/mail/{row.id}/retry").status_code == 302
        db.session.refresh(row)
        assert (row.state, row.attempts) == ("kept", 1)
        db.session.remove()
