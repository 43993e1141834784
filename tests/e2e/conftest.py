"""Browser tests: Playwright drives Debian's Chromium against a live server.

The live server is a second app on the same test database with CSRF switched
on, as in production. Mail reaches the loopback SMTP server (``mail`` fixture).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support.patience import patient_ms

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def watch_csp(page):  # type: ignore[no-untyped-def]
    """Collect Content-Security-Policy violations the browser reports."""
    page.csp_violations = []
    page.on("console", lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


@pytest.fixture(scope="session")
def live_app(app: Flask, app_config: dict) -> Flask:
    from core.app import create_app

    from workers.celery_app import celery_init_app

    # `app` already migrated the database; this one serves it with CSRF on. Mail and jobs are
    # tasks: with the suite's eager setting they run inline through this app's Celery.
    served = create_app({**app_config, "WTF_CSRF_ENABLED": True, "BASE_URL": "http://127.0.0.1"})
    celery_init_app(served)
    return served


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, accept_downloads=True)
    context.set_default_timeout(patient_ms(15_000))
    page = watch_csp(context.new_page())
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture()
def new_page(browser, live_server: str) -> Iterator[object]:
    """A factory for extra, separate browser sessions (a second user)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server, accept_downloads=True)
        context.set_default_timeout(patient_ms(15_000))
        contexts.append(context)
        return watch_csp(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def seller(app_ctx):  # type: ignore[no-untyped-def]
    """Complete seller details, so journeys can book by invoice (as in tests/engagements)."""
    from tests.engagements.factories import complete_seller

    return complete_seller()
