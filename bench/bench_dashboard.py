"""Dashboard throughput under gunicorn vs the trivial route; queries with 5 vs 500 members.

Run: .venv/bin/python bench/bench_dashboard.py
"""

from __future__ import annotations

from common import bench_database_url, count_queries, gunicorn, logged_in_session, make_bench_app, run_load

from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.accounts.models import User
from core.extensions import db
from core.models import utcnow

PASSWORD = "benchmark passphrase 2026"
TYPES = ["sme", "large_firm", "startup", "university", "research_institute", "public_authority", "intermediary", "investor"]


def seed_cluster(name: str, members: int, password_hash: str) -> tuple[int, str]:
    cluster = Cluster(name=name, country="France")
    db.session.add(cluster)
    db.session.flush()
    manager_email = f"manager-{cluster.id}@bench.example"
    for index in range(members):
        email = manager_email if index == 0 else f"m{index}-{cluster.id}@bench.example"
        user = User(email=email, password_hash=password_hash, email_verified_at=utcnow())
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(
            cluster_id=cluster.id, user_id=user.id, role="manager" if index == 0 else "member",
            organisation_name=f"Org {index}", organisation_type=TYPES[index % len(TYPES)],
        ))
    db.session.commit()
    return cluster.id, manager_email


def main() -> None:
    url = bench_database_url()
    app = make_bench_app(url)
    password_hash = hash_password(PASSWORD)
    with app.app_context():
        small_id, small_manager = seed_cluster("Small", 5, password_hash)
        large_id, large_manager = seed_cluster("Large", 500, password_hash)
    counts = {}
    for label, cluster_id, email in (("5 members", small_id, small_manager), ("500 members", large_id, large_manager)):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        client.get(f"/clusters/{cluster_id}")  # warm caches
        with app.app_context():
            engine = db.engine
        with count_queries(engine) as statements:
            assert client.get(f"/clusters/{cluster_id}").status_code == 200
        counts[label] = len(statements)
    print(f"SQL queries per dashboard view: 5 members -> {counts['5 members']}, 500 members -> {counts['500 members']}")

    with gunicorn(url) as base:
        session = logged_in_session(base, large_manager, PASSWORD)
        trivial = run_load(lambda: session.get(base + "/ping").status_code)
        dashboard = run_load(lambda: session.get(f"{base}/clusters/{large_id}").status_code)
    print(trivial.line("trivial route /ping"))
    print(dashboard.line("dashboard (500 members)"))
    print(f"throughput ratio dashboard / trivial: {dashboard.rps / trivial.rps:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
