"""Shared fixtures: one migrated database per run, cleaned after each test.

The database is SQLite unless ``TEST_DATABASE_URL`` points elsewhere (``make
test`` runs the suite a second time against PostgreSQL). Mail goes to a real
SMTP server on loopback (aiosmtpd); ``mail`` lists what it received.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest
from flask import Flask

from core import migrations
from core.app import create_app
from core.extensions import db
from core.testing import FreshRequestClient, delete_all_rows, drop_everything
from tests.support.plugins import install_sample_plugin
from tests.support.smtp import MailCatcher
from workers.celery_app import celery_init_app

install_sample_plugin()
# The sample plugin's own tests run as its author runs them, with only the platform's
# pytest plugin (tests/core/test_plugin_authoring.py starts them in a subprocess).
collect_ignore = ["sample_plugin"]


@pytest.fixture(scope="session")
def mail_catcher() -> Iterator[MailCatcher]:
    catcher = MailCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app_config(database_url: str, mail_catcher: MailCatcher, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mail_catcher.port,
        "BASE_URL": "http://localhost",
        "STORAGE_DIR": str(tmp_path_factory.mktemp("files")),
        "CELERY_TASK_ALWAYS_EAGER": True,
    }


@pytest.fixture(scope="session")
def app(app_config: dict) -> Flask:
    app = create_app(app_config)
    app.test_client_class = FreshRequestClient
    celery_init_app(app)  # eager tasks (report jobs) run through the worker's task definitions
    with app.app_context():
        drop_everything()
        migrations.upgrade(app)
    return app


@pytest.fixture(autouse=True)
def app_ctx(app: Flask) -> Iterator[None]:
    """Each test runs inside an app context and leaves an empty database."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        delete_all_rows()


@pytest.fixture()
def client(app: Flask):
    return app.test_client()


@pytest.fixture()
def mail(mail_catcher: MailCatcher) -> Iterator[MailCatcher]:
    mail_catcher.clear()
    yield mail_catcher


@pytest.fixture()
def make_app(app_config: dict):
    """Build another app on the same database with different settings."""

    def build(**overrides) -> Flask:
        built = create_app({**app_config, **overrides})
        built.test_client_class = FreshRequestClient
        celery_init_app(built)
        return built

    return build
