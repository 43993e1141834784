"""Nobody sees or changes another cluster's data: every cluster URL answers 404.

The walk covers every registered route that takes ``cluster_id`` — core's and
every loaded plugin's — so a new tool is covered without editing this test.
A consultant holding a live access grant reads (GET) but every other method
answers 403; once the grant expires or a manager ends it, 404 as for anyone.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from core.clusters.models import AccessGrant
from core.extensions import db
from core.models import utcnow
from tests.factories import add_member, create_cluster, create_user, grant_access, login, manager_of


def cluster_rules(app) -> list[Rule]:  # type: ignore[no-untyped-def]
    return [rule for rule in app.url_map.iter_rules() if "cluster_id" in rule.arguments]


def build_url(rule: Rule, cluster_id: int, known: dict[str, int] | None = None) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        kind = type(converter).__name__ if converter else "UnicodeConverter"
        if name == "cluster_id":
            values[name] = cluster_id
        elif known and name in known:
            values[name] = known[name]
        elif isinstance(converter, NumberConverter):
            values[name] = 1
        elif kind == "UUIDConverter":
            values[name] = "00000000-0000-0000-0000-000000000001"
        else:
            values[name] = "x"
    return rule.build(values)[1]


def test_there_are_cluster_routes_to_walk(app):
    endpoints = {rule.endpoint for rule in cluster_rules(app)}
    assert {"clusters.dashboard", "clusters.members", "sample.cluster_page"} <= endpoints


def test_every_cluster_route_answers_404_to_a_member_of_another_cluster(app, client):
    victim = create_cluster(name="Victim")
    add_member(victim)
    outsider = create_user()
    create_cluster(manager=outsider, name="Outsider's own")
    login(client, outsider)
    failures = []
    for rule in cluster_rules(app):
        url = build_url(rule, victim.id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            if response.status_code != 404:
                failures.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("path", ["/clusters/999999", "/clusters/999999/members"])
def test_missing_cluster_looks_the_same_as_a_forbidden_one(client, path):
    login(client, create_user())
    assert client.get(path).status_code == 404


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: What a consultant's GET may answer: the page, a redirect, "not for you" or "no such object".
READ_ANSWERS = {200, 302, 303, 403, 404}
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
HX_POST = re.compile(r"\bhx-(?:post|put|patch|delete)=\"([^\"]*)\"", re.IGNORECASE)


def _seed_tools(cluster) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Real objects in every tool, so the walk opens real pages rather than 404s."""
    from plugins.canvas.models import Snapshot
    from tests.plugins.canvas.helpers import new_canvas, note_by
    from tests.plugins.innovativeness.helpers import seed_round

    member = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster)
    note = note_by(canvas, member, "Shared test bench for drones")
    rnd = seed_round(cluster, [("sme", 2), ("sme", 4), ("university", 5)], anonymous=True, close=True)
    snapshot = db.session.query(Snapshot).filter_by(canvas_id=canvas.id).first()
    return {"canvas_id": canvas.id, "note_id": note.id, "round_id": rnd.id, "number": 1,
            "snapshot_id": snapshot.id, "membership_id": member.id}


def _write_actions_offered(html: str, cluster_id: int) -> list[str]:
    """Forms and htmx calls on the page that would change the cluster's data."""
    prefix = f"/clusters/{cluster_id}"
    found = []
    for tag in POST_FORM.findall(html):
        action = re.search(r"\baction=\"([^\"]*)\"", tag)
        if action is None or prefix in action.group(1):
            found.append(tag)
    found += [url for url in HX_POST.findall(html) if prefix in url]
    return found


def _walk(client, app, cluster_id: int, known: dict[str, int]) -> list[tuple[str, str, str, int, str]]:  # type: ignore[no-untyped-def]
    """(method, url, endpoint, status, body) for every method of every cluster route."""
    answers = []
    for rule in cluster_rules(app):
        url = build_url(rule, cluster_id, known)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            answers.append((method, url, rule.endpoint, response.status_code, body))
    return answers


def test_a_consultant_with_a_live_grant_reads_every_tool_but_every_write_answers_403(app, client):
    victim = create_cluster(name="Victim")
    known = _seed_tools(victim)
    consultant = create_user(is_consultant=True)
    known["grant_id"] = grant_access(victim, consultant, utcnow() + timedelta(days=3)).id
    login(client, consultant)
    failures, readable = [], set()
    for method, url, endpoint, status, body in _walk(client, app, victim.id, known):
        if method in WRITE_METHODS and status != 403:
            failures.append(f"{method} {url} ({endpoint}) -> {status}, expected 403")
        elif method == "GET" and status not in READ_ANSWERS:
            failures.append(f"GET {url} ({endpoint}) -> {status}")
        elif method == "GET" and status == 200:
            readable.add(endpoint)
            offered = _write_actions_offered(body, victim.id)
            if offered:
                failures.append(f"GET {url} ({endpoint}) offers write actions: {offered[:2]}")
    assert failures == []
    # What a manager reads of aggregates, the consultant reads too.
    assert {
        "clusters.dashboard", "sample.cluster_page",
        "canvas.index", "canvas.board", "canvas.alignment", "canvas.roles", "canvas.history", "canvas.snapshot",
        "canvas.export_pdf", "canvas.export_json", "canvas.export_notes_csv",
        "innovativeness.index", "innovativeness.round_detail", "innovativeness.round_results_page",
        "innovativeness.results_pdf", "innovativeness.results_json",
    } <= readable
    # Never as a respondent, never one person's answers, never the members' own pages.
    assert not readable & {
        "innovativeness.answer", "innovativeness.answer_page", "innovativeness.answers_csv",
        "innovativeness.saved_result", "clusters.members", "clusters.my_membership", "clusters.settings",
        "clusters.end_access", "canvas.consolidate", "canvas.export_votes_csv", "engagements.index",
    }


@pytest.mark.parametrize("how", ["expired", "ended by a manager"])
def test_a_consultant_whose_grant_is_over_gets_404_everywhere(app, client, how):
    victim = create_cluster(name="Victim")
    known = _seed_tools(victim)
    consultant = create_user(is_consultant=True)
    grant = grant_access(victim, consultant, utcnow() + timedelta(days=3))
    known["grant_id"] = grant.id
    login(client, consultant)
    assert client.get(f"/clusters/{victim.id}").status_code == 200
    if how == "expired":
        db.session.get(AccessGrant, grant.id).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    else:
        client.post("/logout")
        login(client, manager_of(victim))
        assert client.post(f"/clusters/{victim.id}/access/{grant.id}/end", data={}).status_code == 302
        client.post("/logout")
        login(client, consultant)
    failures = [
        f"{method} {url} ({endpoint}) -> {status}"
        for method, url, endpoint, status, _ in _walk(client, app, victim.id, known)
        if status != 404
    ]
    assert failures == []
