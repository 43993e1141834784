"""Canvas page and A3 PDF with 300 notes and 3,000 votes, against a 3-note canvas.

Targets (issue 3): the board answers in <= 100 ms of server time and needs the
same number of SQL queries as a 3-note canvas; the A3 PDF renders in <= 1.5 s.
Server time is measured in-process through the WSGI app (no network), as the
median of repeated requests; ``/ping`` is the same run's baseline.

Run: .venv/bin/python bench/bench_canvas.py
"""

from __future__ import annotations

from common import bench_database_url, count_queries, make_bench_app, median_ms

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow
from plugins.canvas.elements import framework
from plugins.canvas.models import Canvas, Note, Vote

PASSWORD = "benchmark passphrase 2026"
TYPES = ["sme", "large_firm", "startup", "university", "research_institute", "public_authority", "intermediary", "investor"]
MEMBERS = 30


def seed(notes: int, votes_per_note: int) -> tuple[int, int, str]:
    """A cluster of MEMBERS members and one canvas; returns (cluster id, canvas id, manager email)."""
    password_hash = hash_password(PASSWORD)
    cluster = Cluster(name=f"Bench {notes}", country="France")
    db.session.add(cluster)
    db.session.flush()
    users = []
    for index in range(MEMBERS):
        user = User(email=f"m{index}-{cluster.id}@bench.example", password_hash=password_hash,
                    email_verified_at=utcnow())
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(cluster_id=cluster.id, user_id=user.id, role="manager" if index == 0 else "member",
                                  organisation_name=f"Org {index}", organisation_type=TYPES[index % len(TYPES)]))
        users.append((user.id, TYPES[index % len(TYPES)]))
    canvas = Canvas(cluster_id=cluster.id, title="As-is 2026", framework_version=framework().version)
    db.session.add(canvas)
    db.session.flush()
    keys = framework().keys
    rows = []
    for n in range(notes):
        author_id, author_type = users[1 + n % (MEMBERS - 1)]
        rows.append(Note(cluster_id=cluster.id, canvas_id=canvas.id, element=keys[n % len(keys)],
                         text=f"Note {n}: members share a test bench and <b>pool</b> skills for joint projects",
                         explanation="Longer reasoning " * 5, author_id=author_id, author_org_type=author_type))
    db.session.add_all(rows)
    db.session.flush()
    votes = []
    for n, note in enumerate(rows):
        voters = [u for u in users if u[0] != note.author_id][:votes_per_note]
        for v, (user_id, user_type) in enumerate(voters):
            votes.append(Vote(cluster_id=cluster.id, canvas_id=canvas.id, note_id=note.id, user_id=user_id,
                              voter_org_type=user_type, value="disagree" if (n + v) % 4 == 0 else "agree"))
    db.session.add_all(votes)
    db.session.commit()
    return cluster.id, canvas.id, f"m0-{cluster.id}@bench.example"


def main() -> None:
    app = make_bench_app(bench_database_url())
    with app.app_context():
        small = seed(3, 10)
        large = seed(300, 10)
        print(f"seeded: 3 notes / {db.session.query(Vote).filter_by(canvas_id=small[1]).count()} votes and "
              f"{db.session.query(Note).filter_by(canvas_id=large[1]).count()} notes / "
              f"{db.session.query(Vote).filter_by(canvas_id=large[1]).count()} votes")
        engine = db.engine

    results = {}
    client = app.test_client()
    for label, (cluster_id, canvas_id, email) in (("3 notes", small), ("300 notes", large)):
        client.post("/logout")
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        board = f"/clusters/{cluster_id}/canvas/{canvas_id}"
        assert client.get(board).status_code == 200  # warm templates and caches
        with count_queries(engine) as statements:
            client.get(board)
        results[label] = {
            "queries": len(statements),
            "board_ms": median_ms(lambda: client.get(board), repeat=25),
            "alignment_ms": median_ms(lambda: client.get(board + "/alignment"), repeat=10),
            "pdf_ms": median_ms(lambda: client.get(board + "/canvas.pdf"), repeat=5),
            "page_kb": len(client.get(board).data) / 1024,
        }
    ping_ms = median_ms(lambda: client.get("/ping"), repeat=50)

    small_r, large_r = results["3 notes"], results["300 notes"]
    print(f"baseline /ping                      {ping_ms:7.2f} ms")
    for label, r in results.items():
        print(f"canvas page, {label:9}              {r['board_ms']:7.2f} ms   {r['queries']} SQL queries   "
              f"{r['page_kb']:.0f} KiB")
    print(f"alignment page, 3 / 300 notes       {small_r['alignment_ms']:7.2f} / {large_r['alignment_ms']:.2f} ms")
    print(f"A3 PDF, 3 notes                     {small_r['pdf_ms']:7.1f} ms")
    print(f"A3 PDF, 300 notes                   {large_r['pdf_ms']:7.1f} ms")
    print(f"ratio 300 / 3 notes (page time)     {large_r['board_ms'] / small_r['board_ms']:7.2f}x; "
          f"page vs /ping {large_r['board_ms'] / ping_ms:.1f}x")
    same = large_r["queries"] == small_r["queries"]
    print(f"query count equal (3 vs 300 notes): {'yes' if same else 'NO'} "
          f"({small_r['queries']} vs {large_r['queries']})")
    print(f"targets: page <= 100 ms -> {'met' if large_r['board_ms'] <= 100 else 'MISSED'}; "
          f"PDF <= 1500 ms -> {'met' if large_r['pdf_ms'] <= 1500 else 'MISSED'}")


if __name__ == "__main__":
    main()
