"""Sign-up, email verification, login/logout, password reset and change, deletion."""

from __future__ import annotations

import re

from core.accounts.models import AuthSession, User
from core.extensions import db
from tests.factories import DEFAULT_PASSWORD, create_cluster, create_user, login

GOOD_PASSWORD = "a long and unusual passphrase"


def link_in(mail, address: str) -> str:
    text = mail.text_of(mail.wait_for(address)[-1])
    return re.search(r"http://localhost(/\S+)", text).group(1)


def test_sign_up_creates_an_unverified_account_and_sends_a_verification_link(client, mail):
    response = client.post("/signup", data={"display_name": "Ada", "email": "Ada@Example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="ada@example.org").one()
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    path = link_in(mail, "ada@example.org")
    assert client.get(path).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_the_confirmation_link_continues_where_the_visitor_was_going(client, mail):
    # A visitor saving a quick test result signs up on the way; the result must not be lost.
    target = "/innovativeness/quick/abc/save"
    response = client.post(f"/signup?next={target}",
                           data={"display_name": "Ada", "email": "ada@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    confirmed = client.get(link_in(mail, "ada@example.org"))
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == f"/login?next={target}"
    logged_in = client.post(confirmed.headers["Location"], data={"email": "ada@example.org", "password": GOOD_PASSWORD})
    assert logged_in.headers["Location"] == target


def test_a_confirmation_link_never_continues_off_site(client, mail):
    client.post("/signup?next=//evil.example/x",
                data={"display_name": "Ada", "email": "ada@example.org", "password": GOOD_PASSWORD})
    confirmed = client.get(link_in(mail, "ada@example.org"))
    assert confirmed.headers["Location"] == "/login"


def test_short_password_is_refused_next_to_the_field_and_input_is_kept(client):
    response = client.post("/signup", data={"display_name": "Ada", "email": "ada@example.org", "password": "short"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "at least 12 characters" in html
    assert 'value="ada@example.org"' in html
    assert db.session.query(User).count() == 0


def test_common_password_is_refused(client):
    response = client.post("/signup", data={"display_name": "Ada", "email": "ada@example.org", "password": "qwerty123456"})
    assert response.status_code == 400
    assert "most common" in response.get_data(as_text=True)


def test_signup_answers_the_same_whether_or_not_the_account_exists(client, mail):
    owner = create_user(email="taken@example.org")
    taken = client.post("/signup", data={"display_name": "X", "email": "taken@example.org", "password": GOOD_PASSWORD})
    fresh = client.post("/signup", data={"display_name": "Y", "email": "fresh@example.org", "password": GOOD_PASSWORD})
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"]) == (302, "/signup/sent")
    assert "Check your inbox" in client.get("/signup/sent").get_data(as_text=True)
    # The existing account's owner is told, with a way in; the account is unchanged.
    notice = mail.text_of(mail.wait_for("taken@example.org")[0])
    assert "already has one" in notice and "http://localhost/login" in notice and "/password/forgot" in notice
    db.session.refresh(owner)
    assert db.session.query(User).filter_by(email="taken@example.org").count() == 1
    assert client.get("/clusters").status_code == 302  # nobody was logged in either way


def test_tampered_verification_link_is_refused(client):
    response = client.get("/verify/not-a-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_wrong_password_does_not_log_in(client):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password here"})
    assert response.status_code == 400
    assert "not correct" in response.get_data(as_text=True)
    assert client.get("/clusters").status_code == 302


def test_login_rotates_the_session_and_logout_kills_a_replayed_cookie(app, client):
    user = create_user()
    client.get("/login")
    before = client.get_cookie("session")
    login(client, user)
    captured = client.get_cookie("session").value
    assert before is None or before.value != captured
    assert client.get("/clusters").status_code == 200
    client.post("/logout")
    assert db.session.query(AuthSession).count() == 0
    attacker = app.test_client()
    attacker.set_cookie("session", captured)
    assert attacker.get("/clusters").status_code == 302  # sent to the login page


def test_login_is_rate_limited_per_account_without_locking_out_for_good(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    user = create_user()
    client = limited.test_client()
    codes = [client.post("/login", data={"email": user.email, "password": "wrong password!!"}).status_code for _ in range(6)]
    assert codes[:5] == [400] * 5
    assert codes[5] == 429
    # The limit is a moving window: the account is not locked permanently.
    from core.extensions import limiter

    limiter.reset()
    login(client, user)


def test_password_reset_link_works_once(client, mail):
    user = create_user(email="forgetful@example.org")
    client.post("/password/forgot", data={"email": "forgetful@example.org"})
    path = link_in(mail, "forgetful@example.org")
    response = client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    client.post("/login", data={"email": user.email, "password": GOOD_PASSWORD})
    assert client.get("/clusters").status_code == 200
    assert client.get(path).status_code == 400  # used link


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, mail):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "If an account exists" in response.get_data(as_text=True)
    assert mail.to("nobody@example.org") == []


def test_changing_password_logs_out_other_sessions(app, client):
    user = create_user()
    other = app.test_client()
    login(other, user)
    login(client, user)
    response = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/clusters").status_code == 200
    assert other.get("/clusters").status_code == 302


def test_profile_name_can_be_edited(client):
    user = create_user()
    login(client, user)
    client.post("/account", data={"display_name": "Grace Hopper"})
    db.session.refresh(user)
    assert user.display_name == "Grace Hopper"


def test_account_deletion_needs_the_password_and_confirmation(client):
    user = create_user()
    login(client, user)
    assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 400
    response = client.post("/account/delete", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert db.session.get(User, user.id) is None


def test_last_manager_cannot_delete_their_account(client):
    user = create_user()
    create_cluster(manager=user)
    login(client, user)
    response = client.post("/account/delete", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert "last manager" in response.get_data(as_text=True)
    assert db.session.get(User, user.id) is not None


def test_open_redirect_after_login_is_refused(client):
    user = create_user()
    response = client.post("/login?next=//evil.example.com/", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/clusters"
