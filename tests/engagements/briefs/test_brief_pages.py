"""The brief pages over HTTP: who may see what, editing, drop confirmation, sharing, comments
(CSRF, limits), the PDF, outcomes and the tools' follow-up buttons."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest
from flask import url_for

from core.api import OutcomeAction, ToolInfo, db, hookimpl
from core.plugins.calls import host
from engagements.briefs.versions import draft_of, latest_version
from engagements.lifecycle import Actor, transition
from engagements.models import Engagement
from tests.engagements.briefs.factories import add_brief_version, paid_workshop
from tests.factories import add_member, create_cluster, create_user, csrf_token_from, login, manager_of


def _console(engagement: Engagement, rest: str = "") -> str:
    return f"/console/engagements/{engagement.id}/brief/{rest}"


def _cluster(engagement: Engagement, rest: str = "") -> str:
    return f"/clusters/{engagement.cluster_id}/engagements/{engagement.id}/brief/{rest}"


def _consultant(engagement: Engagement):  # type: ignore[no-untyped-def]
    from core.accounts.models import User

    return db.session.get(User, engagement.consultant_id)


def test_console_pages_are_for_the_assigned_consultant_and_cluster_pages_for_managers(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement, state="shared")
    console_urls = [_console(engagement), _console(engagement, "progress"), _console(engagement, "item?key=canvas:vp"),
                    _console(engagement, "item"), _console(engagement, "drop?key=canvas:vp"), _console(engagement, "v1"),
                    _console(engagement, "v1/share"), _console(engagement, "outcomes")]
    login(client, _consultant(engagement))
    assert [client.get(u).status_code for u in console_urls] == [200] * len(console_urls)
    client.post("/logout")
    login(client, create_user(is_consultant=True))
    assert {client.get(u).status_code for u in console_urls} == {404}
    client.post("/logout")

    cluster_urls = [_cluster(engagement), _cluster(engagement, "v1"), _cluster(engagement, "outcomes")]
    member = create_user()
    from core.clusters.models import Cluster

    add_member(db.session.get(Cluster, engagement.cluster_id), member)
    login(client, member)
    assert {client.get(u).status_code for u in cluster_urls} == {403}
    client.post("/logout")
    login(client, manager_of(create_cluster()))  # another cluster's manager
    assert {client.get(u).status_code for u in cluster_urls} == {404}


def test_a_report_engagement_has_no_brief_pages(client):  # type: ignore[no-untyped-def]
    from tests.engagements.reports.factories import paid_report_engagement

    report = paid_report_engagement()
    login(client, _consultant(report))
    assert client.get(_console(report)).status_code == 404


def test_the_consultant_edits_moves_drops_and_adds_items_through_the_console(client):  # type: ignore[no-untyped-def]
    engagement = paid_workshop()
    add_brief_version(engagement)
    login(client, _consultant(engagement))
    page = client.get(_console(engagement)).get_data(as_text=True)
    assert "Value propositions" in page and "Move down" in page and "Drop…" in page

    response = client.post(_console(engagement, "item"), data={
        "base_number": 1, "key": "canvas:vp", "title": "Our offer to members", "question": "Which first?",
        "exercise": "Dot voting", "minutes": 40, "decision_sought": "One offer"})
    assert response.status_code == 303
    assert draft_of(latest_version(engagement.id)).items[0].title == "Our offer to members"

    bad = client.post(_console(engagement, "item"), data={"base_number": 2, "key": "canvas:vp", "title": "",
                                                         "minutes": 40})
    assert bad.status_code == 400 and "highlighted" in bad.get_data(as_text=True)
    stale = client.post(_console(engagement, "item"), data={"base_number": 1, "key": "canvas:vp", "title": "Late",
                                                           "minutes": 40})
    assert stale.status_code == 409 and "after you opened" in stale.get_data(as_text=True)

    assert client.post(_console(engagement, "move/down"), data={"base_number": 2, "key": "canvas:vp"}).status_code == 303
    assert client.post(_console(engagement, "move/sideways"), data={"base_number": 3, "key": "canvas:vp"}).status_code == 400
    confirm = client.get(_console(engagement, "drop?key=sample:s1")).get_data(as_text=True)
    assert "Drop “Events”?" in confirm
    assert client.post(_console(engagement, "drop"), data={"base_number": 3, "key": "sample:s1"}).status_code == 303
    assert client.post(_console(engagement, "item"), data={"base_number": 4, "key": "", "title": "Fees",
                                                           "minutes": 20}).status_code == 303
    keys = [i.key for i in draft_of(latest_version(engagement.id)).items]
    assert keys == ["innovativeness:D9", "canvas:vp", "added-1"]


def test_sharing_is_confirmed_and_managers_read_comment_and_download(client, mail):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    engagement = paid_workshop(cluster)
    add_brief_version(engagement)
    login(client, _consultant(engagement))
    assert "cannot be unshared" in client.get(_console(engagement, "v1/share")).get_data(as_text=True)
    assert client.post(_console(engagement, "v1/share")).status_code == 303
    client.post("/logout")

    manager = manager_of(cluster)
    login(client, manager)
    page = client.get(_cluster(engagement)).get_data(as_text=True)
    assert "Value propositions" in page and "Download the PDF" in page
    pdf = client.get(_cluster(engagement, "v1.pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["Cache-Control"] == "private, no-store"
    too_long = client.post(_cluster(engagement, "v1/comments"), data={"body": "x" * 2001})
    assert too_long.status_code == 400
    empty = client.post(_cluster(engagement, "v1/comments"), data={"body": "   "})
    assert empty.status_code == 400 and "Write a comment" in empty.get_data(as_text=True)
    assert client.post(_cluster(engagement, "v9/comments"), data={"body": "hi"}).status_code == 404
    assert client.post(_cluster(engagement, "v1/comments"), data={"body": "Add the fees question"}).status_code == 303
    client.post("/logout")
    login(client, _consultant(engagement))
    assert "Add the fees question" in client.get(_console(engagement)).get_data(as_text=True)


def test_a_comment_without_its_csrf_token_is_refused(make_app):  # type: ignore[no-untyped-def]
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    cluster = create_cluster()
    engagement = paid_workshop(cluster)
    add_brief_version(engagement, state="shared")
    manager = manager_of(cluster)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": manager.email, "password": "correct horse battery staple", "csrf_token": token})
    assert client.post(_cluster(engagement, "v1/comments"), data={"body": "hello"}).status_code == 400
    token = csrf_token_from(client.get(_cluster(engagement)).get_data(as_text=True))
    assert client.post(_cluster(engagement, "v1/comments"), data={"body": "hello", "csrf_token": token}).status_code == 303


@pytest.fixture()
def follow_up_tool(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A real plugin offering a follow-up on canvas outcomes, registered for one test."""

    @hookimpl
    def designing_clusters_tool_info() -> ToolInfo:
        return ToolInfo(slug="followup", title="Follow-up", summary="Test follow-ups.", version="1.0.0")

    @hookimpl
    def designing_clusters_outcome_actions(cluster, outcomes):  # type: ignore[no-untyped-def]
        about = [o for o in outcomes if o.about.startswith("canvas:")]
        return [OutcomeAction(f"Start a follow-up from {len(about)} decision{'s' if len(about) != 1 else ''}",
                              url_for("public.home"), "Creates a follow-up.")] if about else []

    module = types.SimpleNamespace(designing_clusters_tool_info=designing_clusters_tool_info,
                                   designing_clusters_outcome_actions=designing_clusters_outcome_actions)
    plugin_host = host()
    plugin_host.register(module, "followup-test")
    yield
    plugin_host.pm.unregister(name="followup-test")
    plugin_host.tools.pop("followup", None)
    plugin_host.slug_by_plugin_name.pop("followup-test", None)


def test_outcomes_are_recorded_after_the_workshop_and_offered_to_the_tools(client, follow_up_tool):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    engagement = paid_workshop(cluster)
    add_brief_version(engagement, state="shared")
    login(client, _consultant(engagement))
    early = client.post(_console(engagement, "outcomes"), data={"decision-1": "Lead with matchmaking"})
    assert early.status_code == 400 and "after the workshop" in early.get_data(as_text=True)
    assert transition(engagement.id, "paid", "in_delivery", Actor.system("test"), "Delivery started")
    db.session.commit()
    bad_date = client.post(_console(engagement, "outcomes"), data={"key-1": "canvas:vp", "decision-1": "Lead",
                                                                    "due-1": "next spring"})
    assert bad_date.status_code == 400 and "2027-03-31" in bad_date.get_data(as_text=True)
    assert "next spring" in bad_date.get_data(as_text=True)  # what was typed is kept
    done = client.post(_console(engagement, "outcomes"), data={
        "agenda_version": 1, "key-1": "canvas:vp", "decision-1": "Lead with matchmaking", "owner-1": "Board",
        "due-1": "2027-03-31", "key-2": "innovativeness:D9", "decision-2": ""})
    assert done.status_code == 303
    client.post("/logout")

    login(client, manager_of(cluster))
    page = client.get(_cluster(engagement, "outcomes")).get_data(as_text=True)
    assert "Lead with matchmaking" in page and "31 Mar 2027" in page
    assert "Start a follow-up from 1 decision" in page and 'name="csrf_token"' in page
    assert "See what the workshop decided" in client.get(_cluster(engagement)).get_data(as_text=True)
