"""Assessment rounds over HTTP: opening, inviting, answering, closing, access."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.api import db, utcnow
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.questionnaire import field_name
from tests.factories import add_member, create_cluster, create_user, login, manager_of
from tests.plugins.innovativeness.helpers import PAGES, answer_everything, open_round, page_form


def _base(cluster, rnd) -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}"


def test_manager_opens_a_round_and_every_member_gets_an_email(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    manager = manager_of(cluster)
    members = [add_member(cluster, organisation_type=t) for t in ("sme", "university")]
    login(client, manager)
    response = client.post(
        f"/clusters/{cluster.id}/innovativeness/rounds/new",
        data={"title": "Spring 2027", "bank_version": "1", "closes_on": (date.today() + timedelta(days=10)).isoformat(),
              "anonymous": "y", "invite": "all"},
    )
    assert response.status_code == 302
    rnd = db.session.execute(select(AssessmentRound)).scalar_one()
    assert (rnd.title, rnd.bank_version, rnd.anonymous) == ("Spring 2027", "1", True)
    for m in members:
        message = mail.wait_for(m.user.email, 1)[0]
        assert f"/rounds/{rnd.id}/answer" in mail.text_of(message)
    types = set(db.session.execute(select(Participant.organisation_type)).scalars())
    assert types == {"sme", "university", "intermediary"}


def test_manager_can_invite_selected_members_only(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    chosen, skipped = add_member(cluster), add_member(cluster)
    login(client, manager_of(cluster))
    client.post(
        f"/clusters/{cluster.id}/innovativeness/rounds/new",
        data={"title": "Pilot", "bank_version": "1", "closes_on": (date.today() + timedelta(days=3)).isoformat(),
              "invite": "selected", "members": [str(chosen.id)]},
    )
    invited = set(db.session.execute(select(Participant.membership_id)).scalars())
    assert invited == {chosen.id}


def test_round_form_refuses_a_past_date_and_keeps_the_title(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/innovativeness/rounds/new",
        data={"title": "Kept <b>title</b>", "bank_version": "1", "closes_on": "2020-01-01", "invite": "all"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The closing date must be after today." in html
    assert "Kept &lt;b&gt;title&lt;/b&gt;" in html
    assert db.session.execute(select(AssessmentRound)).first() is None


def test_selected_invitation_needs_a_member(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    response = client.post(
        f"/clusters/{cluster.id}/innovativeness/rounds/new",
        data={"title": "T", "bank_version": "1", "closes_on": (date.today() + timedelta(days=3)).isoformat(), "invite": "selected"},
    )
    assert response.status_code == 400
    assert "Tick at least one member" in response.get_data(as_text=True)


def test_plain_member_cannot_open_close_remind_or_publish(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, member.user)
    assert client.get(f"/clusters/{cluster.id}/innovativeness/rounds/new").status_code == 403
    for action in ("close", "remind", "publish"):
        assert client.post(f"{_base(cluster, rnd)}/{action}").status_code == 403
    assert client.post(f"/clusters/{cluster.id}/innovativeness/benchmark", data={"share": "y"}).status_code == 403


def test_outsider_gets_404_everywhere(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = open_round(cluster, manager_of(cluster))
    login(client, create_user())
    for suffix in ("", "/answer", "/answer/1", "/results", "/results.json", "/answers.csv", "/results.pdf"):
        assert client.get(_base(cluster, rnd) + suffix).status_code == 404, suffix


def test_anonymous_visitor_is_sent_to_login(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = open_round(cluster, manager_of(cluster))
    response = client.get(_base(cluster, rnd) + "/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_round_of_another_cluster_is_404_for_its_id(client) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = create_cluster(), create_cluster()
    rnd = open_round(theirs, manager_of(theirs))
    login(client, manager_of(mine))
    assert client.get(f"/clusters/{mine.id}/innovativeness/rounds/{rnd.id}").status_code == 404


def test_member_saves_progress_and_resumes_on_first_unanswered_page(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, member.user)
    base = _base(cluster, rnd)
    assert client.post(f"{base}/answer/1", data=page_form(1, 4)).status_code == 302
    response = client.post(f"{base}/answer/2", data=page_form(2, 2, action="save"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{rnd.id}")
    resume = client.get(f"{base}/answer")
    assert resume.headers["Location"].endswith("/answer/3")
    participant = db.session.execute(select(Participant).where(Participant.membership_id == member.id)).scalar_one()
    assert participant.submitted_at is None and len(participant.answers) == sum(len(d.statements) for p in PAGES[:2] for d in p)


def test_member_submits_and_can_edit_until_close(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, member.user)
    base = _base(cluster, rnd)
    answer_everything(client, f"{base}/answer/1", 4)
    participant = db.session.execute(select(Participant).where(Participant.membership_id == member.id)).scalar_one()
    assert participant.submitted_at is not None
    version = db.session.get(AssessmentRound, rnd.id).answers_version
    assert client.post(f"{base}/answer/1", data=page_form(1, 1)).status_code == 302
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).answers_version > version
    key = PAGES[0][0].statements[0].key
    assert db.session.get(Participant, participant.id).answers[key] == 1


def test_answering_a_closed_round_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, manager_of(cluster))
    assert client.post(f"{_base(cluster, rnd)}/close", data={"confirm": "yes"}).status_code == 302
    client.post("/logout")
    login(client, member.user)
    response = client.post(f"{_base(cluster, rnd)}/answer/1", data=page_form(1, 3))
    assert response.status_code == 409
    assert "This round is closed" in response.get_data(as_text=True)
    assert db.session.execute(select(Participant.answers).where(Participant.membership_id == member.id)).scalar_one() == {}


def test_round_past_its_closing_date_closes_itself(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    rnd.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(client, member.user)
    assert client.post(f"{_base(cluster, rnd)}/answer/1", data=page_form(1, 3)).status_code == 409
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).closed_at is not None


def test_member_not_invited_cannot_answer(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    invited = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster), members=[invited.id])
    latecomer = add_member(cluster)
    login(client, latecomer.user)
    assert client.get(f"{_base(cluster, rnd)}/answer/1").status_code == 403


def test_missing_answer_on_a_round_page_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, member.user)
    data = page_form(1, 3)
    del data[field_name(PAGES[0][0].statements[0].key)]
    response = client.post(f"{_base(cluster, rnd)}/answer/1", data=data)
    assert response.status_code == 400
    assert "Please choose an answer" in response.get_data(as_text=True)


def test_reminders_go_only_to_members_who_have_not_submitted(client, mail) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    done, late = add_member(cluster), add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, done.user)
    answer_everything(client, f"{_base(cluster, rnd)}/answer/1")
    client.post("/logout")
    mail.clear()
    login(client, manager_of(cluster))
    assert client.post(f"{_base(cluster, rnd)}/remind").status_code == 302
    assert len(mail.wait_for(late.user.email, 1)) == 1
    assert mail.to(done.user.email) == []
    assert db.session.execute(select(Participant.reminded_at).where(Participant.membership_id == late.id)).scalar_one()


def test_response_rate_is_shown_to_the_manager(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster))
    login(client, member.user)
    answer_everything(client, f"{_base(cluster, rnd)}/answer/1")
    client.post("/logout")
    login(client, manager_of(cluster))
    html = client.get(_base(cluster, rnd)).get_data(as_text=True)
    assert "<strong>1</strong> of 2 invited members have submitted (50%)" in html


def test_anonymous_round_never_shows_who_answered(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster, organisation_name="Acme Widgets")
    rnd = open_round(cluster, manager_of(cluster), anonymous=True)
    login(client, manager_of(cluster))
    html = client.get(_base(cluster, rnd)).get_data(as_text=True)
    assert member.user.name not in html and "Acme Widgets" not in html


def test_named_round_shows_the_manager_who_answered(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster, organisation_name="Acme Widgets")
    rnd = open_round(cluster, manager_of(cluster), anonymous=False)
    login(client, manager_of(cluster))
    html = client.get(_base(cluster, rnd)).get_data(as_text=True)
    assert member.user.name in html and "Acme Widgets" in html


def test_index_lists_rounds_with_response_rates_and_my_status(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = open_round(cluster, manager_of(cluster), title="Listed round")
    login(client, member.user)
    html = client.get(f"/clusters/{cluster.id}/innovativeness/").get_data(as_text=True)
    assert "Listed round" in html
    assert "0 of 2 (0%)" in html
    assert f"/rounds/{rnd.id}/answer" in html
    assert "Open a round" not in html


def test_manager_sees_open_round_button_and_benchmark_choice(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}/innovativeness/").get_data(as_text=True)
    assert "Open a round" in html and "Share our anonymised results" in html


def test_answers_count_under_the_members_current_actor_type(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster, organisation_type="sme")
    rnd = open_round(cluster, manager_of(cluster))
    member.organisation_type = "startup"
    db.session.commit()
    login(client, member.user)
    client.post(f"{_base(cluster, rnd)}/answer/1", data=page_form(1, 4))
    assert db.session.execute(select(Participant.organisation_type).where(Participant.membership_id == member.id)).scalar_one() == "startup"


def test_a_round_closed_early_shows_when_it_actually_closed(client) -> None:  # type: ignore[no-untyped-def]
    from plugins.innovativeness.rounds import close_round

    cluster = create_cluster()
    rnd = open_round(cluster, manager_of(cluster))
    close_round(rnd)
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}/innovativeness/").get_data(as_text=True)
    assert f"Closed {rnd.closed_at:%d %b %Y}" in html
    assert f"{rnd.closes_at:%d %b %Y}" not in html
