"""``core.api`` hands plugins frozen values, never database rows."""

from __future__ import annotations

import dataclasses
import inspect
import typing

import pytest
from flask_login import login_user

import core.api
from core.clusters.access import load_cluster_for_request
from core.extensions import db
from tests.factories import add_member, create_cluster, create_user


def _mentions_a_model(annotation: typing.Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, db.Model):
        return True
    return any(_mentions_a_model(arg) for arg in typing.get_args(annotation))


def test_every_exported_dataclass_is_frozen():
    exported = [getattr(core.api, name) for name in core.api.__all__]
    classes = [value for value in exported if dataclasses.is_dataclass(value) and isinstance(value, type)]
    assert len(classes) >= 12
    assert [c.__name__ for c in classes if not c.__dataclass_params__.frozen] == []


def test_no_exported_function_returns_a_database_row():
    offenders = []
    for name in core.api.__all__:
        value = getattr(core.api, name)
        if inspect.isfunction(value):
            hints = typing.get_type_hints(value, globalns=vars(inspect.getmodule(value)))
            if _mentions_a_model(hints.get("return")):
                offenders.append(name)
    assert offenders == []


def test_current_member_is_the_viewers_frozen_membership(app):
    user = create_user(email="viewer@example.org")
    cluster = create_cluster(name="Frozen valley")
    membership = add_member(cluster, user, organisation_type="university", organisation_name="Valley University")
    with app.test_request_context(f"/clusters/{cluster.id}/members"):
        login_user(user)
        load_cluster_for_request()
        member = core.api.current_member()
    assert member == core.api.MemberInfo(membership.id, user.id, "viewer@example.org", user.display_name, "member",
                                         "Valley University", "university")
    with pytest.raises(dataclasses.FrozenInstanceError):
        member.role = "manager"  # type: ignore[misc]


def test_the_raw_row_accessor_still_works_but_warns(app):
    user = create_user()
    cluster = create_cluster(manager=user)
    with app.test_request_context(f"/clusters/{cluster.id}"):
        login_user(user)
        load_cluster_for_request()
        with pytest.warns(DeprecationWarning, match="use core.api.current_member"):
            row = core.api.current_membership()
    assert row.cluster_id == cluster.id
