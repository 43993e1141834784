"""Brief specs in a few lines: a paid workshop with its consultant, a stored brief version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.api import db
from engagements import effects
from engagements.billing.payments import mark_paid
from engagements.briefs import content as brief_content
from engagements.briefs.draft import AgendaItem, BriefDraft, TimetableSlot
from engagements.briefs.models import BriefVersion
from engagements.lifecycle import Actor, transition
from engagements.models import Engagement, Service
from tests.engagements.conftest import book
from tests.engagements.factories import create_service
from tests.factories import create_cluster, create_user


def workshop_service() -> Service:
    existing = db.session.execute(select(Service).where(Service.kind == "workshop")).scalars().first()
    return existing or create_service()


def paid_workshop(cluster=None, consultant=None, *, via_payment: bool = False) -> Engagement:  # type: ignore[no-untyped-def]
    """A workshop booked by invoice and paid, ``consultant`` assigned (created if None).

    ``via_payment`` records the transfer through ``mark_paid`` (which queues the brief's
    draft: in eager mode it runs at the commit); otherwise a bare transition (no job)."""
    cluster = cluster or create_cluster()
    engagement = book(cluster, workshop_service())
    if via_payment:
        mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
                  external_ref=f"invoice:{engagement.invoice_number}", actor=Actor.system("test"))
        effects.commit()
    else:
        assert transition(engagement.id, "awaiting_payment", "paid", Actor.system("test"), "Bank transfer received")
    consultant = consultant or create_user(is_consultant=True, display_name="Camille Consultant")
    engagement = db.session.get(Engagement, engagement.id)
    engagement.consultant_id = consultant.id
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id)


def sample_draft(**overrides: Any) -> BriefDraft:
    items = (
        AgendaItem("canvas:vp", "Value propositions", "Which offer comes first?", "<svg role='img'></svg>",
                   "Universities rate it lower", "Dot voting in mixed groups", 45, "One offer for 2027",
                   source="canvas", about="canvas:element:value_propositions", measure="agreement 38 %", people=12),
        AgendaItem("innovativeness:D9", "Open innovation", "How open should projects be?", "", "SMEs stand apart",
                   "Fishbowl", 40, "A rule for shared IP", source="innovativeness",
                   about="innovativeness:driver:D9", measure="IQR 2 points", people=15),
        AgendaItem("sample:s1", "Events", "Fewer, larger events?", "", "", "Pairs", 30, "An events plan",
                   source="sample", about="sample:events", people=8),
    )
    values: dict[str, Any] = {
        "goals": "Sharper member offer", "items": items, "participants": (), "length_minutes": 240,
        "timetable": (TimetableSlot(0, 15, "Welcome"),), "considered": 5,
    }
    return BriefDraft(**{**values, **overrides})


def add_brief_version(engagement: Engagement, draft: BriefDraft | None = None, *, state: str = "draft",
                      number: int | None = None) -> BriefVersion:
    """Insert a version directly, as the worker's draft would."""
    from engagements.briefs.versions import next_number

    version = BriefVersion(
        cluster_id=engagement.cluster_id, engagement_id=engagement.id,
        number=number or next_number(engagement.id), content=brief_content.to_json(draft or sample_draft()),
        change_summary="Drafted by the worker", state=state, created_by_label="Brief worker",
    )
    if state == "shared":
        from core.api import utcnow

        version.shared_at = utcnow()
    db.session.add(version)
    db.session.commit()
    return version
