"""The data behind bench_pages: a small and a large cluster seen by every persona.

Small: 5 members, a canvas of 3 notes, a round of 5 respondents, one engagement.
Large: 500 members, a canvas of 300 notes, a round of 500, one engagement; its round of 1,000
respondents lives in a third cluster of 1,002 members (a round needs one member per
respondent). A consultant holds the engagements (and so read access to their
clusters); an admin reads the admin lists. Everyone shares one password.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow

PASSWORD = "benchmark passphrase 2026"  # noqa: S105 - a bench account on a throw-away database
TYPES = ["sme", "large_firm", "startup", "university", "research_institute", "public_authority", "intermediary", "investor"]


@dataclass
class SeededCluster:
    id: int
    manager_email: str
    member_ids: list[int]
    member_types: list[str]
    canvas_id: int = 0
    round_id: int = 0
    engagement_id: int = 0


@dataclass
class Seeded:
    small: SeededCluster
    large: SeededCluster
    round_large: SeededCluster
    consultant_email: str
    admin_email: str
    extra: dict[str, int] = field(default_factory=dict)


def _cluster(name: str, members: int, password_hash: str) -> SeededCluster:
    cluster = Cluster(name=name, country="France")
    db.session.add(cluster)
    db.session.flush()
    users = [User(email=f"m{i}-{cluster.id}@bench.example", password_hash=password_hash, email_verified_at=utcnow())
             for i in range(members)]
    db.session.add_all(users)
    db.session.flush()
    types = [TYPES[i % len(TYPES)] for i in range(members)]
    db.session.add_all([
        Membership(cluster_id=cluster.id, user_id=u.id, role="manager" if i == 0 else "member",
                   organisation_name=f"Org {i}", organisation_type=types[i])
        for i, u in enumerate(users)
    ])
    db.session.flush()
    return SeededCluster(cluster.id, users[0].email, [u.id for u in users], types)


def _canvas(target: SeededCluster, notes: int) -> None:
    from plugins.canvas.elements import framework
    from plugins.canvas.models import Canvas, Note, Vote

    canvas = Canvas(cluster_id=target.id, title="As-is 2026", framework_version=framework().version)
    db.session.add(canvas)
    db.session.flush()
    keys = framework().keys
    authors = len(target.member_ids)
    rows = [
        Note(cluster_id=target.id, canvas_id=canvas.id, element=keys[n % len(keys)],
             text=f"Note {n}: members share a test bench and pool skills for joint projects",
             explanation="Longer reasoning " * 5, author_id=target.member_ids[n % authors],
             author_org_type=target.member_types[n % authors])
        for n in range(notes)
    ]
    db.session.add_all(rows)
    db.session.flush()
    votes = []
    for n, note in enumerate(rows):
        for v in range(1, 4):  # three votes a note, never by its author
            voter = (n + v) % authors
            if target.member_ids[voter] != note.author_id:
                votes.append(Vote(cluster_id=target.id, canvas_id=canvas.id, note_id=note.id,
                                  user_id=target.member_ids[voter], voter_org_type=target.member_types[voter],
                                  value="disagree" if (n + v) % 4 == 0 else "agree"))
    db.session.add_all(votes)
    db.session.flush()
    target.canvas_id = canvas.id


def _round(target: SeededCluster, respondents: int) -> None:
    from sqlalchemy import select

    from plugins.innovativeness.bank import latest_bank
    from plugins.innovativeness.models import AssessmentRound, Participant

    bank = latest_bank()
    rng = random.Random(respondents)
    rnd = AssessmentRound(cluster_id=target.id, title="Bench round", bank_version=bank.version, anonymous=False,
                          closes_at=utcnow() + timedelta(days=30))
    db.session.add(rnd)
    db.session.flush()
    keys = [s.key for s in bank.statements]
    memberships = db.session.execute(
        select(Membership).where(Membership.cluster_id == target.id).order_by(Membership.id)
    ).scalars().all()
    participants = []
    for m in memberships[:respondents]:
        participant = Participant(cluster_id=target.id, round_id=rnd.id, membership_id=m.id,
                                  organisation_type=m.organisation_type, submitted_at=utcnow(),
                                  shuffle_key=secrets.token_hex(8))
        participant.set_answers({k: rng.randint(0, 5) for k in keys}, bank)
        participants.append(participant)
    db.session.add_all(participants)
    db.session.flush()
    target.round_id = rnd.id


def _engagement(target: SeededCluster, consultant_id: int, service_id: int) -> None:
    from engagements import bookings, console, effects
    from engagements.billing.payments import mark_paid
    from engagements.lifecycle import Actor

    manager = db.session.execute(db.select(User).where(User.email == target.manager_email)).scalar_one()
    engagement = bookings.book(
        target.id, Actor(manager.id, manager.email),
        bookings.BookingRequest(service_id=service_id, payment_method="invoice", goals="Sharper member offer",
                                context="", preferred_dates="", buyer_name="Cluster office",
                                buyer_address="1 Main Street\nLyon", buyer_vat_id=""),
        card_enabled=False,
    )
    mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
              external_ref=f"invoice:{engagement.invoice_number}", actor=Actor.system("bench"))
    effects.commit()
    console.assign(engagement.id, consultant_id, Actor.system("bench"), is_admin=True)
    target.engagement_id = engagement.id


def _catalogue() -> int:
    from engagements.models import SellerDetails, Service

    db.session.merge(SellerDetails(
        id=1, name="Bench Consulting SAS", address="1 Rue du Banc\n31000 Toulouse\nFrance", vat_id="FR00123456789",
        email="billing@bench.example", iban="FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP",
        payment_terms_days=30,
    ))
    service = Service(slug="workshop", title="Business model workshop", summary="A facilitated day.",
                      description="", deliverables="Workshop\nCanvas", duration="1 day", kind="workshop",
                      price_minor=100000, currency="EUR", vat_rate_bp=2000, cancellation_policy="14:100,3:50")
    db.session.add(service)
    db.session.commit()
    return service.id


def seed() -> Seeded:
    """Seed everything (inside an app context); returns ids and the personas' emails."""
    password_hash = hash_password(PASSWORD)
    staff = [User(email=email, password_hash=password_hash, email_verified_at=utcnow(), **flags)
             for email, flags in (("consultant@bench.example", {"is_consultant": True}),
                                  ("admin@bench.example", {"is_admin": True}))]
    db.session.add_all(staff)
    small = _cluster("Small cluster", 5, password_hash)
    large = _cluster("Large cluster", 500, password_hash)
    round_large = _cluster("Round cluster", 1002, password_hash)
    _canvas(small, 3)
    _canvas(large, 300)
    _round(small, 5)
    _round(large, 500)  # so both dashboards show a round
    _round(round_large, 1000)
    db.session.commit()
    service_id = _catalogue()
    _engagement(small, staff[0].id, service_id)
    _engagement(large, staff[0].id, service_id)
    db.session.commit()
    return Seeded(small, large, round_large, staff[0].email, staff[1].email)
