"""Configuration from environment variables, with an embedded default.

Every setting has a default that needs nothing installed: SQLite under the
instance folder, mail kept in an outbox, rate limits in memory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

from dotenv import load_dotenv

TRUE = {"1", "true", "yes", "on"}


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, or one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]


def trusted_hosts(base_url: str) -> list[str]:
    """Host names requests may carry: ``TRUSTED_HOSTS`` (comma-separated), else
    ``BASE_URL``'s host and loopback. Werkzeug refuses other ``Host`` headers
    with 400; an entry starting with a dot also admits its subdomains."""
    listed = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if listed:
        return listed
    base_host = urlsplit(base_url).hostname
    return ([base_host] if base_host else []) + LOOPBACK_HOSTS


def load_config(instance_path: str) -> dict[str, Any]:
    load_dotenv(override=False)
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'designing_clusters.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    secure = _flag("SESSION_COOKIE_SECURE", False)
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A ping per checkout guards against dropped server connections; SQLite has none.
        "SQLALCHEMY_ENGINE_OPTIONS": {} if database_url.startswith("sqlite") else {"pool_pre_ping": True},
        # The embedded default: no DATABASE_URL, a local try-out of `make run`.
        "EMBEDDED_DEFAULT": not os.environ.get("DATABASE_URL"),
        "BASE_URL": base_url,
        "TRUSTED_HOSTS": trusted_hosts(base_url),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Designing Clusters <noreply@designing-clusters.local>"),
        # Mail delivery by the worker: attempts per mail, and the first wait between two
        # attempts (seconds; doubled after each failure, capped at MAIL_RETRY_MAX_SECONDS).
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_RETRY_BASE_SECONDS": float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "30")),
        "MAIL_RETRY_MAX_SECONDS": float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600")),
        "MAIL_SMTP_TIMEOUT_SECONDS": float(os.environ.get("MAIL_SMTP_TIMEOUT_SECONDS", "10")),
        # The outbox holds reset and invitation links: open to everyone only in the
        # embedded default (no DATABASE_URL, a local try-out); otherwise admins only.
        "OUTBOX_OPEN_TO_ALL": _flag("OUTBOX_OPEN_TO_ALL", not os.environ.get("DATABASE_URL")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(5 * 1024 * 1024))),
        "MAX_FORM_MEMORY_SIZE": 500 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_ENABLED": _flag("WTF_CSRF_ENABLED", True),
        "WTF_CSRF_TIME_LIMIT": None,
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{instance / 'broker.db'}"),
        "CELERY_RESULT_BACKEND": os.environ.get("CELERY_RESULT_BACKEND", f"db+sqlite:///{instance / 'celery-results.db'}"),
        "CELERY_TASK_ALWAYS_EAGER": _flag("CELERY_TASK_ALWAYS_EAGER", False),
        # The queue tasks are sent to and the worker consumes (separate deployments sharing a broker).
        "CELERY_TASK_DEFAULT_QUEUE": os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery"),
        # Reports and briefs (drafting, PDFs) on their own queue, for a worker of their own: "" keeps
        # them on the default queue (the embedded default's single worker).
        "CELERY_DOCUMENTS_QUEUE": os.environ.get("CELERY_DOCUMENTS_QUEUE", ""),
        # Report jobs (seconds): a running job with no progress for LEASE is presumed lost and
        # may be claimed again; a queued job not started within STUCK is re-sent by the reaper.
        "REPORT_JOB_LEASE_SECONDS": int(os.environ.get("REPORT_JOB_LEASE_SECONDS", "120")),
        "REPORT_JOB_STUCK_SECONDS": int(os.environ.get("REPORT_JOB_STUCK_SECONDS", "600")),
        "REPORT_JOB_MAX_ATTEMPTS": int(os.environ.get("REPORT_JOB_MAX_ATTEMPTS", "3")),
        "REPORT_JOB_RETRY_BASE_SECONDS": int(os.environ.get("REPORT_JOB_RETRY_BASE_SECONDS", "5")),
        # Stripe events fulfilled by the worker (engagements.billing.fulfilment)
        "WEBHOOK_MAX_ATTEMPTS": int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "5")),
        "WEBHOOK_RETRY_BASE_SECONDS": float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "5")),
        "WEBHOOK_SWEEP_AFTER_SECONDS": float(os.environ.get("WEBHOOK_SWEEP_AFTER_SECONDS", "10")),
        "STORAGE_DIR": os.environ.get("STORAGE_DIR", str(instance / "files")),
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "PLUGINS": [p for p in os.environ.get("PLUGINS", "").split(",") if p] or None,
        # Server-side session lifetimes (seconds): ended after this long without a
        # request, and this long after login whatever the activity (OWASP session guidance).
        # Rendered pages kept per process (core.page_cache); 0 bytes turns it off.
        "PAGE_CACHE_BYTES": int(os.environ.get("PAGE_CACHE_BYTES", str(32 * 1024 * 1024))),
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "10")),
        "SESSION_IDLE_SECONDS": int(os.environ.get("SESSION_IDLE_SECONDS", str(12 * 3600))),
        "SESSION_MAX_SECONDS": int(os.environ.get("SESSION_MAX_SECONDS", str(14 * 24 * 3600))),
        "TOKEN_MAX_AGE_SECONDS": int(os.environ.get("TOKEN_MAX_AGE_SECONDS", str(3 * 24 * 3600))),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
