"""designing-clusters warns at start-up when a non-embedded deployment lacks a safety setting."""

from __future__ import annotations

import logging

SAFE = {
    "EMBEDDED_DEFAULT": False,
    "BASE_URL": "https://clusters.example.org",
    "TRUSTED_HOSTS": ["clusters.example.org"],
    "SESSION_COOKIE_SECURE": True,
    "MAIL_SERVER": "smtp.example.org",
}


def _warnings(make_app, caplog, **overrides) -> list[str]:  # type: ignore[no-untyped-def]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.deployment_checks"):
        make_app(**{**SAFE, **overrides})
    return [r.getMessage() for r in caplog.records if r.name == "core.deployment_checks"]


def test_a_safe_deployment_starts_without_warnings(make_app, caplog):
    assert _warnings(make_app, caplog) == []


def test_each_missing_setting_is_named(make_app, caplog):
    assert any("BASE_URL" in w for w in _warnings(make_app, caplog, BASE_URL="http://127.0.0.1:5000"))
    assert any("TRUSTED_HOSTS" in w for w in _warnings(make_app, caplog, TRUSTED_HOSTS=["localhost", "127.0.0.1"]))
    assert any("SESSION_COOKIE_SECURE" in w for w in _warnings(make_app, caplog, SESSION_COOKIE_SECURE=False))
    assert any("MAIL_SERVER" in w for w in _warnings(make_app, caplog, MAIL_SERVER=""))


def test_the_embedded_default_does_not_warn(make_app, caplog):
    everything_missing = {"BASE_URL": "http://127.0.0.1:5000", "TRUSTED_HOSTS": None, "SESSION_COOKIE_SECURE": False, "MAIL_SERVER": ""}
    assert _warnings(make_app, caplog, EMBEDDED_DEFAULT=True, **everything_missing) == []
