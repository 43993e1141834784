"""Property: no request, however malformed, gets a 5xx — on every registered route.

The routes come from ``app.url_map`` at collection time, so core's, every
plugin's and any route added later are swept without editing this file. For
each blueprint a fresh demo world is loaded (for real once, then restored from its
rows: tests/support/demo_world.py); the demo manager is also made an admin and a
consultant, so admin, console and cluster pages are reachable; then for
each of its routes hypothesis sends malformed query strings, form bodies and
JSON bodies (NUL and other control characters, line breaks, huge and non-ASCII
numbers, impossible dates, very long text), with and without ``HX-Request``.

``SWEEP_EXAMPLES`` (default 6) sets how many bodies each write route gets;
read routes get a third of that.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from core.accounts.models import User
from core.app import create_app
from core.clusters.models import Cluster
from core.demo import DEMO_CLUSTER_NAME, DEMO_PASSWORD
from core.extensions import db
from tests.support.demo_world import demo_world

EXAMPLES = int(os.environ.get("SWEEP_EXAMPLES", "6"))
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that end the sweep's own session; they are covered by their own tests.
SKIPPED = {"accounts.logout", "accounts.delete_account", "static"}
MANAGER = "manager@aero-valley.example.org"

NASTY = [
    "", " ", "\x00", "a\x00b", "\x07\x1b[31m", "\x85", "line\r\nbreak", "\n", "１", "٣٤", "0", "-1", "1.5",
    "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "9" * 40, "1e309", "nan", "inf",
    "2026-02-30", "9999-12-31", "0001-01-01", "31/12/2026", "25:61", "<script>alert(1)</script>", "' OR 1=1 --",
    "invoice\u202efdp.txt", "x" * 3000, "true", "on", "y", "null", "[]", "{}", "%00", "../../etc/passwd",
]
GENERIC_FIELDS = ["id", "page", "q", "version", "email", "name", "title", "text", "message", "role", "state",
                  "status", "amount", "next", "action", "confirm", "activity_id", "actor_type", "membership_id"]


def _rules_for_sweep() -> dict[str, list[tuple[str, str]]]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collection-only"})
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in SKIPPED:
            groups[rule.endpoint.split(".")[0]].append((rule.endpoint, rule.rule))
    return dict(sorted(groups.items()))


GROUPS = _rules_for_sweep()

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
form_value = st.one_of(values, st.lists(values, min_size=2, max_size=3))
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), values),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(values, inner, max_size=3)),
    max_leaves=8,
)


def _field_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea|button)[^>]*\bname="([^"]+)"', html))


def _path_for(rule: Rule, cluster_id: int, draw_int: int, draw_text: str) -> str:
    path_values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if name == "cluster_id":
            path_values[name] = cluster_id
        elif isinstance(converter, NumberConverter):
            path_values[name] = draw_int
        else:
            path_values[name] = draw_text
    return rule.build(path_values, append_unknown=False)[1]


def _world(client) -> int:  # type: ignore[no-untyped-def]
    demo_world()
    manager = db.session.execute(select(User).where(User.email == MANAGER)).scalar_one()
    manager.is_admin = manager.is_consultant = True
    db.session.commit()
    response = client.post("/login", data={"email": MANAGER, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return db.session.execute(select(Cluster.id).where(Cluster.name == DEMO_CLUSTER_NAME)).scalar_one()


_FIELDS: set[str] = set()


def _discovered_fields(app: Flask, client, cluster_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    """Field names of every form the demo world shows (write routes are often posted from another page).

    Crawled once per run: the demo world's forms are the same for every group.
    """
    if _FIELDS:
        return _FIELDS
    names = set(GENERIC_FIELDS)
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in SKIPPED and "export" not in rule.endpoint:
            response = client.get(_path_for(rule, cluster_id, 1, "x"))
            if response.mimetype == "text/html":
                names |= _field_names(response.get_data(as_text=True))
    _FIELDS.update(names)
    return _FIELDS


def _send(client, method: str, path: str, query: dict, body: Any, as_json: bool, htmx: bool):  # type: ignore[no-untyped-def]
    headers = {"HX-Request": "true"} if htmx else {}
    kwargs: dict[str, Any] = {"query_string": query, "headers": headers}
    if method in WRITE_METHODS:
        if as_json:
            kwargs["data"], kwargs["content_type"] = json.dumps(body), "application/json"
        else:
            kwargs["data"] = body
    return client.open(path, method=method, **kwargs)


@pytest.mark.parametrize("blueprint", list(GROUPS))
def test_no_malformed_request_gets_a_5xx(app, client, blueprint):  # type: ignore[no-untyped-def]
    cluster_id = _world(client)
    fields = sorted(_discovered_fields(app, client, cluster_id))
    rules = {(r.endpoint, r.rule): r for r in app.url_map.iter_rules()}
    assert GROUPS[blueprint], "every blueprint has routes"
    for key in GROUPS[blueprint]:
        rule = rules[key]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        writes = bool(set(methods) & WRITE_METHODS)
        keys = st.one_of(st.sampled_from(fields), st.text(max_size=12))

        @settings(
            max_examples=EXAMPLES if writes else max(2, EXAMPLES // 3),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            method=st.sampled_from(methods),
            ident=st.one_of(st.integers(min_value=0, max_value=6), st.just(2**31 - 1)),
            # path values of string routes: words, ids too large for any column, other scripts' digits
            text=st.one_of(st.sampled_from(["x", "workshop", "submit", "publish", "9" * 25, "１", "-1"]),
                           st.text(min_size=1, max_size=20)),
            query=st.dictionaries(keys, values, max_size=4),
            form=st.dictionaries(keys, form_value, max_size=8),
            as_json=st.booleans(),
            document=json_value,
            htmx=st.booleans(),
        )
        def no_5xx(method, ident, text, query, form, as_json, document, htmx):  # type: ignore[no-untyped-def]
            path = _path_for(rule, cluster_id, ident, text)  # noqa: B023 - run at once, inside this iteration
            body = (document if isinstance(document, (dict, list)) else form) if as_json else form
            try:
                response = _send(client, method, path, query, body, as_json, htmx)
            except Exception as exc:  # the test app propagates what production turns into a 500
                db.session.rollback()
                raise AssertionError(f"{method} {path} query={query!r} body={body!r} raised {exc!r}") from exc
            assert response.status_code < 500, f"{method} {path} query={query!r} body={body!r} -> {response.status_code}"

        no_5xx()
