"""Demo content: a small catalogue and one workshop paid by invoice (with its shared brief) for the demo cluster."""

from __future__ import annotations

from sqlalchemy import select

from core.api import DemoCluster, db
from engagements.billing import invoices, ledger
from engagements.lifecycle import Actor, record_creation, transition
from engagements.models import Engagement, SellerDetails, Service
from engagements.money import breakdown
from engagements.briefs import demo as briefs_demo
from engagements.reports import demo as reports_demo

CATALOGUE = (
    {
        "slug": "business-model-workshop",
        "title": "Business model workshop",
        "summary": "A facilitated day in which the cluster's board and members rework its business model.",
        "description": "We prepare with the cluster office, run the day on site or online, and turn the "
        "results "
        "into a canvas the cluster can keep working on.",
        "deliverables": "Preparation call\nOne-day facilitated workshop\nCompleted canvas, written summary",
        "duration": "1 day on site, plus preparation",
        "kind": "workshop",
        "price_minor": 450000,
        "cancellation_policy": "14:100,3:50",
        "sort_order": 10,
    },
    {
        "slug": "strategy-session",
        "title": "Facilitated strategy session",
        "summary": "A half-day online session on one strategic question the cluster management chooses.",
        "description": "Focused on a single question — membership offer, funding mix, governance — with "
        "a short memo of options afterwards.",
        "deliverables": "Half-day online session\nMemo of options and next steps",
        "duration": "Half a day, online",
        "kind": "session",
        "price_minor": 180000,
        "cancellation_policy": "7:100,2:50",
        "sort_order": 20,
    },
    {
        "slug": "deep-dive-recommendations",
        "title": "Deep-dive recommendations",
        "summary": "A consultant reviews the cluster's tool results and writes tailored recommendations.",
        "description": "Based on the canvas and the self-assessment, reviewed by an experienced cluster "
        "consultant and discussed in a one-hour call.",
        "deliverables": "Written recommendation report\nOne-hour review call",
        "duration": "About three weeks",
        "kind": "report",
        "price_minor": 250000,
        "cancellation_policy": "0:100",
        "sort_order": 30,
    },
)


#: Seller details that no one could mistake for real ones, so demo invoices cannot be paid.
DEMO_SELLER = {
    "name": "DEMO Fictitious Consulting (not a real company)",
    "address": "1 Demo Street\n00000 Nowhere\nDEMO — do not pay",
    "vat_id": "XX000DEMO",
    "email": "billing@demo.invalid",
    "iban": "XX00 0000 DEMO DEMO DEMO",
    "bic": "DEMOXXXX",
    "payment_terms_days": 30,
}


def load(cluster: DemoCluster) -> None:
    """Add the catalogue and clearly fake seller details (once), a workshop paid by invoice and the demo reports."""
    if db.session.get(SellerDetails, 1) is None:
        db.session.add(SellerDetails(id=1, **DEMO_SELLER))
    services = {}
    for item in CATALOGUE:
        service = db.session.execute(select(Service).where(Service.slug == item["slug"])).scalar_one_or_none()
        if service is None:
            service = Service(currency="EUR", vat_rate_bp=2000, **item)
            db.session.add(service)
        services[item["slug"]] = service
    db.session.flush()
    manager = next((m for m in cluster.members if m.role == "manager"), None)
    workshop = services["business-model-workshop"]
    price = breakdown(workshop.price_minor, workshop.currency, workshop.vat_rate_bp)
    engagement = Engagement(
        cluster_id=cluster.id,
        service_id=workshop.id,
        state="requested",
        payment_method="invoice",
        title=workshop.title,
        kind=workshop.kind,
        net_minor=price.net_minor,
        vat_minor=price.vat_minor,
        total_minor=price.total_minor,
        currency=price.currency,
        vat_rate_bp=price.vat_rate_bp,
        cancellation_policy=workshop.cancellation_policy,
        goals="Agree on a sharper member offer for the next three years.",
        context="The board changed last spring; membership fees cover less than half of the budget.",
        preferred_dates="Any Tuesday or Thursday next quarter",
        buyer_name=cluster.name,
        buyer_address="",
        requested_by_id=manager.user_id if manager else None,
    )
    db.session.add(engagement)
    db.session.flush()
    actor = Actor(manager.user_id if manager else None, manager.email if manager else "Demo")
    record_creation(engagement, actor)
    invoices.issue(engagement)
    transition(
        engagement.id, "requested", "awaiting_payment", actor, f"Invoice {engagement.invoice_number} issued"
    )
    transition(engagement.id, "awaiting_payment", "paid", Actor.system("Demo data"), "Bank transfer received")
    ledger.record(
        engagement,
        kind="charge",
        method="invoice",
        amount_minor=engagement.total_minor,
        external_ref=f"invoice:{engagement.invoice_number}",
        note="Bank transfer received",
    )
    reports_demo.load(cluster, services["deep-dive-recommendations"])
    briefs_demo.load(cluster, engagement)
