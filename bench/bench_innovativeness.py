"""Self-assessment round results with 1,000 respondents x 66 statements.

Targets (issue 4):
- round results computed in <= 100 ms of server time, with the same number of
  SQL queries as a round of 5 respondents;
- the results page reaches >= 0.5 of the trivial route's (/ping) throughput
  under gunicorn in the same run;
- saving one page of answers takes <= 20 ms of server time.
Server time is measured in-process (no network) as the median of repeats.

Run: .venv/bin/python bench/bench_innovativeness.py
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from common import bench_database_url, count_queries, gunicorn, logged_in_session, make_bench_app, median_ms, run_load

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow
from plugins.innovativeness.bank import latest_bank
from plugins.innovativeness.models import AssessmentRound, Participant
from plugins.innovativeness.questionnaire import field_name
from plugins.innovativeness.results import clear_cache, compute_results

PASSWORD = "benchmark passphrase 2026"
TYPES = ["sme", "large_firm", "startup", "university", "research_institute", "public_authority", "intermediary", "investor"]


def seed_round(respondents: int, password_hash: str) -> tuple[int, int, str, str]:
    """A cluster whose open named round (results readable while it runs) has
    ``respondents`` submitted questionnaires plus
    one manager and one member who has not answered yet.

    Returns (cluster id, round id, manager email, pending member email).
    """
    bank = latest_bank()
    rng = random.Random(respondents)
    cluster = Cluster(name=f"Bench {respondents}", country="France")
    db.session.add(cluster)
    db.session.flush()
    users = [User(email=f"u{i}-{cluster.id}@bench.example", password_hash=password_hash, email_verified_at=utcnow())
             for i in range(respondents + 2)]
    db.session.add_all(users)
    db.session.flush()
    memberships = [
        Membership(cluster_id=cluster.id, user_id=u.id, role="manager" if i == 0 else "member",
                   organisation_name=f"Org {i}", organisation_type=TYPES[i % len(TYPES)])
        for i, u in enumerate(users)
    ]
    db.session.add_all(memberships)
    rnd = AssessmentRound(cluster_id=cluster.id, title="Bench round", bank_version=bank.version, anonymous=False,
                          closes_at=utcnow() + timedelta(days=30))
    db.session.add(rnd)
    db.session.flush()
    keys = [s.key for s in bank.statements]
    participants = []
    for i, m in enumerate(memberships):
        answered = 2 <= i
        participant = Participant(
            cluster_id=cluster.id, round_id=rnd.id, membership_id=m.id, organisation_type=m.organisation_type,
            submitted_at=utcnow() if answered else None, shuffle_key=secrets.token_hex(8),
        )
        participant.set_answers({k: rng.randint(0, 5) for k in keys} if answered else {}, bank)
        participants.append(participant)
    db.session.add_all(participants)
    db.session.commit()
    return cluster.id, rnd.id, users[0].email, users[1].email


def add_layout_baseline(app) -> None:  # type: ignore[no-untyped-def]
    """A cluster page with the shared layout and an empty body, registered only in
    this process: it costs what every signed-in cluster page costs (session,
    membership check, navigation), so the results page's own share shows."""
    from flask import Blueprint, current_app

    bp = Blueprint("innovativeness_benchbaseline", __name__, url_prefix="/clusters/<int:cluster_id>/bench-baseline")
    template = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}<p>Empty.</p>{% endblock %}')

    @bp.get("/")
    def empty_page(cluster_id: int):  # type: ignore[no-untyped-def]
        context: dict = {}
        current_app.update_template_context(context)
        return template.render(context)

    app.register_blueprint(bp)


def main() -> None:
    url = bench_database_url()
    app = make_bench_app(url)
    add_layout_baseline(app)
    password_hash = hash_password(PASSWORD)
    with app.app_context():
        small = seed_round(5, password_hash)
        large = seed_round(1000, password_hash)
        engine = db.engine
        statements_per_round = len(latest_bank().statements)
        compute = {}
        for label, (cluster_id, round_id, _, _) in (("5", small), ("1000", large)):
            rnd = db.session.get(AssessmentRound, round_id)
            with count_queries(engine) as queries:
                results = compute_results(rnd)
            compute[label] = (median_ms(lambda: compute_results(rnd), repeat=15), len(queries), results.respondents)

    client = app.test_client()
    pages = {}
    for label, (cluster_id, round_id, manager, _) in (("5", small), ("1000", large)):
        client.post("/logout")
        assert client.post("/login", data={"email": manager, "password": PASSWORD}).status_code == 302
        url_results = f"/clusters/{cluster_id}/innovativeness/rounds/{round_id}/results"
        clear_cache()
        cold = median_ms(lambda: (clear_cache(), client.get(url_results)), repeat=5)
        assert client.get(url_results).status_code == 200
        with count_queries(engine) as queries:
            client.get(url_results)
        pages[label] = (cold, median_ms(lambda: client.get(url_results), repeat=25), len(queries))

    cluster_id, round_id, _, pending = large
    client.post("/logout")
    assert client.post("/login", data={"email": pending, "password": PASSWORD}).status_code == 302
    bank = latest_bank()
    first_page = bank.pages()[0]
    form = {field_name(s.key): str(1 + n % 5) for n, s in enumerate(s for d in first_page for s in d.statements)}
    form["action"] = "next"
    answer_url = f"/clusters/{cluster_id}/innovativeness/rounds/{round_id}/answer/1"
    assert client.post(answer_url, data=form).status_code == 302
    save_ms = median_ms(lambda: client.post(answer_url, data=form), repeat=25)
    with count_queries(engine) as queries:
        client.post(answer_url, data=form)
    save_queries = len(queries)
    ping_ms = median_ms(lambda: client.get("/ping"), repeat=50)
    client.post("/logout")
    assert client.post("/login", data={"email": large[2], "password": PASSWORD}).status_code == 302
    layout_url = f"/clusters/{large[0]}/bench-baseline/"
    assert client.get(layout_url).status_code == 200
    layout_ms = median_ms(lambda: client.get(layout_url), repeat=50)

    with gunicorn(url) as base:
        session = logged_in_session(base, large[2], PASSWORD)
        results_url = f"{base}/clusters/{large[0]}/innovativeness/rounds/{large[1]}/results"
        # Alternate the two loads so that a busy moment on the machine hits both alike.
        trivial_runs, page_runs = [], []
        for _ in range(3):
            trivial_runs.append(run_load(lambda: session.get(base + "/ping").status_code, total=400))
            page_runs.append(run_load(lambda: session.get(results_url).status_code, total=400))
        trivial = sorted(trivial_runs, key=lambda r: r.rps)[1]
        page = sorted(page_runs, key=lambda r: r.rps)[1]

    c5, c1000 = compute["5"], compute["1000"]
    print(f"statements per questionnaire        {statements_per_round}")
    print(f"baseline /ping (in-process)         {ping_ms:7.2f} ms")
    print(f"round results computed, 5 resp.     {c5[0]:7.2f} ms   {c5[1]} SQL queries")
    print(f"round results computed, 1000 resp.  {c1000[0]:7.2f} ms   {c1000[1]} SQL queries   ({c1000[2]} respondents)")
    for label, (cold, warm, queries) in pages.items():
        print(f"results page, {label:4} resp.: cold {cold:7.2f} ms, cached {warm:6.2f} ms, {queries} SQL queries")
    print(f"empty cluster page (layout only)    {layout_ms:7.2f} ms   -> cached results page / empty page "
          f"{pages['1000'][1] / layout_ms:.2f}x (in-process)")
    print(f"save one page of answers ({len(form) - 1} statements) {save_ms:6.2f} ms   {save_queries} SQL queries")
    print(trivial.line("gunicorn /ping (median of 3)"))
    print(page.line("gunicorn results (median of 3)"))
    ratio = page.rps / trivial.rps
    print(f"throughput ratio results / ping     {ratio:7.2f}")
    print(
        "targets: compute <= 100 ms -> {}; same queries 5 vs 1000 -> {}; throughput >= 0.5 -> {}; save <= 20 ms -> {}".format(
            "met" if c1000[0] <= 100 else "MISSED",
            "met" if c1000[1] == c5[1] and pages["5"][2] == pages["1000"][2] else "MISSED",
            "met" if ratio >= 0.5 else "MISSED",
            "met" if save_ms <= 20 else "MISSED",
        )
    )


if __name__ == "__main__":
    main()
