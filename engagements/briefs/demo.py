"""Demo brief: the demo cluster's paid workshop gets its brief drafted from the tools' demo
data, one agenda item sharpened by the demo consultant, and that version shared with the
managers, so a visitor logging in as the demo manager reads (and downloads) a real brief.

Runs inside the demo loader without a worker: the job runs synchronously through
``jobs.run_job`` unless eager mode ran it at the commit.
"""

from __future__ import annotations

import importlib
import logging

from core.api import DemoCluster, db, staff_people
from engagements import effects
from engagements.briefs import editing, jobs, sharing
from engagements.briefs.versions import draft_of, latest_version
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports import jobs as report_jobs
from engagements.reports.demo import DEMO_CONSULTANT

log = logging.getLogger(__name__)


def load(cluster: DemoCluster, engagement: Engagement) -> None:
    """Draft, edit and share the brief of the demo ``engagement`` (a paid workshop); commits."""
    consultant = next((p for p in staff_people() if p.email == DEMO_CONSULTANT), None)
    if consultant is None:
        return
    try:
        importlib.import_module("engagements.briefs.drafting")
    except ModuleNotFoundError:
        log.warning("demo brief skipped: the drafting rule (engagements.briefs.drafting) is not installed")
        return
    actor = Actor(consultant.id, consultant.email)
    # Assigned as the console does it, so the consultant also gets read access to the cluster.
    from engagements.console import assign

    assign(engagement.id, consultant.id, Actor.system("Demo data"), is_admin=True)
    db.session.expire(engagement)
    job = jobs.create_brief_job(engagement.id, Actor.system("Brief worker (payment received)"))
    job_id = job.id
    effects.commit()  # in eager mode the job runs here
    done = db.session.get(report_jobs.ReportJob, job_id, populate_existing=True)
    if done is not None and done.state != "ready":
        message = report_jobs.run_job(job_id)
        if not message.endswith("ready"):
            raise RuntimeError(f"demo brief: {message}")
    version = latest_version(engagement.id)
    if version is None:
        raise RuntimeError("demo brief: no version was drafted")
    items = draft_of(version).items
    if items:
        first = items[0]
        version = editing.edit_item(engagement.id, version.number, first.key, editing.ItemChange(
            title=first.title, question=first.question,
            exercise=first.exercise or "Mixed groups of four, then a dot vote",
            minutes=first.minutes, decision_sought=f"{first.decision_sought or 'A shared position'} — agreed with the board",
        ), actor)
    sharing.share(engagement.id, version.number, actor)
