"""Factories for tests: build users, clusters and memberships in one line each."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

from flask.testing import FlaskClient

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import AccessGrant, Cluster, Membership
from core.extensions import db
from core.models import utcnow

DEFAULT_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    # argon2 is deliberately slow; tests reuse one hash per password.
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def create_user(
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    display_name: str = "",
    is_admin: bool = False,
    is_consultant: bool = False,
) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"user{n}@example.org").lower(),
        display_name=display_name or f"User {n}",
        password_hash=_hash(password),
        email_verified_at=utcnow() if verified else None,
        is_admin=is_admin,
        is_consultant=is_consultant,
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_cluster(
    manager: User | None = None,
    name: str | None = None,
    organisation_type: str = "intermediary",
) -> Cluster:
    """A cluster with one manager (created when not given)."""
    n = next(_counter)
    cluster = Cluster(name=name or f"Cluster {n}", country="France", region="Occitanie", sectors="Aerospace")
    db.session.add(cluster)
    db.session.flush()
    manager = manager or create_user()
    db.session.add(
        Membership(
            cluster_id=cluster.id,
            user_id=manager.id,
            role="manager",
            organisation_name=f"Cluster office {n}",
            organisation_type=organisation_type,
        )
    )
    db.session.commit()
    return cluster


def add_member(
    cluster: Cluster,
    user: User | None = None,
    role: str = "member",
    organisation_type: str = "sme",
    organisation_name: str | None = None,
) -> Membership:
    user = user or create_user()
    membership = Membership(
        cluster_id=cluster.id,
        user_id=user.id,
        role=role,
        organisation_type=organisation_type,
        organisation_name=organisation_name or f"Org of {user.email}",
    )
    db.session.add(membership)
    db.session.commit()
    return membership


def manager_of(cluster: Cluster) -> User:
    membership = db.session.query(Membership).filter_by(cluster_id=cluster.id, role="manager").first()
    assert membership is not None
    return membership.user


def login(client: FlaskClient, user: User, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through the real login form (CSRF is off in the test app)."""
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code in (302, 303), f"login failed: {response.status_code}"


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def grant_access(
    cluster: Cluster, user: User, expires_at: datetime | None = None, source: str | None = None, reason: str = "Tests"
) -> AccessGrant:
    """Read-only access to ``cluster`` for a non-member, as a feature (an engagement) grants it."""
    from core.clusters.grants import grant_cluster_access

    source = source or f"tests:{next(_counter)}"
    grant_cluster_access(cluster.id, user.id, source, reason, expires_at)
    db.session.commit()
    return db.session.query(AccessGrant).filter_by(source=source, user_id=user.id).order_by(AccessGrant.id.desc()).first()
