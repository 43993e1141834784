"""Strangers cannot lock a user out: device cookies, invited sign-ups on shared Wi-Fi, honest wait times."""

from __future__ import annotations

import pytest

from core.accounts.models import User
from core.extensions import db, limiter
from tests.factories import DEFAULT_PASSWORD, create_cluster, create_user, login, manager_of

WRONG = "wrong password!!"


@pytest.fixture()
def limited(make_app):  # type: ignore[no-untyped-def]
    app = make_app(RATELIMIT_ENABLED=True)
    limiter.reset()
    yield app
    limiter.reset()


def _attack(app, email: str, attempts: int = 8) -> None:  # type: ignore[no-untyped-def]
    # Each attempt from a different address, as a botnet would.
    for n in range(attempts):
        app.test_client().post("/login", data={"email": email, "password": WRONG}, environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"})


def test_a_browser_that_logged_in_before_is_not_locked_out_by_strangers(limited):
    user = create_user()
    browser = limited.test_client()
    login(browser, user)
    assert browser.get_cookie("device", path="/login") is not None
    browser.post("/logout")
    _attack(limited, user.email)
    stranger = limited.test_client()
    assert stranger.post("/login", data={"email": user.email, "password": WRONG}).status_code == 429
    response = browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_a_device_cookie_for_another_account_grants_no_exemption(limited):
    victim, other = create_user(), create_user()
    browser = limited.test_client()
    login(browser, other)
    browser.post("/logout")
    _attack(limited, victim.email)
    assert browser.post("/login", data={"email": victim.email, "password": DEFAULT_PASSWORD}).status_code == 429


def test_a_forged_device_cookie_grants_no_exemption(limited):
    victim = create_user()
    _attack(limited, victim.email)
    browser = limited.test_client()
    browser.set_cookie("device", f"[{victim.id}]", path="/login")
    assert browser.post("/login", data={"email": victim.email, "password": DEFAULT_PASSWORD}).status_code == 429


def test_the_wait_is_stated_for_the_limit_that_was_hit(limited):
    victim = create_user()
    _attack(limited, victim.email)
    html = limited.test_client().post("/login", data={"email": victim.email, "password": WRONG}).get_data(as_text=True)
    assert "Try again in" in html and "seconds" in html
    for n in range(21):
        response = limited.test_client().post(
            "/collaborate", data={"name": "A", "email": f"p{n}@example.org", "kind": "research", "message": "A proposal text long enough to count."}
        )
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "minutes" in html and "Wait a minute" not in html


def test_a_room_of_invitees_on_one_address_can_all_sign_up(limited, mail):
    cluster = create_cluster()
    manager = manager_of(cluster)
    manager_client = limited.test_client()
    login(manager_client, manager)
    paths = []
    for n in range(25):
        email = f"invitee{n}@example.org"
        manager_client.post(f"/clusters/{cluster.id}/invitations", data={"email": email, "role": "member"}, environ_base={"REMOTE_ADDR": "192.0.2.50"})
        text = mail.text_of(mail.wait_for(email)[0])
        paths.append((email, text[text.index("/invitations/"):].split()[0]))
    for email, path in paths:  # all from the workshop's one public address
        invitee = limited.test_client()
        response = invitee.post(
            f"/signup?next={path}", data={"display_name": "Invitee", "email": email, "password": "a fine long passphrase"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
        assert response.status_code == 302, email
        accepted = invitee.post(path, data={"organisation_name": "Org", "organisation_type": "sme"}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert accepted.status_code == 302, email
    assert db.session.query(User).filter(User.email.like("invitee%")).count() == 25


def test_uninvited_signups_from_one_address_are_still_limited(limited):
    codes = [
        limited.test_client().post(
            "/signup", data={"display_name": "Bot", "email": f"bot{n}@example.org", "password": "a fine long passphrase"}
        ).status_code
        for n in range(21)
    ]
    assert codes[:20] == [302] * 20 and codes[20] == 429
