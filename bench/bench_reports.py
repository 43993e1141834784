"""Report worker benchmark (issue 8): render speed, worker scaling, pick-up latency, memory.

Targets (issue 8, Performance):
- a 10-page report: median <= 1.0 s from task start to file written, and at least 0.8 of
  the speed of WeasyPrint rendering the same final HTML alone (baseline, same run);
- 100 jobs, 2 worker processes, Redis: >= 90 % of twice the single-worker rate;
- enqueue -> start p50 <= 100 ms on Redis, <= 300 ms on the embedded (SQL) broker;
- worker RSS <= 300 MB after 100 reports, growing < 10 % from the 50th to the 100th.

The report is the demo cluster's (canvas and self-assessment sections with their SVG charts),
cut to about 10 pages (smallest sections first, then recommendations; the full demo report has 26). Rendering in-process runs
the worker's own task body (``jobs.run_job`` on a render job: claim, document, PDF, storage,
record); the baseline is ``weasyprint.HTML(string=<the same final HTML>).write_pdf()``.
Worker figures come from real ``celery worker --pool=solo`` processes (Redis db 12; the
embedded broker is kombu's SQL transport on a SQLite file), reading job rows for timings.

Run: .venv/bin/python bench/bench_reports.py   (BENCH_DATABASE_URL for PostgreSQL;
BENCH_REPORT_JOBS to change the 100 jobs; Redis on 127.0.0.1:6379)
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT, SECRET, bench_database_url, make_bench_app
from flask import current_app

from core.extensions import db

REDIS = "redis://127.0.0.1:6379/12"
JOBS = int(os.environ.get("BENCH_REPORT_JOBS", "100"))
RENDER_ROUNDS = 7
LATENCY_SAMPLES = 25


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def _demo_engagement():  # type: ignore[no-untyped-def]
    from core.demo import load_demo_data
    from engagements.models import Engagement
    from engagements.reports.models import ReportVersion

    load_demo_data()
    version = db.session.execute(
        db.select(ReportVersion).order_by(ReportVersion.number.desc(), ReportVersion.id.desc()).limit(1)
    ).scalar_one()
    return db.session.get(Engagement, version.engagement_id), version


def _ten_page_content(engagement, base):  # type: ignore[no-untyped-def]
    """The demo report's content cut to about 10 pages: its smallest sections first, then its
    recommendations (repeated if need be)."""
    from core.pdf import render_pdf_with_pages
    from engagements.reports.content import ReportContent
    from engagements.reports.models import ReportVersion
    from engagements.reports.render import document_html

    full = ReportContent.from_json(base.content)

    def pages_of(content: ReportContent) -> int:
        probe = ReportVersion(engagement_id=base.engagement_id, cluster_id=base.cluster_id, number=base.number,
                              content=content.to_json(), created_at=base.created_at, is_revision=False)
        return render_pdf_with_pages(document_html(probe))[1]

    # Chapters start on new pages and the methods chapter is long, so build up from a small
    # report that still has a tool section (with its chart) and three recommendations.
    by_size = sorted(full.sections, key=lambda section: len(section.html))
    content = full.with_changes(sections=tuple(by_size[:1]), recommendations=full.recommendations[:3])
    pages = pages_of(content)
    for section in by_size[1:]:
        if pages >= 10:
            break
        content = content.with_changes(sections=content.sections + (section,))
        pages = pages_of(content)
    extra = 0
    while pages < 10:
        extra += 1
        more = tuple(replace(r, key=f"{r.key}-{extra}") for r in full.recommendations[:3])
        content = content.with_changes(recommendations=content.recommendations + more)
        pages = pages_of(content)
    return content, pages


def _add_versions(engagement, content, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    from engagements.reports.jobs import next_version_number
    from engagements.reports.models import ReportVersion

    ids = []
    for _ in range(count):
        version = ReportVersion(engagement_id=engagement.id, cluster_id=engagement.cluster_id,
                                number=next_version_number(engagement.id), content=content.to_json(),
                                as_of="{}", change_summary="bench", created_by_label="bench")
        db.session.add(version)
        db.session.flush()
        ids.append(version.id)
    db.session.commit()
    return ids


def _render_jobs(version_ids: list[int]) -> list[int]:
    """Render-job rows for the versions, committed without sending (the bench sends)."""
    from engagements.reports.models import ReportJob, ReportVersion

    job_ids = []
    for version_id in version_ids:
        version = db.session.get(ReportVersion, version_id)
        job = ReportJob(engagement_id=version.engagement_id, cluster_id=version.cluster_id, kind="render",
                        version_number=version.number, state="queued", attempts=0, error="")
        db.session.add(job)
        db.session.flush()
        job_ids.append(job.id)
    db.session.commit()
    return job_ids


def bench_render(engagement, content) -> None:  # type: ignore[no-untyped-def]
    import weasyprint

    from engagements.reports import jobs
    from engagements.reports.models import ReportVersion
    from engagements.reports.render import document_html

    versions = _add_versions(engagement, content, RENDER_ROUNDS + 1)
    job_ids = _render_jobs(versions)
    jobs.run_job(job_ids[0])  # warm-up: fonts, templates
    html = document_html(db.session.get(ReportVersion, versions[0]))
    ours, alone = [], []
    for job_id in job_ids[1:]:
        started = time.perf_counter()
        weasyprint.HTML(string=html, base_url=current_app.config["BASE_URL"]).write_pdf()
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        summary = jobs.run_job(job_id)
        ours.append(time.perf_counter() - started)
        assert summary.endswith("ready"), summary
    pages = db.session.get(ReportVersion, versions[-1]).pdf_pages
    ours_median, alone_median = statistics.median(ours), statistics.median(alone)
    print(f"render ({pages} pages), task start -> file written: median {ours_median * 1000:.0f} ms "
          f"(target <= 1000 ms); WeasyPrint alone on the same HTML: median {alone_median * 1000:.0f} ms; "
          f"speed ratio {alone_median / ours_median:.2f} (target >= 0.80)")


class Workers:
    """``count`` real worker processes (solo pool: the process that renders is the one measured)."""

    def __init__(self, count: int, broker: str, results: str, database_url: str, storage: str) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker,
               "CELERY_RESULT_BACKEND": results, "STORAGE_DIR": storage, "SECRET_KEY": SECRET,
               "BASE_URL": "http://127.0.0.1:5000", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
        self.queue = f"bench-{os.getpid()}-{time.monotonic_ns()}"
        self.processes = [
            subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--pool=solo",
                              "--loglevel=warning", "-Q", self.queue, "-n", f"bench{i}@%h",
                              "--without-gossip", "--without-mingle", "--without-heartbeat"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for i in range(count)
        ]

    def rss_mb(self) -> list[float]:
        sizes = []
        for process in self.processes:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def _states(job_ids: list[int]) -> dict[str, int]:
    from engagements.reports.models import ReportJob

    db.session.rollback()
    rows = db.session.execute(db.select(ReportJob.state, db.func.count()).where(ReportJob.id.in_(job_ids))
                              .group_by(ReportJob.state)).all()
    return dict(rows)


def _wait_ready(job_ids: list[int], timeout: float, on_progress=None) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    seen = 0
    while time.monotonic() - started < timeout:
        states = _states(job_ids)
        done = states.get("ready", 0) + states.get("failed", 0)
        if on_progress and done != seen:
            on_progress(done)
            seen = done
        if done == len(job_ids):
            return time.monotonic() - started
        time.sleep(0.05)
    raise RuntimeError(f"jobs not done after {timeout:.0f} s: {_states(job_ids)}")


def _warm(workers: Workers, sender, engagement, content) -> None:  # type: ignore[no-untyped-def]
    """One job per worker process before timing: imports, fonts and templates load once."""
    warm = _render_jobs(_add_versions(engagement, content, len(workers.processes) * 2))
    for job_id in warm:
        sender.send_task("workers.render_report", args=(job_id,), queue=workers.queue)
    _wait_ready(warm, 300)


def bench_throughput(app, engagement, content, database_url: str, storage: str) -> None:  # type: ignore[no-untyped-def]
    sender = celery_init_app_for(app, REDIS)
    rates = {}
    for count in (1, 2):
        workers = Workers(count, REDIS, REDIS, database_url, storage)
        try:
            _warm(workers, sender, engagement, content)
            job_ids = _render_jobs(_add_versions(engagement, content, JOBS))
            memory: dict[int, float] = {}

            def sample(done: int, workers=workers, memory=memory) -> None:  # type: ignore[no-untyped-def]
                for mark in (JOBS // 2, JOBS):
                    if done >= mark and mark not in memory:
                        memory[mark] = max(workers.rss_mb())

            for job_id in job_ids:
                sender.send_task("workers.render_report", args=(job_id,), queue=workers.queue)
            elapsed = _wait_ready(job_ids, 1800, sample if count == 1 else None)
            rates[count] = JOBS / elapsed
            print(f"{JOBS} reports, {count} worker process(es) on Redis: {elapsed:.1f} s, "
                  f"{rates[count]:.2f} reports/s ({_states(job_ids)})")
            if count == 1:
                half, full = memory.get(JOBS // 2, 0.0), memory.get(JOBS, 0.0)
                growth = (full - half) / half * 100 if half else float("nan")
                print(f"worker RSS after {JOBS // 2} reports {half:.0f} MB, after {JOBS} {full:.0f} MB "
                      f"(target <= 300 MB), growth {growth:+.1f} % (target < 10 %)")
        finally:
            workers.stop()
    print(f"2 workers vs 1: {rates[2] / rates[1]:.2f}x = {rates[2] / (2 * rates[1]) * 100:.0f} % of twice "
          f"the single-worker rate (target >= 90 %; this machine has {os.cpu_count()} cores)")


def celery_init_app_for(app, broker: str):  # type: ignore[no-untyped-def]
    """A sending Celery app for ``broker`` (transport options as the worker sets them)."""
    from celery import Celery

    from workers.celery_app import broker_transport_options

    celery = Celery("bench", broker=broker)
    celery.conf.broker_transport_options = broker_transport_options(broker)
    return celery


def bench_latency(app, engagement, content, database_url: str, storage: str, broker: str, label: str,
                  target_ms: int) -> None:  # type: ignore[no-untyped-def]
    """Enqueue -> start: one job at a time, the claim's started_at minus the send time."""
    from engagements.reports.models import ReportJob

    sender = celery_init_app_for(app, broker)
    results = "redis://127.0.0.1:6379/12" if broker.startswith("redis") else f"db+sqlite:///{storage}/results.db"
    workers = Workers(1, broker, results, database_url, storage)
    try:
        _warm(workers, sender, engagement, content)
        # Versions already rendered: the job is claimed (started_at) and finishes at once.
        rendered = _add_versions(engagement, content, 1)
        from engagements.reports.render import render_version_pdf

        render_version_pdf(rendered[0])
        delays = []
        for _ in range(LATENCY_SAMPLES):
            [job_id] = _render_jobs(rendered)
            sent = time.time()
            sender.send_task("workers.render_report", args=(job_id,), queue=workers.queue)
            _wait_ready([job_id], 60)
            db.session.rollback()
            started = db.session.get(ReportJob, job_id, populate_existing=True).started_at
            delays.append((started.timestamp() - sent) * 1000)
            time.sleep(0.2)  # let the worker go back to waiting, as between real jobs
    finally:
        workers.stop()
    p50 = statistics.median(delays)
    p90 = statistics.quantiles(delays, n=10)[-1]
    print(f"enqueue -> start on {label}: p50 {p50:.0f} ms, p90 {p90:.0f} ms (target p50 <= {target_ms} ms)")


def main() -> None:
    from workers.celery_app import celery_init_app

    database_url = bench_database_url()
    storage = tempfile.mkdtemp(prefix="bench-files-")
    os.environ["STORAGE_DIR"] = storage
    app = make_bench_app(database_url)
    app.config.update(STORAGE_DIR=storage, CELERY_TASK_ALWAYS_EAGER=True, BASE_URL="http://127.0.0.1:5000")
    celery_init_app(app)
    with app.app_context():
        engagement, base = _demo_engagement()
        content, pages = _ten_page_content(engagement, base)
        print(f"report: the demo cluster's, {len(content.sections)} tool sections, "
              f"{len(content.recommendations)} recommendations, {pages} pages")
        bench_render(engagement, content)
        if not _redis_up():
            print("Redis is not running on 127.0.0.1:6379: worker figures skipped")
            return
        app.config["CELERY_TASK_ALWAYS_EAGER"] = False
        bench_latency(app, engagement, content, database_url, storage, REDIS, "Redis", 100)
        embedded = f"sqla+sqlite:///{storage}/broker.db"
        bench_latency(app, engagement, content, database_url, storage, embedded,
                      "the embedded SQL broker (polling every 100 ms)", 300)
        bench_throughput(app, engagement, content, database_url, storage)


if __name__ == "__main__":
    main()
