"""Host-header poisoning: foreign hosts are refused; every mailed link comes from BASE_URL."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import DEFAULT_PASSWORD, add_member, create_cluster, create_user, manager_of

EVIL = "attacker.example"
BASE = "https://clusters.example.org"


def _links(mail, address: str) -> str:  # type: ignore[no-untyped-def]
    return " ".join(mail.text_of(m) for m in mail.to(address))


def test_request_for_an_untrusted_host_is_refused_and_mails_nothing(client, mail):
    victim = create_user(email="victim@example.org")
    response = client.post("/password/forgot", data={"email": victim.email}, headers={"Host": EVIL})
    assert response.status_code == 400
    assert mail.to(victim.email) == []


def test_trusted_hosts_come_from_base_url_and_loopback(make_app):
    app = make_app(BASE_URL=BASE)
    assert "localhost" in app.config["TRUSTED_HOSTS"]
    from core.config import trusted_hosts

    assert trusted_hosts(BASE) == ["clusters.example.org", "localhost", "127.0.0.1"]


def test_reset_and_verification_links_use_base_url_whatever_the_host(make_app, mail):
    # Even with the host check switched off (a proxy rewriting Host), links stay on BASE_URL.
    app = make_app(BASE_URL=BASE, TRUSTED_HOSTS=None)
    client = app.test_client()
    victim = create_user(email="victim@example.org")
    client.post("/password/forgot", data={"email": victim.email}, headers={"Host": EVIL})
    client.post(
        "/signup",
        data={"display_name": "New", "email": "new@example.org", "password": "a fine long passphrase"},
        headers={"Host": EVIL},
    )
    reset, verify = _links(mail, victim.email), _links(mail, "new@example.org")
    assert f"{BASE}/password/reset/" in reset and EVIL not in reset
    assert f"{BASE}/verify/" in verify and EVIL not in verify


def test_invitation_and_round_links_use_base_url_whatever_the_host(make_app, mail):
    app = make_app(BASE_URL=BASE, TRUSTED_HOSTS=None)
    client = app.test_client()
    cluster = create_cluster()
    member = add_member(cluster)
    # Log in on the forged host too, so the session cookie travels with the requests.
    client.post("/login", data={"email": manager_of(cluster).email, "password": DEFAULT_PASSWORD}, headers={"Host": EVIL})
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "guest@example.org", "role": "member"}, headers={"Host": EVIL})
    client.post(
        f"/clusters/{cluster.id}/innovativeness/rounds/new",
        data={"title": "Spring", "bank_version": "1", "closes_on": (date.today() + timedelta(days=10)).isoformat(), "invite": "all"},
        headers={"Host": EVIL},
    )
    invitation, round_mail = _links(mail, "guest@example.org"), _links(mail, member.user.email)
    assert f"{BASE}/invitations/" in invitation and EVIL not in invitation
    assert f"{BASE}/clusters/{cluster.id}/innovativeness/rounds/" in round_mail and EVIL not in round_mail


def test_absolute_url_is_the_same_inside_and_outside_a_request(make_app):
    from core.api import absolute_url

    app = make_app(BASE_URL=BASE + "/app")
    with app.app_context():
        outside = absolute_url("accounts.login")
    with app.test_request_context("/", base_url=f"http://{EVIL}"):
        inside = absolute_url("accounts.login")
    assert outside == inside == f"{BASE}/app/login"
