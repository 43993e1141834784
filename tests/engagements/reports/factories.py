"""Report specs in a few lines: a report service, a paid report engagement, a version.

``paid_report_engagement`` moves the engagement to paid with a bare lifecycle
transition (no ``mark_paid``), so no draft job starts by itself: tests that want
the automatic draft go through ``mark_paid`` explicitly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.api import db, utcnow
from engagements import bookings
from engagements.lifecycle import Actor, transition
from engagements.models import Engagement, Service
from engagements.reports.content import (
    KeyFigure,
    MethodEntry,
    RecommendationEntry,
    ReportContent,
    SectionEntry,
)
from engagements.reports.models import ReportVersion
from tests.engagements.factories import create_service
from tests.factories import create_cluster, create_user, manager_of


def report_service(**overrides: Any) -> Service:
    """The deep dive as sold in the catalogue (kind ``report``); one per test database."""
    existing = db.session.execute(select(Service).where(Service.slug == "deep-dive")).scalar_one_or_none()
    if existing is not None and not overrides:
        return existing
    values: dict[str, Any] = {
        "slug": "deep-dive",
        "title": "Deep-dive recommendations",
        "summary": "Written recommendations.",
        "deliverables": "Written recommendation report",
        "duration": "3 weeks",
        "kind": "report",
        "price_minor": 250000,
        "cancellation_policy": "0:100",
    }
    return create_service(**{**values, **overrides})


def paid_report_engagement(cluster=None, consultant=None, state: str = "paid") -> Engagement:  # type: ignore[no-untyped-def]
    """A report engagement booked by invoice, paid, with ``consultant`` assigned (created if None).

    ``state`` may be ``paid`` or ``in_delivery``. Pass ``consultant=False`` for an unassigned one.
    """
    cluster = cluster or create_cluster()
    manager = manager_of(cluster)
    actor = Actor(manager.id, manager.email)
    engagement = bookings.book(
        cluster.id,
        actor,
        bookings.BookingRequest(
            service_id=report_service().id,
            payment_method="invoice",
            goals="Find where the cluster's offer falls short of its members' needs.",
            context="",
            preferred_dates="",
            buyer_name="Cluster office",
            buyer_address="1 Main Street\nLyon",
            buyer_vat_id="",
        ),
        card_enabled=False,
    )
    system = Actor.system("test")
    assert transition(engagement.id, "awaiting_payment", "paid", system, "Bank transfer received")
    if state == "in_delivery":
        assert transition(engagement.id, "paid", "in_delivery", system, "Delivery started")
    if consultant is None:
        consultant = create_user(is_consultant=True, display_name="Camille Consultant")
    if consultant is not False:
        engagement.consultant_id = consultant.id
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id)


def sample_content(**overrides: Any) -> ReportContent:
    """Content as a composed draft would have it: two tool sections, three recommendations."""
    values: dict[str, Any] = {
        "introduction": "This report reviews the cluster's canvas and its latest assessment round.",
        "closing_notes": "We suggest reviewing progress in six months.",
        "executive_summary": ("Members value matchmaking most.", "The funding mix depends on one grant."),
        "key_figures": (KeyFigure("Respondents", "14", "innovativeness"),),
        "sections": (
            SectionEntry("canvas", "Business model canvas", "canvas", "<p>Nine elements agreed.</p>",
                         "The canvas is agreed.", 10),
            SectionEntry("innovativeness", "Innovativeness", "innovativeness", "<p>Median 3.5</p>",
                         "Median score 3.5.", 20),
        ),
        "recommendations": (
            RecommendationEntry("r-funding", "Broaden the funding mix", "One grant pays 60 % of the budget.",
                                ("Apply for a regional programme", "Introduce paid services"), 1,
                                "Cluster manager", "0–6 months", "Share of budget from fees", "canvas",
                                plugin="canvas", score=0.9),
            RecommendationEntry("r-matchmaking", "Grow matchmaking", "Members rate it highest.",
                                ("Run two matchmaking days a year",), 2, "Board", "6–12 months",
                                "Deals started after events", "innovativeness", plugin="innovativeness",
                                score=0.6),
            RecommendationEntry("r-web", "Refresh the member directory", "", (), 4, "Cluster office",
                                "12+ months", "Directory visits", "canvas", plugin="canvas", score=0.2),
        ),
        "methods": (MethodEntry("canvas", "Business model canvas", "Osterwalder & Pigneur.", ("Osterwalder 2010",)),),
        "as_of": {"canvas": "canvas “As-is 2026”"},
    }
    return ReportContent(**{**values, **overrides})


def add_version(
    engagement: Engagement,
    content: ReportContent | None = None,
    *,
    number: int | None = None,
    delivered: bool = False,
    rendered: bool = True,
    summary: str = "Drafted by the report worker",
) -> ReportVersion:
    """Insert a version directly (as compose would); ``rendered`` fills fake pdf_* fields."""
    if number is None:
        latest = db.session.execute(
            select(db.func.max(ReportVersion.number)).where(ReportVersion.engagement_id == engagement.id)
        ).scalar()
        number = (latest or 0) + 1
    content = content or sample_content()
    version = ReportVersion(
        cluster_id=engagement.cluster_id,
        engagement_id=engagement.id,
        number=number,
        based_on=number - 1 if number > 1 else None,
        content=content.to_json(),
        as_of="{}",
        change_summary=summary,
        created_by_label="Report worker",
        delivered_at=utcnow() if delivered else None,
    )
    if rendered:
        version.pdf_name = f"engagement-{engagement.id}/report-v{number}.pdf"
        version.pdf_sha256 = "0" * 64
        version.pdf_size = 1
        version.pdf_pages = 1
        version.rendered_at = utcnow()
    db.session.add(version)
    db.session.commit()
    return version
