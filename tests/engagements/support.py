"""Test helpers: free ports, Stripe-style signatures, a live WSGI server, a Checkout stand-in."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from werkzeug.serving import make_server

WEBHOOK_SECRET = "whsec_test_engagements"
SECRET_KEY = "sk_test_engagements"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on port {port}")


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe's scheme: ``t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


_ids = itertools.count(1)


def event(type_: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_test_{next(_ids)}_{time.time_ns()}",
        "object": "event",
        "type": type_,
        "created": int(time.time()),
        "data": {"object": obj},
    }


def body(evt: dict[str, Any]) -> bytes:
    return json.dumps(evt, indent=2).encode()


class LiveServer:
    """The Flask app served by werkzeug in a thread, so outside processes can POST to it."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()


class CheckoutStandIn:
    """The few Stripe endpoints localstripe lacks: Checkout Sessions (plus refunds/charges for them).

    Sessions are created ``open``; ``pay(session_id)`` completes one the way a
    customer would and returns the signed ``checkout.session.completed`` event.
    """

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.fail_next = False
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, obj: dict[str, Any]) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/pay/"):
                    page = stand_in.payment_page(self.path.rsplit("/", 1)[-1]).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                status, obj = stand_in.handle("GET", self.path, {}, None)
                self._send(status, obj)

            def do_POST(self) -> None:  # noqa: N802
                if self.path.startswith("/pay/"):
                    self.send_response(303)
                    self.send_header("Location", stand_in.submit_payment(self.path.rsplit("/", 1)[-1]))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                params = {k: v[0] for k, v in form.items()}
                status, obj = stand_in.handle("POST", self.path, params, self.headers.get("Idempotency-Key"))
                self._send(status, obj)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()

    # -- the hosted payment page, for browser tests ---------------------------
    webhook_url: str | None = None
    confirm_after: float = 2.0

    def payment_page(self, session_id: str) -> str:
        session = self.sessions[session_id]
        return (
            f"<!doctype html><title>Pay</title><h1>Stand-in Checkout</h1>"
            f"<p>{session['amount_total'] / 100:.2f} {session['currency'].upper()}</p>"
            f"<form method='post'><button>Pay now</button></form>"
            f"<a href='{session['cancel_url']}'>Back</a>"
        )

    def submit_payment(self, session_id: str) -> str:
        """The customer paid: the bank confirms a moment later, then Stripe sends the webhook."""
        self.pay(session_id, async_payment=True)

        def confirm() -> None:
            time.sleep(self.confirm_after)
            evt = self.settle_async(session_id, True)
            payload = body(evt)
            if self.webhook_url:
                import requests

                requests.post(
                    self.webhook_url, data=payload, headers={"Stripe-Signature": sign(payload)}, timeout=10
                )

        threading.Thread(target=confirm, daemon=True).start()
        return self.sessions[session_id]["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    def handle(
        self, method: str, path: str, params: dict[str, Any], key: str | None
    ) -> tuple[int, dict[str, Any]]:
        parsed = urlparse(path)
        with self.lock:
            self.requests.append((method, parsed.path, params))
            if self.fail_next:
                self.fail_next = False
                return 500, {"error": {"type": "api_error", "message": "stand-in failure"}}
            if key and key in self.idempotency:
                return 200, self.idempotency[key]
            if method == "POST" and parsed.path == "/v1/checkout/sessions":
                result = self._create_session(params)
            elif method == "POST" and parsed.path.endswith("/expire"):
                sid = parsed.path.split("/")[-2]
                if self.sessions.get(sid, {}).get("status") != "open":
                    return 400, {"error": {"type": "invalid_request_error", "message": "Session is not open"}}
                self.sessions[sid].update(status="expired", url=None)
                result = self.sessions[sid]
            elif method == "GET" and parsed.path.startswith("/v1/checkout/sessions/"):
                sid = parsed.path.rsplit("/", 1)[-1]
                if sid not in self.sessions:
                    return 404, {"error": {"type": "invalid_request_error", "message": "No such session"}}
                return 200, self.sessions[sid]
            elif method == "POST" and parsed.path == "/v1/refunds":
                result = self._create_refund(params)
                if result is None:
                    return 400, {"error": {"type": "invalid_request_error", "message": "Nothing to refund"}}
            elif method == "GET" and parsed.path.startswith("/v1/payment_intents/"):
                pi = parsed.path.rsplit("/", 1)[-1]
                session = next((x for x in self.sessions.values() if x["payment_intent"] == pi), None)
                if session is None:
                    return 404, {
                        "error": {"type": "invalid_request_error", "message": "No such payment intent"}
                    }
                return 200, {
                    "id": pi,
                    "object": "payment_intent",
                    "metadata": session["payment_intent_metadata"],
                    "amount": session["amount_total"],
                    "currency": session["currency"],
                }
            elif method == "GET" and parsed.path == "/v1/charges":
                return 200, {
                    "object": "list",
                    "data": list(self.charges.values()),
                    "has_more": False,
                    "url": "/v1/charges",
                }
            elif method == "GET" and parsed.path == "/v1/refunds":
                charge = parse_qs(parsed.query).get("charge", [""])[0]
                data = [r for r in self.refunds.values() if r["charge"] == charge]
                return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}
            else:
                return 404, {"error": {"type": "invalid_request_error", "message": f"{method} {parsed.path}"}}
            if key:
                self.idempotency[key] = result
            return 200, result

    def _create_session(self, p: dict[str, Any]) -> dict[str, Any]:
        sid = f"cs_test_{next(_ids)}_{time.time_ns()}"
        session = {
            "id": sid,
            "object": "checkout.session",
            "status": "open",
            "payment_status": "unpaid",
            "url": f"{self.url}/pay/{sid}",
            "mode": p.get("mode"),
            "amount_total": int(p["line_items[0][price_data][unit_amount]"]),
            "currency": p["line_items[0][price_data][currency]"],
            "metadata": {"engagement_id": p.get("metadata[engagement_id]")},
            "payment_intent_metadata": {
                "engagement_id": p.get("payment_intent_data[metadata][engagement_id]")
            },
            "client_reference_id": p.get("client_reference_id"),
            "customer_email": p.get("customer_email"),
            "success_url": p.get("success_url"),
            "cancel_url": p.get("cancel_url"),
            "payment_intent": None,
        }
        self.sessions[sid] = session
        return session

    def pay(self, session_id: str, async_payment: bool = False) -> dict[str, Any]:
        """Complete the session; return the ``checkout.session.completed`` event."""
        with self.lock:
            session = self.sessions[session_id]
            pi = f"pi_test_{next(_ids)}_{time.time_ns()}"
            session.update(
                status="complete", payment_intent=pi, payment_status="unpaid" if async_payment else "paid"
            )
            if not async_payment:
                self._charge_for(session)
            return event("checkout.session.completed", dict(session))

    def settle_async(self, session_id: str, succeeded: bool) -> dict[str, Any]:
        with self.lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid" if succeeded else "unpaid"
            if succeeded:
                self._charge_for(session)
            kind = "succeeded" if succeeded else "failed"
            return event(f"checkout.session.async_payment_{kind}", dict(session))

    def _charge_for(self, session: dict[str, Any]) -> None:
        cid = f"ch_test_{next(_ids)}_{time.time_ns()}"
        self.charges[cid] = {
            "id": cid,
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": 0,
            "currency": session["currency"],
            "status": "succeeded",
            "created": int(time.time()),
            "payment_intent": session["payment_intent"],
            "metadata": {},
            "refunded": False,
            "refunds": {"object": "list", "data": []},
        }

    def charge_of(self, payment_intent: str) -> dict[str, Any]:
        return next(c for c in self.charges.values() if c["payment_intent"] == payment_intent)

    def _create_refund(self, p: dict[str, Any]) -> dict[str, Any] | None:
        charge = next(
            (c for c in self.charges.values() if c["payment_intent"] == p.get("payment_intent")), None
        )
        amount = int(p.get("amount") or 0)
        if charge is None or amount <= 0 or charge["amount_refunded"] + amount > charge["amount"]:
            return None
        rid = f"re_test_{next(_ids)}_{time.time_ns()}"
        refund = {
            "id": rid,
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],
            "status": "succeeded",
            "payment_intent": charge["payment_intent"],
            "charge": charge["id"],
            "metadata": {"engagement_id": p.get("metadata[engagement_id]")},
        }
        self.refunds[rid] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        charge["refunds"]["data"].append(refund)
        return refund

    def refund_event(self, payment_intent: str) -> dict[str, Any]:
        with self.lock:
            return event("charge.refunded", json.loads(json.dumps(self.charge_of(payment_intent))))
