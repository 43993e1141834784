"""The cost of an authenticated page: wrk against gunicorn, every persona's main page.

One run measures, under gunicorn with 2 workers and ``wrk`` (2 threads, 16
connections, ``BENCH_SECONDS`` seconds each, default 4): a bare Flask ``/ping``
app, the app's ``/ping`` and each persona's main page on a small and a large
cluster (see ``page_seed``). It prints req/s, p50/p99 latency and the ratio to
the app's ``/ping`` measured in the same run, plus the SQL statements each page
issues in-process (a ``before_cursor_execute`` listener), small vs large.

Every request carries a browser's ``Accept-Encoding: gzip, deflate, br``. Each
page is measured twice: rendered on every request (the page cache off,
``PAGE_CACHE_BYTES=0``: the "before" of the cache) and as served by
``core.page_cache`` (the default: rendered once, then served while the data
version holds). Statements are counted on the rendered path and on a hit.

Goals (issue 16): every page >= 0.30 of the app's /ping on SQLite (>= 0.25 on
PostgreSQL); the app's /ping >= 0.7 of bare Flask; statements equal for small
and large, <= 6 for the dashboard. Timings are never asserted, only printed.

Run: .venv/bin/python bench/bench_pages.py [--database-url URL] [--seconds N]
(or BENCH_DATABASE_URL=postgresql+psycopg://... for PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from common import bench_database_url, count_queries, gunicorn, logged_in_session, make_bench_app

from core.extensions import db
from page_seed import PASSWORD, Seeded, seed


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    persona: str  # an email
    pair: str = ""  # the small/large pair this page belongs to
    goal: float = 0.30


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def pages(s: Seeded) -> list[Page]:
    sm, lg, rl = s.small, s.large, s.round_large
    return [
        Page("dashboard, 5 members", f"/clusters/{sm.id}", sm.manager_email, "dashboard"),
        Page("dashboard, 500 members", f"/clusters/{lg.id}", lg.manager_email, "dashboard"),
        Page("members page, 5", f"/clusters/{sm.id}/members", sm.manager_email, "members"),
        Page("members page, 500", f"/clusters/{lg.id}/members", lg.manager_email, "members"),
        Page("canvas board, 3 notes", f"/clusters/{sm.id}/canvas/{sm.canvas_id}", sm.manager_email, "canvas"),
        Page("canvas board, 300 notes", f"/clusters/{lg.id}/canvas/{lg.canvas_id}", lg.manager_email, "canvas"),
        Page("round results, 5 resp.", f"/clusters/{sm.id}/innovativeness/rounds/{sm.round_id}/results",
             sm.manager_email, "results"),
        Page("round results, 1000 resp.", f"/clusters/{rl.id}/innovativeness/rounds/{rl.round_id}/results",
             rl.manager_email, "results"),
        Page("engagement page, small", f"/clusters/{sm.id}/engagements/{sm.engagement_id}", sm.manager_email,
             "engagement"),
        Page("engagement page, large", f"/clusters/{lg.id}/engagements/{lg.engagement_id}", lg.manager_email,
             "engagement"),
        Page("consultant console", "/console/engagements/", s.consultant_email),
        Page("consultant: large cluster", f"/clusters/{lg.id}", s.consultant_email),
        Page("admin: users", "/admin/users", s.admin_email),
        Page("admin: clusters", "/admin/clusters", s.admin_email),
        Page("admin: engagements", "/admin/engagements/", s.admin_email),
    ]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install -y wrk)")
    return path


_DURATION = re.compile(r"([\d.]+)(us|ms|s)\b")


def _ms(text: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


#: What every browser sends; pages served from core.page_cache go compressed to such a client.
BROWSER_ENCODINGS = "gzip, deflate, br"


def run_wrk(url: str, cookie: str, seconds: int) -> WrkResult:
    """wrk -t2 -c16 with ``--latency`` and a browser's Accept-Encoding; non-2xx/3xx answers and
    socket errors count as errors."""
    command = [ensure_wrk(), "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"Accept-Encoding: {BROWSER_ENCODINGS}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our own argv
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return WrkResult(rps, p50, p99, errors)


def faster(a: WrkResult, b: WrkResult) -> WrkResult:
    return a if a.rps >= b.rps else b


def statement_counts(app, seeded: Seeded, headers: dict[str, str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """SQL statements per page, in-process, after one warm-up request (``headers`` on the counted one)."""
    counts: dict[str, int] = {}
    clients: dict[str, object] = {}
    with app.app_context():
        engine = db.engine
    for page in pages(seeded):
        client = clients.get(page.persona)
        if client is None:
            client = clients[page.persona] = app.test_client()
            assert client.post("/login", data={"email": page.persona, "password": PASSWORD}).status_code == 302
        for _ in range(2):  # the first visit sets session keys (not stored), the second is stored
            assert client.get(page.path).status_code == 200, page.path
        with count_queries(engine) as statements:
            status = client.get(page.path, headers=headers).status_code
        assert status == 200, (page.path, status)
        counts[page.label] = len(statements)
    return counts


def cookie_for(base: str, page: Page) -> str:
    """A signed-in browser's cookies after it opened the page once (so no Set-Cookie follows)."""
    session = logged_in_session(base, page.persona, PASSWORD)
    response = session.get(base + page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.path}: {response.status_code}")
    session.get(base + page.path)
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies if c.path in ("/", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: BENCH_DATABASE_URL or a fresh SQLite file")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "4")))
    args = parser.parse_args()
    url = args.database_url or bench_database_url()
    ensure_wrk()
    app = make_bench_app(url)
    with app.app_context():
        seeded = seed()
        dialect = db.engine.dialect.name
    counts = statement_counts(app, seeded, {"Cache-Control": "no-cache"})  # a hard reload renders
    hit_counts = statement_counts(app, seeded, {})

    results: dict[str, WrkResult] = {}
    rendered: dict[str, WrkResult] = {}
    # The baselines are measured twice (here: one after the other; the app's /ping before and after its
    # pages) and the faster run kept: a slow moment of this shared machine then cannot flatter a ratio.
    with gunicorn(url, app_spec="bench.bare_ping:app") as base:
        results["bare Flask /ping"] = faster(run_wrk(base + "/ping", "", args.seconds),
                                             run_wrk(base + "/ping", "", args.seconds))
    with gunicorn(url, extra_env={"PAGE_CACHE_BYTES": "0"}) as base:
        ping_rendered = run_wrk(base + "/ping", "", args.seconds)
        for page in pages(seeded):
            rendered[page.label] = run_wrk(base + page.path, cookie_for(base, page), args.seconds)
    with gunicorn(url) as base:
        first_ping = run_wrk(base + "/ping", "", args.seconds)
        for page in pages(seeded):
            results[page.label] = run_wrk(base + page.path, cookie_for(base, page), args.seconds)
        results["app /ping"] = faster(first_ping, run_wrk(base + "/ping", "", args.seconds))
        results = {"bare Flask /ping": results.pop("bare Flask /ping"), "app /ping": results.pop("app /ping"),
                   **results}

    goal = 0.30 if dialect == "sqlite" else 0.25
    ping = results["app /ping"].rps
    bare = results["bare Flask /ping"].rps
    print(f"database: {dialect}; wrk -t2 -c16 -d{args.seconds}s against gunicorn -w 2")
    print("rendered = page cache off (every request renders); served = core.page_cache on (the default)")
    print(f"{'page':28} {'rendered':>9} {'ratio':>6} {'served':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} "
          f"{'SQL':>4} {'hit':>4} {'err':>4}")
    for label, r in results.items():
        before = rendered.get(label)
        before_text = f"{before.rps:9.0f} {before.rps / ping_rendered.rps:6.2f}" if before else f"{'-':>9} {'-':>6}"
        sql = str(counts[label]) if label in counts else "-"
        hit = str(hit_counts[label]) if label in hit_counts else "-"
        errors = r.errors + (before.errors if before else 0)
        print(f"{label:28} {before_text} {r.rps:8.0f} {r.p50_ms:7.1f} {r.p99_ms:7.1f} {r.rps / ping:6.2f} "
              f"{sql:>4} {hit:>4} {errors:4d}")
    print(f"app /ping / bare Flask: {ping / bare:.2f} (goal >= 0.70); app /ping with the cache off: "
          f"{ping_rendered.rps:.0f} req/s")
    page_rows = pages(seeded)
    slow = [p.label for p in page_rows if results[p.label].rps / ping < goal]
    print(f"pages >= {goal:.2f} of app /ping: {'all' if not slow else 'MISSED by ' + ', '.join(slow)}")
    pairs: dict[str, list[int]] = {}
    for p in page_rows:
        if p.pair:
            pairs.setdefault(p.pair, []).append(counts[p.label])
    unequal = [f"{k} {v[0]} vs {v[1]}" for k, v in pairs.items() if len(set(v)) > 1]
    print(f"statements small vs large: {'equal for every page' if not unequal else 'UNEQUAL: ' + '; '.join(unequal)}")
    dashboard = counts["dashboard, 500 members"]
    print(f"dashboard statements: {dashboard} (goal <= 6)")


if __name__ == "__main__":
    main()
