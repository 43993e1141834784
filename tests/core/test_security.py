"""Security defaults: headers, CSRF, size limits, error pages, request ids."""

from __future__ import annotations

from tests.factories import create_cluster, create_user, csrf_token_from, login


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Request-ID"]


def test_no_inline_script_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = create_user()
    login(client, user)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_secure_cookie_when_configured(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    user = create_user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert "Secure" in response.headers["Set-Cookie"]


def test_forms_without_csrf_token_are_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token})
    assert response.status_code == 302


def test_oversized_request_body_is_refused_with_413(client):
    response = client.post("/collaborate", data={"message": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


def test_unknown_page_gets_the_styled_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Designing Clusters" in response.get_data(as_text=True)


def test_member_reaching_a_manager_page_gets_403(client):
    from tests.factories import add_member

    cluster = create_cluster()
    member = add_member(cluster)
    login(client, member.user)
    response = client.get(f"/clusters/{cluster.id}/settings")
    assert response.status_code == 403 and "Not allowed" in response.get_data(as_text=True)


def test_unexpected_error_gets_the_styled_500_and_is_logged(make_app, caplog):
    app = make_app()

    @app.get("/explode")
    def explode():  # type: ignore[no-untyped-def]
        raise RuntimeError("kaboom")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert any("kaboom" in (r.exc_text or "") or "unhandled" in r.getMessage() for r in caplog.records)


def test_admin_area_is_closed_to_non_admins(client):
    login(client, create_user())
    assert client.get("/admin/").status_code == 403


def test_incoming_request_id_is_kept_when_well_formed(client):
    assert client.get("/", headers={"X-Request-ID": "abc12345"}).headers["X-Request-ID"] == "abc12345"
    assert client.get("/", headers={"X-Request-ID": "<bad>"}).headers["X-Request-ID"] != "<bad>"
