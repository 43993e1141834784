"""A page that invites 200 members answers without waiting on mail.

Target (issue 11): the page that invites 200 members answers in <= 200 ms; the
mails are rendered and sent by the worker afterwards. Measured in-process (the
test client, no network) as the p50 of several requests, each on a fresh
cluster, against the same page inviting 1 member in the same run:

- opening a self-assessment round that invites every member (200 vs 1);
- the members page's "Invite several people" with 100 pasted addresses (the
  per-cluster hourly limit of invitation mails, core.email.limits) vs 1.

Tasks go to a real broker: Redis database 8, queue "bench-mail" (purged after),
when Redis runs, else kombu's in-memory transport; no worker consumes them here,
so the figures are the request alone, as a user waits for it.

Run: .venv/bin/python bench/bench_mail.py
"""

from __future__ import annotations

import socket
import statistics
import time
from datetime import date, timedelta

from common import SECRET, bench_database_url

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow

PASSWORD = "benchmark passphrase 2026"  # noqa: S105 - a throw-away bench user
RUNS = 7
REDIS_URL = "redis://127.0.0.1:6379/8"
QUEUE = "bench-mail"
TARGET_MS = 200.0


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def make_app(database_url: str, broker: str):  # type: ignore[no-untyped-def]
    from core import migrations
    from core.app import create_app
    from workers.celery_app import celery_init_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 5108,  # never reached here
        "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": "cache+memory://", "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE, "BASE_URL": "http://bench.example",
    })
    celery_init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        migrations.upgrade(app)
    return app


def seed_cluster(members: int, password_hash: str, tag: str) -> tuple[int, str]:
    """A cluster of ``members`` memberships, the first a manager; returns (cluster id, manager email)."""
    cluster = Cluster(name=f"Bench {tag}", country="France")
    db.session.add(cluster)
    db.session.flush()
    users = [User(email=f"u{i}-{tag}@bench.example", password_hash=password_hash, email_verified_at=utcnow())
             for i in range(members)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        Membership(cluster_id=cluster.id, user_id=u.id, role="manager" if i == 0 else "member",
                   organisation_name=f"Org {i}", organisation_type="sme")
        for i, u in enumerate(users)
    )
    db.session.commit()
    return cluster.id, users[0].email


def timed_post(app, email: str, url: str, data: dict) -> float:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    started = time.perf_counter()
    response = client.post(url, data=data)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return elapsed


def open_round_ms(app, invited: int, password_hash: str, run: int) -> float:  # type: ignore[no-untyped-def]
    with app.app_context():
        cluster_id, manager = seed_cluster(invited, password_hash, f"round-{invited}-{run}")
    closes = (date.today() + timedelta(days=14)).isoformat()
    return timed_post(app, manager, f"/clusters/{cluster_id}/innovativeness/rounds/new",
                      {"title": "Spring", "bank_version": "1", "closes_on": closes, "invite": "all"})


def invite_many_ms(app, invited: int, password_hash: str, run: int) -> float:  # type: ignore[no-untyped-def]
    with app.app_context():
        cluster_id, manager = seed_cluster(1, password_hash, f"inv-{invited}-{run}")
    emails = "\n".join(f"guest{i}-{invited}-{run}@bench.example" for i in range(invited))
    return timed_post(app, manager, f"/clusters/{cluster_id}/invitations/bulk",
                      {"bulk-emails": emails, "bulk-role": "member"})


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> None:
    broker = REDIS_URL if _redis_up() else "memory://"
    app = make_app(bench_database_url(), broker)
    password_hash = hash_password(PASSWORD)
    print(f"broker: {broker} (queue {QUEUE}); {RUNS} runs each, p50 of request time in-process")
    for name, measure, many in (("open a round inviting all members", open_round_ms, 200),
                                ("invite a pasted list of addresses", invite_many_ms, 100)):
        measure(app, 1, password_hash, -1)  # warm-up: templates, query caches
        one = p50([measure(app, 1, password_hash, run) for run in range(RUNS)])
        lots = p50([measure(app, many, password_hash, run) for run in range(RUNS)])
        verdict = "meets" if lots <= TARGET_MS else "MISSES"
        print(f"{name}: 1 invited {one:.1f} ms, {many} invited {lots:.1f} ms, ratio {lots / one:.2f}x "
              f"({verdict} the {TARGET_MS:.0f} ms target)")
    if broker.startswith("redis"):
        import redis

        redis.Redis.from_url(REDIS_URL).delete(QUEUE)


if __name__ == "__main__":
    main()
