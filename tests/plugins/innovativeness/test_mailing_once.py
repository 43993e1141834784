"""Buttons send the state they show; results are mailed once per round; reminders wait
for their interval and say when they were last sent."""

from __future__ import annotations

import time
from datetime import timedelta

from core.api import db, utcnow
from plugins.innovativeness.models import AssessmentRound
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.innovativeness.helpers import open_round, seed_round


def _url(cluster, rnd, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}{suffix}"


def _published(rnd) -> bool:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.get(AssessmentRound, rnd.id).published_at is not None


def _results_mails(mail) -> list:  # type: ignore[no-untyped-def]
    return [m for m in mail.messages if "are available" in str(m["Subject"])]


def test_a_double_clicked_publish_stays_published(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3, close=True)
    login(client, manager_of(cluster))
    page = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert 'name="publish" value="1"' in page
    for _ in range(2):
        assert client.post(_url(cluster, rnd, "/publish"), data={"publish": "1"}).status_code == 302
    assert _published(rnd)
    assert 'name="publish" value="0"' in client.get(_url(cluster, rnd)).get_data(as_text=True)
    for _ in range(2):
        client.post(_url(cluster, rnd, "/publish"), data={"publish": "0"})
    assert not _published(rnd)


def test_publish_without_a_wanted_state_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3, close=True)
    login(client, manager_of(cluster))
    assert client.post(_url(cluster, rnd, "/publish")).status_code == 400
    assert client.post(_url(cluster, rnd, "/publish"), data={"publish": "maybe"}).status_code == 400
    assert not _published(rnd)


def test_results_are_mailed_once_per_round_even_after_hide_and_publish(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3, close=True)
    mail.clear()
    login(client, manager_of(cluster))
    for wanted in ("1", "0", "1", "1"):
        client.post(_url(cluster, rnd, "/publish"), data={"publish": wanted})
    assert _published(rnd)
    mail.wait_for(manager_of(cluster).email, 1)
    time.sleep(0.5)  # delivery is asynchronous: give any duplicate the time to arrive
    assert len(_results_mails(mail)) == 4  # the manager and three respondents, each once


def test_reminders_cannot_repeat_within_the_interval_and_show_when_last_sent(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    late = [add_member(cluster) for _ in range(3)]
    rnd = open_round(cluster, manager_of(cluster))
    mail.clear()
    login(client, manager_of(cluster))
    client.post(_url(cluster, rnd, "/remind"))
    for member in late:
        mail.wait_for(member.user.email, 1)
    second = client.post(_url(cluster, rnd, "/remind"), follow_redirects=True).get_data(as_text=True)
    assert "Reminders were already sent on" in second
    assert "Reminders last sent on" in second and "you can send them again from" in second
    time.sleep(0.5)
    assert len([m for m in mail.messages if "Reminder" in str(m["Subject"])]) == 4  # 3 members + the manager
    # Once the interval has passed, reminders can go again.
    round_row = db.session.get(AssessmentRound, rnd.id)
    round_row.reminders_sent_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    mail.clear()
    client.post(_url(cluster, rnd, "/remind"))
    assert len(mail.wait_for(late[0].user.email, 1)) == 1


def test_the_results_mail_says_when_an_anonymous_rounds_results_open(app):  # type: ignore[no-untyped-def]
    from datetime import datetime
    from types import SimpleNamespace

    later = SimpleNamespace(title="Spring 2027", anonymous=True, closed_at=None, closes_at=datetime(2027, 1, 15))
    now = SimpleNamespace(title="Spring 2027", anonymous=False, closed_at=None, closes_at=datetime(2027, 1, 15))
    with app.test_request_context():
        for name in ("emails/innovativeness_results_published.html", "emails/innovativeness_results_published.txt"):
            template = app.jinja_env.get_template(name)
            ahead = template.render(name="Ada", cluster_name="Aero", round=later, link="http://localhost/r")
            assert "open when the round closes on 15 January 2027" in " ".join(ahead.split())
            assert "now available" not in ahead  # not both "available now" and "open later"
            assert "now available" in template.render(name="Ada", cluster_name="Aero", round=now, link="x")
