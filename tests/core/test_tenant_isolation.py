"""Nobody sees or changes another cluster's data: every cluster URL answers 404.

The walk covers every registered route that takes ``cluster_id`` — core's and
every loaded plugin's — so a new tool is covered without editing this test.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from tests.factories import add_member, create_cluster, create_user, login


def cluster_rules(app) -> list[Rule]:  # type: ignore[no-untyped-def]
    return [rule for rule in app.url_map.iter_rules() if "cluster_id" in rule.arguments]


def build_url(rule: Rule, cluster_id: int) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        kind = type(converter).__name__ if converter else "UnicodeConverter"
        if name == "cluster_id":
            values[name] = cluster_id
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
