"""Demo reports: one delivered (drafted, delivered, edited, delivered again as a revision) and
one draft still in the queue, so a visitor logging in as the demo manager reads a real report.

Runs inside the demo loader, without a worker: each job is run synchronously through the
engine's own ``jobs.run_job`` (compose from the tools' demo data, render the PDF). The
second engagement's draft job is left queued for the worker that ``make run`` starts.
"""

from __future__ import annotations

from dataclasses import replace

from core.api import DemoCluster, db, staff_people
from engagements import effects
from engagements.billing import invoices
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor, record_creation, transition
from engagements.models import Engagement, Service
from engagements.money import breakdown
from engagements.reports import delivery, editing, jobs
from engagements.reports.editing import RecommendationChange, ReportEdit
from engagements.reports.versions import content_of, latest_version

DEMO_CONSULTANT = "consultant@aero-valley.example.org"


def load(cluster: DemoCluster, service: Service) -> None:
    """Two report engagements for ``cluster`` bought from ``service`` (a report-kind service); commits."""
    consultant = next((p for p in staff_people() if p.email == DEMO_CONSULTANT), None)
    if consultant is None:
        return
    actor = Actor(consultant.id, consultant.email)
    # Paid by invoice: the payment itself queues the draft, as for every report engagement.
    delivered = _paid_engagement(cluster, service, consultant.id, "Where should the cluster go next?")
    _run_latest_job(delivered.id)
    delivery.deliver(delivered.id, 1, actor)
    _run_latest_job(delivered.id)
    editing.save_edit(delivered.id, 1, _consultants_edit(delivered.id), actor)
    _run_latest_job(delivered.id)
    delivery.deliver(delivered.id, 2, actor)
    _run_latest_job(delivered.id)
    # The second draft stays queued for the worker that `make run` starts.
    _paid_engagement(cluster, service, consultant.id, "A second opinion now that the board has changed.")


def _run_latest_job(engagement_id: int) -> None:
    """Run the engagement's latest job now, unless it already ran (eager mode runs it at commit)."""
    job = jobs.latest_job(engagement_id)
    if job is None:
        raise RuntimeError(f"demo report: no job for engagement {engagement_id}")
    if job.state != "ready":
        message = jobs.run_job(job.id)
        if not message.endswith("ready"):
            raise RuntimeError(f"demo report: {message}")


def _consultants_edit(engagement_id: int) -> ReportEdit:
    """What the demo consultant changed in the draft: a sharper first recommendation, an
    introduction and a comment under the first tool section."""
    version = latest_version(engagement_id)
    assert version is not None
    content = content_of(version)
    changes = [
        RecommendationChange(
            key=r.key, title=r.title, rationale=r.rationale, actions=r.actions, priority=r.priority,
            owner_role=r.owner_role, horizon=r.horizon, indicator=r.indicator,
        )
        for r in content.recommendations
    ]
    if changes:
        first = changes[0]
        changes[0] = replace(
            first,
            title=f"{first.title} — agreed with the board",
            actions=(*first.actions, "Present the plan at the spring general assembly"),
            owner_role=first.owner_role or "Cluster manager",
            horizon=first.horizon or "0–6 months",
        )
    comments = {s.key: s.comment for s in content.sections}
    if content.sections:
        comments[content.sections[0].key] = (
            "We discussed this section with the board on 12 March; its members recognised the picture."
        )
    return ReportEdit(
        introduction=(
            "Aero Valley asked for an outside view of its business model and of how innovative its "
            "members see themselves. This report brings the cluster's own results together with our advice."
        ),
        closing_notes="We suggest reviewing progress against the action plan in six months.",
        comments=comments,
        recommendations=tuple(changes),
    )


def _paid_engagement(cluster: DemoCluster, service: Service, consultant_id: int, goals: str) -> Engagement:
    """A report engagement booked by the demo manager, invoiced and marked paid; committed."""
    manager = next((m for m in cluster.members if m.role == "manager"), None)
    price = breakdown(service.price_minor, service.currency, service.vat_rate_bp)
    engagement = Engagement(
        cluster_id=cluster.id,
        service_id=service.id,
        state="requested",
        payment_method="invoice",
        title=service.title,
        kind=service.kind,
        net_minor=price.net_minor,
        vat_minor=price.vat_minor,
        total_minor=price.total_minor,
        currency=price.currency,
        vat_rate_bp=price.vat_rate_bp,
        cancellation_policy=service.cancellation_policy,
        goals=goals,
        buyer_name=cluster.name,
        requested_by_id=manager.user_id if manager else None,
        consultant_id=consultant_id,
    )
    db.session.add(engagement)
    db.session.flush()
    if consultant_id is not None:  # the grant the console's assignment creates: read access to the cluster
        from engagements import access

        access.grant_to_consultant(engagement.id)
    actor = Actor(manager.user_id if manager else None, manager.email if manager else "Demo")
    record_creation(engagement, actor)
    invoices.issue(engagement)
    transition(
        engagement.id, "requested", "awaiting_payment", actor, f"Invoice {engagement.invoice_number} issued"
    )
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency=engagement.currency,
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("Demo data"),
        reason="Bank transfer received",
    )
    effects.commit()  # the draft job's task leaves now (in eager mode it runs here)
    return engagement
