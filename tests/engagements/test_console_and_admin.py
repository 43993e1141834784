"""Consultant console and admin pages: assignment, scheduling with .ics, messages, catalogue, refunds."""

from __future__ import annotations

import io

from icalendar import Calendar
from sqlalchemy import func, select

from core.api import db
from engagements import effects
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor
from engagements.models import Engagement, LedgerEntry, Message, MessageAttachment, Service
from tests.engagements.conftest import book, paid_by_invoice
from tests.factories import create_user, login, manager_of


_paid = paid_by_invoice


def _state(engagement_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Engagement, engagement_id).state


def test_consultant_takes_unassigned_work_and_a_second_consultant_cannot(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    first, second = create_user(is_consultant=True), create_user(is_consultant=True)
    login(client, first)
    assert f"/console/engagements/{engagement.id}" in client.get("/console/engagements/").get_data(
        as_text=True
    )
    assert client.post(f"/console/engagements/{engagement.id}/take").status_code == 303
    client.post("/logout")
    login(client, second)
    assert client.get(f"/console/engagements/{engagement.id}").status_code == 404
    assert client.post(f"/console/engagements/{engagement.id}/take").status_code == 404
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).consultant_id == first.id


def test_admin_assigns_anyone(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    consultant = create_user(is_consultant=True)
    login(client, create_user(is_admin=True))
    assert (
        client.post(
            f"/console/engagements/{engagement.id}/assign", data={"consultant_id": consultant.id}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).consultant_id == consultant.id


def test_scheduling_sends_an_ics_invitation_and_the_cluster_sees_the_date(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    response = client.post(
        f"/console/engagements/{engagement.id}/schedule",
        data={"date": "2027-03-09", "time": "09:30", "minutes": "360", "location": "Lyon"},
    )
    assert response.status_code == 303
    assert _state(engagement.id) == "scheduled"
    manager = manager_of(cluster)
    mail.wait_for(manager.email, 3)  # requested, paid, scheduled
    message = next(m for m in mail.to(manager.email) if "Date fixed" in m["Subject"])
    ics = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    # entered and sent in the cluster's zone (a French cluster: Europe/Paris, UTC+1 in March)
    assert event["dtstart"].dt.isoformat() == "2027-03-09T09:30:00+01:00"
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert (
        f"mailto:{manager.email}" in [str(a) for a in event.get("attendee")]
        or str(event.get("attendee")) == f"mailto:{manager.email}"
    )
    client.post("/logout")
    login(client, manager)
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").get_data(as_text=True)
    assert "Tuesday 09 March 2027, 09:30 (Europe/Paris, CET)" in page
    download = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/calendar.ics")
    assert download.status_code == 200 and b"BEGIN:VCALENDAR" in download.data


def test_invalid_schedule_is_shown_again(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    response = client.post(
        f"/console/engagements/{engagement.id}/schedule", data={"date": "", "time": "09:30", "minutes": "5"}
    )
    assert response.status_code == 400 and "Choose a date." in response.get_data(as_text=True)
    assert _state(engagement.id) == "paid"


def test_delivery_steps_follow_the_lifecycle(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    login(client, create_user(is_consultant=True))
    assert client.post(f"/console/engagements/{engagement.id}/advance/deliver").status_code == 303
    assert _state(engagement.id) == "paid"  # not allowed from paid: nothing changed
    for action, state in (("start", "in_delivery"), ("deliver", "delivered"), ("close", "closed")):
        client.post(f"/console/engagements/{engagement.id}/advance/{action}")
        assert _state(engagement.id) == state


def test_messages_notify_the_other_side_and_attachments_are_limited(client, cluster, review, mail, app):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    consultant = create_user(is_consultant=True)
    login(client, consultant)
    client.post(f"/console/engagements/{engagement.id}/take")
    response = client.post(
        f"/console/engagements/{engagement.id}/messages",
        data={
            "body": "Here is the agenda <b>draft</b>",
            "files": [(io.BytesIO(b"%PDF-1.4 agenda"), "agenda.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    mail.wait_for(manager_of(cluster).email, 3)
    refused = client.post(
        f"/console/engagements/{engagement.id}/messages",
        data={"body": "Script", "files": [(io.BytesIO(b"MZ..."), "tool.exe")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400 and "only these types" in refused.get_data(as_text=True)
    fake = client.post(
        f"/console/engagements/{engagement.id}/messages",
        data={"body": "Fake", "files": [(io.BytesIO(b"not a pdf"), "x.pdf")]},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 400
    assert db.session.execute(select(func.count(Message.id))).scalar_one() == 1
    client.post("/logout")
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").get_data(as_text=True)
    assert "&lt;b&gt;draft&lt;/b&gt;" in page
    attachment = db.session.execute(select(MessageAttachment)).scalar_one()
    download = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 agenda"
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/messages", data={"body": "Thanks!"})
    mail.wait_for(consultant.email, 1)


def test_oversized_attachment_is_refused(client, cluster, review, app):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    login(client, create_user(is_consultant=True))
    app.config["ENGAGEMENTS_MAX_ATTACHMENT_BYTES"] = 1024
    try:
        response = client.post(
            f"/console/engagements/{engagement.id}/messages",
            data={"body": "Big", "files": [(io.BytesIO(b"a" * 2048), "notes.txt")]},
            content_type="multipart/form-data",
        )
    finally:
        app.config.pop("ENGAGEMENTS_MAX_ATTACHMENT_BYTES")
    assert response.status_code == 400 and "at most" in response.get_data(as_text=True)


def test_admin_marks_an_invoice_paid_once_and_the_receipt_exists(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    login(client, create_user(is_admin=True))
    for _ in range(2):
        client.post(f"/admin/engagements/{engagement.id}/mark-paid", data={"reference": "BANK-42"})
    assert _state(engagement.id) == "paid"
    entry = db.session.execute(select(LedgerEntry)).scalar_one()
    assert entry.receipt_number.startswith("RCT-")
    client.post("/logout")
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/receipts/{entry.id}")
    assert page.status_code == 200 and entry.receipt_number in page.get_data(as_text=True)
    pdf = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/receipts/{entry.id}.pdf")
    assert pdf.data.startswith(b"%PDF")


def test_admin_partial_refund_through_stripe_is_idempotent(client, cluster, workshop, stripe_stand_in):  # type: ignore[no-untyped-def]
    from engagements.billing import checkout

    engagement = book(cluster, workshop, method="card", card_enabled=True)
    manager = manager_of(cluster)
    checkout.start(engagement.id, Actor(manager.id, manager.email), manager.email)
    db.session.expire_all()
    session_id = db.session.get(Engagement, engagement.id).checkout_session_id
    evt = stripe_stand_in.pay(session_id)
    from tests.engagements.support import body, sign

    payload = body(evt)
    client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": sign(payload)})
    login(client, create_user(is_admin=True))
    form = {"amount": "300", "reason": "Half day shorter", "nonce": "abc123", "confirmed": "yes"}
    assert client.post(f"/admin/engagements/{engagement.id}/refund", data=form).status_code == 303
    assert (
        client.post(f"/admin/engagements/{engagement.id}/refund", data=form).status_code == 303
    )  # double click
    refunds = (
        db.session.execute(select(LedgerEntry.amount_minor).where(LedgerEntry.kind == "refund"))
        .scalars()
        .all()
    )
    assert refunds == [30000]
    assert _state(engagement.id) == "paid"
    too_much = client.post(
        f"/admin/engagements/{engagement.id}/refund",
        data={"amount": "5000", "reason": "x", "nonce": "def456", "confirmed": "yes"},
    )
    assert too_much.status_code == 400 and "more than what remains" in too_much.get_data(as_text=True)
    rest = client.post(
        f"/admin/engagements/{engagement.id}/refund",
        data={"amount": "900", "reason": "Cancelled by us", "nonce": "ghi789", "confirmed": "yes"},
    )
    assert rest.status_code == 303 and _state(engagement.id) == "refunded"
    ledger = client.get("/admin/engagements/ledger").get_data(as_text=True)
    assert "-€300.00" in ledger and "€1,200.00" in ledger
    log = client.get("/admin/engagements/webhooks").get_data(as_text=True)
    assert "checkout.session.completed" in log and "processed" in log


def test_admin_catalogue_create_edit_retire_keeps_history(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = book(cluster, workshop)
    login(client, create_user(is_admin=True))
    bad = client.post(
        "/admin/engagements/services/new",
        data={
            "title": "X",
            "summary": "Y",
            "duration": "1 day",
            "price": "abc",
            "currency": "EUR",
            "vat_rate": "20",
            "cancellation_policy": "14:100",
            "sort_order": "1",
        },
    )
    assert bad.status_code == 400 and "Enter an amount" in bad.get_data(as_text=True)
    created = client.post(
        "/admin/engagements/services/new",
        data={
            "title": "Governance clinic",
            "summary": "Two hours on governance",
            "duration": "2 hours",
            "price": "750",
            "currency": "EUR",
            "vat_rate": "20",
            "cancellation_policy": "7:100",
            "sort_order": "5",
            "kind": "report",
        },
    )
    assert created.status_code == 303
    clinic = db.session.execute(select(Service).where(Service.slug == "governance-clinic")).scalar_one()
    assert clinic.price_minor == 75000 and clinic.kind == "report"
    client.post(
        f"/admin/engagements/services/{workshop.id}/edit",
        data={
            "title": workshop.title,
            "summary": "s",
            "duration": "1 day",
            "price": "2000",
            "currency": "EUR",
            "vat_rate": "20",
            "cancellation_policy": "14:100,3:50",
            "sort_order": "1",
            "kind": "workshop",
        },
    )
    client.post(f"/admin/engagements/services/{workshop.id}/retire")
    public = client.get("/services/").get_data(as_text=True)
    assert "Governance clinic" in public and f'href="/services/{workshop.slug}"' not in public
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).total_minor == 120000  # booked price kept
    assert client.get(f"/services/{workshop.slug}").status_code == 404


def test_consultant_availability_is_offered_when_booking_and_taken_when_scheduled(client, cluster, workshop):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from core.api import utcnow
    from engagements.models import AvailabilitySlot

    day = (utcnow() + timedelta(days=30)).date()
    consultant = create_user(is_consultant=True, display_name="Carla")
    login(client, consultant)
    past = client.post(
        "/console/engagements/availability", data={"date": "2020-01-01", "time": "09:00", "minutes": "240"}
    )
    assert past.status_code == 400 and "future" in past.get_data(as_text=True)
    client.post(
        "/console/engagements/availability",
        data={"date": day.isoformat(), "time": "09:00", "time_zone": "Europe/Paris", "minutes": "240", "note": "On site"},
    )
    slot = db.session.execute(select(AvailabilitySlot)).scalar_one()
    client.post("/logout")

    manager = manager_of(cluster)
    login(client, manager)
    page = client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    abbreviation = datetime.combine(day, time(9), tzinfo=ZoneInfo("Europe/Paris")).tzname()
    # shown in the cluster's zone (a French cluster), labelled
    assert f"{day:%a %d %b %Y}, 09:00 (Europe/Paris, {abbreviation}), 4 h with Carla" in page
    client.post(
        f"/clusters/{cluster.id}/engagements/book",
        data={
            "service_id": workshop.id,
            "goals": "Plan",
            "payment_method": "invoice",
            "slot_ids": [slot.id],
            "buyer_name": "Office",
            "buyer_address": "Street",
        },
    )
    engagement = db.session.execute(select(Engagement)).scalar_one()
    assert f"{day:%a %d %b %Y}" in engagement.preferred_dates
    mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency="EUR",
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    client.post("/logout")

    login(client, consultant)
    client.post(
        f"/console/engagements/{engagement.id}/schedule",
        data={"date": day.isoformat(), "time": "09:00", "minutes": "240", "location": "Lyon"},
    )
    db.session.expire_all()
    assert db.session.get(AvailabilitySlot, slot.id).engagement_id == engagement.id
    assert client.post(f"/console/engagements/availability/{slot.id}/delete").status_code == 303
    assert db.session.get(AvailabilitySlot, slot.id) is not None  # booked slots stay


def test_a_date_in_the_past_is_refused_and_moves_are_in_the_timeline(client, cluster, workshop):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from core.api import utcnow
    from engagements.models import Transition

    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    past = client.post(
        f"/console/engagements/{engagement.id}/schedule",
        data={"date": "2020-01-01", "time": "10:00", "minutes": "180", "location": "Lyon"},
    )
    assert past.status_code == 400 and "Choose a date in the future" in past.get_data(as_text=True)
    assert _state(engagement.id) == "paid"
    for days in (30, 40):
        day = (utcnow() + timedelta(days=days)).date().isoformat()
        answer = client.post(
            f"/console/engagements/{engagement.id}/schedule",
            data={"date": day, "time": "10:00", "minutes": "180", "location": "Lyon"},
        )
        assert answer.status_code == 303
    reasons = [t.reason for t in db.session.execute(
        select(Transition).where(Transition.engagement_id == engagement.id).order_by(Transition.id)
    ).scalars()]
    assert any(r.startswith("Date fixed") for r in reasons) and any(r.startswith("Date moved to") for r in reasons)


def test_a_price_too_large_for_the_ledger_is_a_form_error(client):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    response = client.post(
        "/admin/engagements/services/new",
        data={"title": "Huge", "summary": "s", "duration": "1 day", "price": "99999999999999999", "currency": "EUR",
              "vat_rate": "20", "cancellation_policy": "14:100", "sort_order": "1", "kind": "workshop"},
    )
    assert response.status_code == 400 and "too large" in response.get_data(as_text=True)


def test_the_admin_engagement_list_pages_instead_of_hiding_older_bookings(client, cluster, workshop, monkeypatch):  # type: ignore[no-untyped-def]
    from engagements.views import admin as admin_views

    monkeypatch.setattr(admin_views, "PAGE_SIZE", 2)
    booked = [book(cluster, workshop) for _ in range(5)]
    login(client, create_user(is_admin=True))
    seen: list[int] = []
    page, url = 1, "/admin/engagements/"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += [e.id for e in booked if f'/admin/engagements/{e.id}"' in html]
        page += 1
        url = f"/admin/engagements/?page={page}" if 'rel="next"' in html else ""
    assert sorted(seen) == sorted(e.id for e in booked) and page == 4


def test_the_stripe_events_page_marks_its_filter_and_refuses_unknown_ones(client):  # type: ignore[no-untyped-def]
    login(client, create_user(is_admin=True))
    page = client.get("/admin/engagements/webhooks?result=failed").get_data(as_text=True)
    assert 'aria-current="page">Failed</a>' in page and "No events with this result" in page
    assert page.count(">Payments ledger</a>") == 1  # one navigation, not two stacked
    assert client.get("/admin/engagements/webhooks?result=<script>").status_code == 400
