"""Tokens never reach the logs: access-log lines and our own lines have them redacted."""

from __future__ import annotations

import logging
import re
import threading

import requests
from werkzeug.serving import make_server

from core.log_redaction import redact
from tests.engagements.support import free_port
from tests.factories import create_user


def test_signed_tokens_and_secret_query_values_are_redacted_but_ordinary_paths_kept():
    token = "eyJ1aWQiOjEsInBoIjoiYWJjZGVmMDEyMzQ1Njc4OSJ9.awwtgw.dfdBYcRQslyXveejRLllbnP2W0g"
    assert redact(f'"GET /password/reset/{token} HTTP/1.1" 200 -') == '"GET /password/reset/[redacted] HTTP/1.1" 200 -'
    assert redact(f"/invitations/{token}?next=/x") == "/invitations/[redacted]?next=/x"
    assert redact("/login?token=abc&x=1") == "/login?token=[redacted]&x=1"
    for kept in ("/clusters/12/canvas/3/canvas.json", "/static/css/app.css", "/clusters/1/engagements/2/invoice.pdf"):
        assert redact(kept) == kept


def test_the_access_log_of_a_real_server_holds_no_reset_token(app, mail, caplog):
    user = create_user()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        requests.post(f"http://localhost:{port}/password/forgot", data={"email": user.email}, timeout=10)
        link = re.search(r"http://localhost(/password/reset/\S+)", mail.text_of(mail.wait_for(user.email)[0])).group(1)
        token = link.rsplit("/", 1)[1]
        assert requests.get(f"http://localhost:{port}{link}", timeout=10).status_code == 200
    finally:
        server.shutdown()
        thread.join(timeout=5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/password/reset/[redacted]" in line for line in lines)
    assert not any(token in line for line in lines)
