"""Mail on the background-jobs page: a failed mail is listed, alerted once and retried there;
an alert that itself cannot be delivered is not alerted about again."""

from __future__ import annotations

from sqlalchemy import func, select

from core.api import db, utcnow
from core.background.alerts import ALERT_SUBJECT, alert_failed_jobs
from core.email.models import OutboxEmail
from tests.factories import create_user, login


def _failed_mail(recipient: str, subject: str) -> OutboxEmail:
    row = OutboxEmail(recipient=recipient, subject=subject, text_body="t", html_body="<p>t</p>", state="failed",
                      attempts=5, last_error="SMTPServerDisconnected: gone", created_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row


def test_a_failed_mail_is_a_failed_job_alerted_once_and_retried_from_the_jobs_page(client, app, mail):  # type: ignore[no-untyped-def]
    admin = create_user(is_admin=True)
    failed = _failed_mail("lost@example.org", "Your invitation")
    login(client, admin)
    page = client.get("/admin/jobs?state=failed&kind=mail").get_data(as_text=True)
    assert "Mail to lost@example.org: Your invitation" in page and "SMTPServerDisconnected" in page
    with app.app_context():
        assert alert_failed_jobs() == 1
        assert alert_failed_jobs() == 0  # once
    [alert] = mail.wait_for(admin.email)
    assert alert["Subject"].startswith(ALERT_SUBJECT)
    response = client.post(f"/admin/jobs/mail/{failed.id}/retry")
    assert response.status_code in (302, 303)
    [delivered] = mail.wait_for("lost@example.org")
    assert delivered["Subject"] == "Your invitation"
    db.session.refresh(failed)
    assert failed.state == "sent"


def test_an_undeliverable_alert_does_not_start_a_chain_of_alerts(app, mail):  # type: ignore[no-untyped-def]
    create_user(is_admin=True)
    _failed_mail("ops@example.org", f"{ALERT_SUBJECT}Periodic job x")
    with app.app_context():
        assert alert_failed_jobs() == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 1
