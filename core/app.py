"""The application factory: a list of small ``register_*`` steps.

It works without a database (so migrations can run before tables exist):
nothing here queries; runtime state such as enabled tools is read at request time
(cached per process, see ``core.plugins.state``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from core import data_version, database, errors, hygiene, page_cache, security  # noqa: F401 - database tunes SQLite connections, data_version counts writes
from core.cli import register_commands
from core.config import load_config
from core.deployment_checks import warn_about_unsafe_settings
from core.extensions import csrf, db, limiter, login_manager
from core.plugins.manager import PluginHost
from core.tasks import run_sends_deferred_to_request_end

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        "core",
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    register_logging(app)
    warn_about_unsafe_settings(app.config)
    register_extensions(app)
    hygiene.install(app)  # before any blueprint: routes' <int:...> use its id converter
    register_plugins(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_template_helpers(app)
    errors.register_error_handlers(app)
    register_cli(app)
    return app


def register_logging(app: Flask) -> None:
    security.install_request_id_logging(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are server-side rows instead
    from core.accounts.sessions import load_user_from_session_token

    login_manager.user_loader(load_user_from_session_token)


def register_plugins(app: Flask) -> None:
    host = PluginHost()
    for module, name in app.config.get("EXTRA_PLUGINS", ()):  # used by tests
        host.register(module, name)
    host.load_entry_points(only=app.config.get("PLUGINS"))
    app.extensions["plugin_host"] = host


def register_blueprints(app: Flask) -> None:
    from core.accounts.views import bp as accounts_bp
    from core.admin import jobs as _admin_jobs  # noqa: F401 - its routes join admin_bp
    from core.admin.views import bp as admin_bp
    from core.background import runs
    from core.email import job_source as mail_jobs
    from core.clusters.views import bp as clusters_bp
    from core.email.admin_views import bp as mail_admin_bp
    from core.email.jobs_views import bp as mail_jobs_bp
    from core.email.views import bp as outbox_bp
    from core.health import bp as health_bp
    from core.proposals.views import bp as proposals_bp
    from core.public.views import bp as public_bp

    for bp in (public_bp, accounts_bp, clusters_bp, admin_bp, proposals_bp, outbox_bp, health_bp, mail_admin_bp,
               mail_jobs_bp):
        app.register_blueprint(bp)
    runs.register(app)  # periodic job runs on the admin's jobs page
    mail_jobs.register(app)  # each mail and bulk sending, with Retry
    for _slug, bp in app.extensions["plugin_host"].blueprints():
        app.register_blueprint(bp)


def register_request_hooks(app: Flask) -> None:
    from core.clusters.access import load_cluster_for_request
    from core.plugins.state import refuse_disabled_plugin_routes

    app.before_request(security.assign_request_id)
    app.before_request(refuse_disabled_plugin_routes)
    app.before_request(load_cluster_for_request)
    app.after_request(security.set_security_headers)
    page_cache.install(app)  # its after_request runs before the one above: it stores the view's own headers
    app.teardown_request(run_sends_deferred_to_request_end)


def register_template_helpers(app: Flask) -> None:
    from core.templating import inject_layout_context, register_filters

    app.context_processor(inject_layout_context)
    register_filters(app)


def register_cli(app: Flask) -> None:
    register_commands(app)
    logging.getLogger("werkzeug").setLevel(logging.INFO)
