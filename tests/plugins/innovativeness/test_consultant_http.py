"""A consultant with access reads what a manager reads of aggregates — never one person's answers."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from core.api import db, utcnow
from core.clusters.models import Membership
from plugins.innovativeness.models import Participant, SavedResult
from tests.factories import add_member, create_cluster, create_user, grant_access, login, manager_of
from tests.plugins.innovativeness.helpers import page_form, seed_round


def _url(cluster, rnd, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}{suffix}"


def _consultant_of(cluster, client):  # type: ignore[no-untyped-def]
    consultant = create_user(is_consultant=True)
    grant_access(cluster, consultant)
    login(client, consultant)
    return consultant


def test_consultant_reads_a_closed_anonymous_rounds_aggregates_unpublished(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)], anonymous=True, close=True)
    _consultant_of(cluster, client)
    html = client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    assert "3 respondents" in html and "Median" in html and "<svg" in html
    assert client.get(_url(cluster, rnd, "/results.pdf")).status_code == 200
    document = client.get(_url(cluster, rnd, "/results.json")).get_json()
    assert document["respondents"] == 3 and "drivers" in document
    # Aggregates only: nothing in the document is a list of people's answers.
    assert '"answers"' not in json.dumps(document)


def test_consultant_never_gets_the_one_row_per_respondent_csv(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)], anonymous=True, close=True, publish=True)
    # A member's view first: the cached page body must not carry their links to the consultant.
    login(client, member.user)
    assert "answers.csv" in client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    client.post("/logout")
    _consultant_of(cluster, client)
    assert "answers.csv" not in client.get(_url(cluster, rnd, "/results")).get_data(as_text=True)
    assert client.get(_url(cluster, rnd, "/answers.csv")).status_code == 403
    dashboard = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert _url(cluster, rnd, "/results.pdf") in dashboard and "answers.csv" not in dashboard


def test_consultant_sees_no_interim_results_of_an_open_anonymous_round(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("sme", 5)], anonymous=True)
    _consultant_of(cluster, client)
    for suffix in ("/results", "/results.json", "/results.pdf", "/answers.csv"):
        assert client.get(_url(cluster, rnd, suffix)).status_code == 403, suffix


def test_consultant_never_acts_as_a_respondent(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = seed_round(cluster, [("sme", 3)] * 3)
    _consultant_of(cluster, client)
    page = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert "Your answers" not in page and "Answer now" not in page and "Send reminders" not in page
    assert client.get(_url(cluster, rnd, "/answer")).status_code == 403
    assert client.get(_url(cluster, rnd, "/answer/1")).status_code == 403
    before = db.session.execute(select(Participant.id, Participant.submitted_at)).all()
    assert client.post(_url(cluster, rnd, "/answer/1"), data=page_form(1, 1)).status_code == 403
    db.session.expire_all()
    assert db.session.execute(select(Participant.id, Participant.submitted_at)).all() == before


def test_consultant_sees_neither_who_answered_nor_members_saved_quick_tests(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = add_member(cluster)
    rnd = seed_round(cluster, [("sme", 3)] * 3, anonymous=False)
    saved = SavedResult(cluster_id=cluster.id, user_id=member.user_id, bank_version="1", answers={}, taken_at=utcnow())
    db.session.add(saved)
    db.session.commit()
    respondents = [m.user.name for m in db.session.query(Membership).filter_by(cluster_id=cluster.id, role="member")]
    login(client, manager_of(cluster))  # the manager of a named round sees who answered
    assert respondents[1] in client.get(_url(cluster, rnd)).get_data(as_text=True)
    client.post("/logout")
    _consultant_of(cluster, client)
    page = client.get(_url(cluster, rnd)).get_data(as_text=True)
    assert len(respondents) == 4 and not [n for n in respondents if re.search(rf"\b{re.escape(n)}\b", page)]
    assert f"/saved/{saved.id}" not in client.get(f"/clusters/{cluster.id}/innovativeness/").get_data(as_text=True)
    assert client.get(f"/clusters/{cluster.id}/innovativeness/saved/{saved.id}").status_code == 403
