"""Malformed input gets a 4xx with a clear message, never a 500: text, ids, pages, single-line fields."""

from __future__ import annotations

import pytest

from core.accounts.models import User
from core.clusters.models import Cluster
from core.email.models import OutboxEmail
from core.extensions import db
from core.proposals.models import Proposal
from plugins.canvas.models import RoleMark
from tests.factories import add_member, create_cluster, create_user, login, manager_of
from tests.plugins.canvas.helpers import new_canvas, note_by, url

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "c1\x85control"])
def test_control_characters_in_anonymous_forms_are_refused_with_400(client, bad):
    collaborate = client.post(
        "/collaborate",
        data={"name": bad, "email": "a@example.org", "kind": "research", "message": "Hello there, a proposal."},
    )
    signup = client.post("/signup", data={"display_name": bad, "email": "b@example.org", "password": "a fine long passphrase"})
    for response in (collaborate, signup):
        assert response.status_code == 400
        assert "control characters" in response.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 0


def test_control_characters_in_query_strings_and_json_are_refused(client):
    assert client.get("/admin/users?q=a%00b").status_code == 400
    response = client.post("/collaborate", json={"name": "x\u0000y"})
    assert response.status_code == 400


def test_multi_line_fields_keep_their_line_breaks_and_tabs(client):
    response = client.post(
        "/collaborate",
        data={"name": "Ada", "email": "ada@example.org", "kind": "research", "message": "Line one\r\n\tLine two, indented."},
    )
    assert response.status_code == 302
    assert db.session.query(Proposal).one().message == "Line one\r\n\tLine two, indented."


def test_single_line_fields_refuse_line_breaks(client):
    user = create_user()
    login(client, user)
    response = client.post(
        "/clusters/new",
        data={"name": "Evil\r\nBcc: everyone@example.org", "country": "France", "stage": "emerging",
              "organisation_name": "Office", "organisation_type": "intermediary"},
    )
    assert response.status_code == 400
    assert "single line" in response.get_data(as_text=True)
    assert db.session.query(Cluster).count() == 0


def test_invitation_mail_survives_a_cluster_name_with_a_line_break_saved_earlier(client, mail):
    cluster = create_cluster(name="Old\r\nName")
    login(client, manager_of(cluster))
    response = client.post(f"/clusters/{cluster.id}/invitations", data={"email": "guest@example.org", "role": "member"})
    assert response.status_code == 302
    [message] = mail.wait_for("guest@example.org")
    assert message["Subject"] == "You are invited to join Old Name on Designing Clusters"


@pytest.mark.parametrize("ident", ["１", "٣", "9223372036854775808", "2147483648", "99999999999999999999999", "0x1", "01", "007"])
def test_ids_that_are_not_ascii_digits_in_range_answer_404(client, ident):
    cluster = create_cluster()
    assert cluster.id == int(cluster.id)
    login(client, manager_of(cluster))
    assert client.get(f"/clusters/{ident}").status_code == 404
    assert client.get(f"/clusters/{cluster.id}/canvas/{ident}").status_code == 404
    assert client.get(f"/clusters/{cluster.id}/engagements/{ident}").status_code == 404
    assert client.get(f"/clusters/{cluster.id}").status_code == 200


def test_huge_page_numbers_on_admin_lists_answer_normally(client):
    login(client, create_user(is_admin=True))
    for page in ("9223372036854775808", "99999999999999999999", "-5", "١٢", "abc"):
        assert client.get(f"/admin/users?page={page}").status_code == 200
        assert client.get(f"/admin/clusters?page={page}").status_code == 200


def test_role_mark_for_an_actor_type_no_member_has_is_refused_before_saving(client):
    cluster = create_cluster()
    alice = add_member(cluster, organisation_type="sme")
    canvas = new_canvas(cluster)
    activity = note_by(canvas, alice, "Matchmaking days", "activities")
    login(client, alice.user)
    for headers in ({}, HTMX):
        response = client.post(
            url(canvas, "/roles"), data={"activity_id": activity.id, "actor_type": "investor", "role": "lead"}, headers=headers
        )
        assert response.status_code < 500
    assert db.session.query(RoleMark).count() == 0
    ok = client.post(url(canvas, "/roles"), data={"activity_id": activity.id, "actor_type": "sme", "role": "lead"}, headers=HTMX)
    assert ok.status_code == 200 and db.session.query(RoleMark).count() == 1


def test_outbox_ids_use_the_same_rule(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=True)
    assert db.session.query(OutboxEmail).count() == 0
    assert app.test_client().get("/outbox/9223372036854775808").status_code == 404


def test_ids_in_query_strings_follow_the_same_rule(client):
    from core.hygiene.ids import parse_id

    assert [parse_id(v) for v in ("12", "１", "9" * 30, "2147483648", "-1", "", None)] == [12, None, None, None, None, None, None]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    for value in ("１", "9" * 30):
        assert client.get(f"/clusters/{cluster.id}/engagements/book?service={value}").status_code == 200


def test_bidi_override_characters_are_dropped_from_every_form_field(client):
    # U+202E would reverse whatever is printed after the name: history lines, subjects, PDFs.
    response = client.post("/signup", data={"display_name": "Ada\u202eevil\u2066x\u2069 \u200fok",
                                            "email": "bidi@example.org", "password": "a long and unusual passphrase"})
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="bidi@example.org").one()
    assert user.display_name == "Adaevilx \u200fok"  # the right-to-left mark is ordinary typing and stays


def test_an_error_page_answering_a_form_offers_a_way_back_to_the_text(client):
    response = client.post("/signup", data={"display_name": "A\x00", "email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "invisible control characters" in html and "data-history-back" in html
