"""The pytest plugin plugin authors test with; pytest loads it by itself.

Installed with the platform under the ``pytest11`` entry point (as
pytest-flask is), so a plugin package's tests need no conftest copied from
core. Fixtures (see docs/plugins.md, "Testing your plugin"):

``app``
    The platform on a migrated temporary database (SQLite, or
    ``TEST_DATABASE_URL``) with every installed plugin loaded — yours
    included — inside an app context; rows are deleted after each test.
``client``
    A test client of that app (CSRF off unless ``dc_app_config`` turns it on).
``make_user`` / ``make_cluster``
    Factories: ``make_user(email=None, admin=False, consultant=False)``,
    ``make_cluster(name=None, members=3)``.
``cluster``
    A cluster with a manager and three members of different organisation types.
``login`` / ``logout``
    ``login(client, user)`` signs in through the real login form.
``call_hook``
    ``call_hook(hook_name, plugin=None, **kwargs)``: every enabled plugin's
    (or one plugin's) results, checked against the hook's declared type,
    inside a request context so ``url_for`` works.

Override ``dc_plugins`` (entry-point names to load, default all installed)
or ``dc_app_config`` (extra settings) in your own conftest.py.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from core import migrations
from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.app import create_app
from core.clusters.models import Cluster, Membership
from core.data_version import DataVersion
from core.extensions import db
from core.models import utcnow
from core.plugins.types import ClusterContext

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only
_ORGANISATION_TYPES = ("sme", "university", "research_institute", "large_firm", "public_authority", "startup")


@dataclass(frozen=True)
class TestUser:
    """A user the fixtures created; log in with ``email`` and ``password``."""

    __test__ = False  # not a test class, despite its name

    id: int
    email: str
    password: str = TEST_PASSWORD


@dataclass(frozen=True)
class TestCluster:
    """A cluster the fixtures created, with its manager and members."""

    __test__ = False

    id: int
    name: str
    manager: TestUser
    members: tuple[TestUser, ...]

    def context(self, user: TestUser | None = None) -> ClusterContext:
        """What hooks receive as ``cluster`` when ``user`` (default: the manager) views it."""
        viewer = user or self.manager
        membership = db.session.query(Membership).filter_by(cluster_id=self.id, user_id=viewer.id).one()
        role: Literal["manager", "member"] = "manager" if membership.role == "manager" else "member"
        return ClusterContext(self.id, self.name, viewer.id, role, membership.organisation_type, membership.id)


class FreshRequestClient(FlaskClient):
    """Test client whose requests do not see the previous request's ``g``.

    Tests hold an app context (for factories); Flask then reuses it for each
    request, so ``g`` (the logged-in user, the current cluster) would leak from
    one request into the next. In production every request has its own.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        ctx = _cv_app.get(None)
        if ctx is not None and ctx.app is self.application:
            ctx.g.__dict__.clear()
        return super().open(*args, **kwargs)


def forget_cached_state() -> None:
    """Empty this process's caches of database state (stored pages, per-version memos):
    after the database is emptied, versions and ids start again from the beginning."""
    from flask import current_app

    from core import data_version, page_cache

    data_version.forget_memos()
    page_cache.clear(current_app)


def drop_everything() -> None:
    """Start from an empty database (a PostgreSQL test database persists between runs)."""
    forget_cached_state()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).all():
                conn.execute(text(f'DROP TABLE IF EXISTS "{row[0]}"'))


def delete_all_rows(attempts: int = 5) -> None:
    """Empty every table the models know, keeping the schema (fast between tests).

    On PostgreSQL a test's last background write (a worker's task, a live server's
    thread) may still be committing: TRUNCATE then waits for it. The data-version row
    is every writing transaction's last lock, so it is listed last — TRUNCATE takes its
    locks in list order and never holds that row while waiting for a writer that needs
    it. Any other lock-order deadlock is retried, up to ``attempts`` times in all.

    Raises ``sqlalchemy.exc.OperationalError`` when the last attempt still fails.
    """
    forget_cached_state()
    existing = set(inspect(db.engine).get_table_names())
    last = DataVersion.__tablename__
    tables = [t.name for t in db.metadata.sorted_tables if t.name in existing and t.name != last]
    if db.engine.dialect.name != "postgresql":
        with db.engine.begin() as conn:
            for name in [*reversed(tables), *([last] if last in existing else [])]:
                conn.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - a model's table name
        return
    names = ", ".join(f'"{t}"' for t in [*tables, *([last] if last in existing else [])])  # models' names
    for attempt in range(1, attempts + 1):
        try:
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != "40P01" or attempt == attempts:  # 40P01: deadlock
                raise
            time.sleep(0.2 * attempt)


@pytest.fixture(scope="session")
def dc_plugins() -> list[str] | None:
    """Entry-point names of the plugins to load; None loads every installed one."""
    return None


@pytest.fixture(scope="session")
def dc_app_config() -> dict[str, Any]:
    """Extra settings for the test app (e.g. ``{"WTF_CSRF_ENABLED": True}``)."""
    return {}


@pytest.fixture(scope="session")
def dc_app(tmp_path_factory: pytest.TempPathFactory, dc_plugins: list[str] | None,
           dc_app_config: dict[str, Any]) -> Flask:
    """The platform with the plugins loaded, on a freshly migrated database."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://localhost",
        "STORAGE_DIR": str(tmp_path_factory.mktemp("files")),
        "CELERY_TASK_ALWAYS_EAGER": True,
        **({"PLUGINS": dc_plugins} if dc_plugins is not None else {}),
        **dc_app_config,
    }
    app = create_app(config)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        drop_everything()
        migrations.upgrade(app)
    return app


@pytest.fixture()
def app(dc_app: Flask) -> Iterator[Flask]:
    """The test app inside an app context; the database is emptied afterwards."""
    with dc_app.app_context():
        yield dc_app
        db.session.rollback()
        db.session.remove()
        delete_all_rows()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_numbers = itertools.count(1)


@functools.cache
def _test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)  # argon2 is slow on purpose: hash once per run


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., TestUser]:
    def build(email: str | None = None, admin: bool = False, consultant: bool = False) -> TestUser:
        n = next(_numbers)
        user = User(email=(email or f"user{n}@example.org").lower(), display_name=f"User {n}",
                    password_hash=_test_password_hash(), email_verified_at=utcnow(), is_admin=admin, is_consultant=consultant)
        db.session.add(user)
        db.session.commit()
        return TestUser(user.id, user.email)

    return build


@pytest.fixture()
def make_cluster(app: Flask, make_user: Callable[..., TestUser]) -> Callable[..., TestCluster]:
    def build(name: str | None = None, members: int = 3) -> TestCluster:
        n = next(_numbers)
        cluster = Cluster(name=name or f"Cluster {n}", country="France", region="Occitanie", sectors="Aerospace")
        db.session.add(cluster)
        db.session.flush()
        manager = make_user()
        db.session.add(Membership(cluster_id=cluster.id, user_id=manager.id, role="manager",
                                  organisation_type="intermediary", organisation_name="Cluster office"))
        people = []
        for index in range(members):
            person = make_user()
            kind = _ORGANISATION_TYPES[index % len(_ORGANISATION_TYPES)]
            db.session.add(Membership(cluster_id=cluster.id, user_id=person.id, role="member",
                                      organisation_type=kind, organisation_name=f"Member organisation {index + 1}"))
            people.append(person)
        db.session.commit()
        return TestCluster(cluster.id, cluster.name, manager, tuple(people))

    return build


@pytest.fixture()
def cluster(make_cluster: Callable[..., TestCluster]) -> TestCluster:
    return make_cluster()


@pytest.fixture()
def login() -> Callable[[FlaskClient, TestUser], None]:
    def sign_in(client: FlaskClient, user: TestUser) -> None:
        response = client.post("/login", data={"email": user.email, "password": user.password})
        if response.status_code not in (302, 303):
            pytest.fail(f"login of {user.email} failed: {response.status_code}")

    return sign_in


@pytest.fixture()
def logout() -> Callable[[FlaskClient], None]:
    def sign_out(client: FlaskClient) -> None:
        client.post("/logout")

    return sign_out


@pytest.fixture()
def call_hook(app: Flask) -> Callable[..., list[Any]]:
    host = app.extensions["plugin_host"]

    def call(hook_name: str, plugin: str | None = None, **kwargs: Any) -> list[Any]:
        results: list[Any] = []
        with app.test_request_context(base_url=app.config["BASE_URL"]):
            for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
                if plugin is None or host.plugin_slug(impl.plugin_name) == plugin:
                    results.extend(host.call_impl(impl, hook_name, **kwargs))
        return sorted(results, key=lambda item: getattr(item, "order", 100))

    return call
