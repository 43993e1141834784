"""Health check, configuration, migrations, CLI and demo data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.accounts.models import User
from core.clusters.models import Cluster, Membership
from core.config import load_config
from core.extensions import db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "worker": "in-process", "worker_last_seen": None}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_migrated_schema_matches_the_models():
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert differences == []


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(str(tmp_path))["SECRET_KEY"]
    second = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_create_admin_command(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "--email", "Boss@Example.org", "--password", "a very long admin passphrase"])
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="boss@example.org").one()
    assert user.is_admin and user.is_verified


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "--email", "b@example.org", "--password", "short"])
    assert result.exit_code != 0 and "12 characters" in result.output


def test_demo_command_loads_a_cluster_with_varied_members_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    cluster = db.session.query(Cluster).one()
    types = {m.organisation_type for m in db.session.query(Membership).filter_by(cluster_id=cluster.id)}
    assert len(types) >= 8
    assert "already loaded" in runner.invoke(args=["demo"]).output
    assert db.session.query(Cluster).count() == 1


def test_demo_accounts_can_log_in(app, client):
    from core.demo import DEMO_PASSWORD
    from tests.support.demo_world import demo_world

    demo_world()  # the rows `demo` writes (the command itself is tested above)
    response = client.post("/login", data={"email": "manager@aero-valley.example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
