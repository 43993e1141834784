"""The visitor's quick test over HTTP: pages, validation, result, PDF, saving, purging."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select

from core.api import db, utcnow
from plugins.innovativeness.models import QuickTest, SavedResult
from plugins.innovativeness.questionnaire import field_name
from tests.factories import add_member, create_cluster, create_user, login
from tests.plugins.innovativeness.helpers import QUICK_PAGES as PAGES
from tests.plugins.innovativeness.helpers import quick_page_form as page_form


def _start(client) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/tools/innovativeness/quick")
    assert response.status_code == 302
    return response.headers["Location"].split("/quick/")[1].split("/")[0]


def _finish(client, token: str, value: int = 4) -> None:  # type: ignore[no-untyped-def]
    for number in range(1, len(PAGES) + 1):
        assert client.post(f"/tools/innovativeness/quick/{token}/page/{number}", data=page_form(number, value)).status_code == 302


def test_intro_page_is_public(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/tools/innovativeness/")
    assert response.status_code == 200
    assert "Start the quick test" in response.get_data(as_text=True)


def test_page_shows_progress_and_statements(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    html = client.get(f"/tools/innovativeness/quick/{token}/page/1").get_data(as_text=True)
    assert f"Page 1 of {len(PAGES)}" in html
    assert "<progress" in html
    assert str(escape(PAGES[0][0].statements[0].text)) in html


def test_missing_answer_is_refused_and_input_kept(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    data = page_form(1, 5)
    missing = PAGES[0][0].statements[1].key
    del data[field_name(missing)]
    response = client.post(f"/tools/innovativeness/quick/{token}/page/1", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please choose an answer" in html
    kept = PAGES[0][0].statements[0].key
    assert f'name="{field_name(kept)}" value="5" checked' in html


def test_out_of_range_answer_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    data = page_form(1, 4)
    data[field_name(PAGES[0][0].statements[0].key)] = "7"
    response = client.post(f"/tools/innovativeness/quick/{token}/page/1", data=data)
    assert response.status_code == 400
    assert "Choose a point from 1 to 5" in response.get_data(as_text=True)
    test = db.session.execute(select(QuickTest).where(QuickTest.token == token)).scalar_one()
    assert test.answers == {}


def test_back_saves_partial_answers_without_complaint(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    client.post(f"/tools/innovativeness/quick/{token}/page/1", data=page_form(1, 3))
    partial = {field_name(PAGES[1][0].statements[0].key): "2", "action": "back"}
    response = client.post(f"/tools/innovativeness/quick/{token}/page/2", data=partial)
    assert response.status_code == 302 and response.headers["Location"].endswith("/page/1")
    test = db.session.execute(select(QuickTest).where(QuickTest.token == token)).scalar_one()
    assert test.answers[PAGES[1][0].statements[0].key] == 2


def test_result_needs_every_page_answered(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    response = client.get(f"/tools/innovativeness/quick/{token}/result")
    assert response.status_code == 302 and "/page/1" in response.headers["Location"]


def test_result_shows_index_chart_table_strengths_and_weaknesses(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    _finish(client, token, value=4)
    html = client.get(f"/tools/innovativeness/quick/{token}/result").get_data(as_text=True)
    assert "How well does your cluster support innovation? — your view" in html
    assert "<svg" in html and "<title" in html
    assert "<table" in html and "Score per driver" in html
    assert "Top strengths" in html and "Top weaknesses and what to do" in html


def test_result_downloads_as_pdf(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    _finish(client, token)
    response = client.get(f"/tools/innovativeness/quick/{token}/result.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_unknown_token_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/tools/innovativeness/quick/not-a-token/page/1").status_code == 404


def test_answers_older_than_a_day_are_purged_on_access(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    test = db.session.execute(select(QuickTest).where(QuickTest.token == token)).scalar_one()
    test.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert client.get(f"/tools/innovativeness/quick/{token}/page/1").status_code == 404
    assert db.session.execute(select(QuickTest)).first() is None


def test_purge_command_deletes_only_expired_tests(app, client) -> None:  # type: ignore[no-untyped-def]
    old, fresh = _start(client), _start(client)
    row = db.session.execute(select(QuickTest).where(QuickTest.token == old)).scalar_one()
    row.created_at = utcnow() - timedelta(hours=30)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["innovativeness", "purge-anonymous"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1" in result.output
    tokens = list(db.session.execute(select(QuickTest.token)).scalars())
    assert tokens == [fresh]


def test_saving_needs_an_account(client) -> None:  # type: ignore[no-untyped-def]
    token = _start(client)
    _finish(client, token)
    response = client.get(f"/tools/innovativeness/quick/{token}/save")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signed_in_visitor_saves_result_into_their_cluster(client) -> None:  # type: ignore[no-untyped-def]
    user = create_user()
    cluster = create_cluster(manager=user)
    token = _start(client)
    _finish(client, token)
    login(client, user)
    response = client.post(f"/tools/innovativeness/quick/{token}/save", data={"cluster_id": cluster.id, "note": "My view"})
    assert response.status_code == 302
    saved = db.session.execute(select(SavedResult)).scalar_one()
    assert (saved.cluster_id, saved.user_id, saved.note) == (cluster.id, user.id, "My view")
    assert db.session.execute(select(QuickTest)).first() is None
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "How well does your cluster support innovation? — your view" in page.get_data(as_text=True)


def test_result_cannot_be_saved_into_someone_elses_cluster(client) -> None:  # type: ignore[no-untyped-def]
    user = create_user()
    create_cluster(manager=user)
    other = create_cluster()
    token = _start(client)
    _finish(client, token)
    login(client, user)
    response = client.post(f"/tools/innovativeness/quick/{token}/save", data={"cluster_id": other.id})
    assert response.status_code == 400
    assert db.session.execute(select(SavedResult)).first() is None


def test_saved_result_is_private_to_its_owner_and_managers(client) -> None:  # type: ignore[no-untyped-def]
    owner = create_user()
    cluster = create_cluster()
    add_member(cluster, owner)
    token = _start(client)
    _finish(client, token)
    login(client, owner)
    location = client.post(f"/tools/innovativeness/quick/{token}/save", data={"cluster_id": cluster.id}).headers["Location"]
    other_member = add_member(cluster).user
    client.post("/logout")
    login(client, other_member)
    assert client.get(location).status_code == 404


def test_home_page_links_to_the_quick_test(client) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/tools/innovativeness/"' in client.get("/").get_data(as_text=True)
