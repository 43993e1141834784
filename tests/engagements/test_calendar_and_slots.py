"""Calendar invitations, their updates and cancellations; consultants' slots (issue 10, cases 7, 8, 9)."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from core.api import db, utcnow
from engagements import availability, effects
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor
from engagements.models import AvailabilitySlot
from tests.engagements.conftest import book, paid_by_invoice
from tests.factories import create_user, login, manager_of


_paid = paid_by_invoice


def _calendars(mail, address: str) -> list[Calendar]:  # type: ignore[no-untyped-def]
    found = []
    for message in mail.to(address):
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                found.append(Calendar.from_ical(part.get_payload(decode=True)))
    return found


def _event(cal: Calendar):  # type: ignore[no-untyped-def]
    return cal.walk("VEVENT")[0]


def _schedule(client, engagement_id: int, date: str, location: str = "Lyon", time: str = "09:30"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/console/engagements/{engagement_id}/schedule",
        data={"date": date, "time": time, "minutes": "360", "location": location},
    )


def test_every_change_is_an_update_and_cancelling_withdraws_the_event_for_everyone(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    manager, consultant = manager_of(cluster), create_user(is_consultant=True)
    login(client, consultant)
    assert _schedule(client, engagement.id, "2027-03-09").status_code == 303
    assert _schedule(client, engagement.id, "2027-03-16").status_code == 303  # moved
    assert _schedule(client, engagement.id, "2027-03-16", location="Toulouse").status_code == 303  # new place
    client.post("/logout")
    login(client, manager)
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})

    for address in (manager.email, consultant.email):
        mail.wait_for(address, 4)
        cals = _calendars(mail, address)
        assert [str(c["method"]) for c in cals] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"], address
        events = [_event(c) for c in cals]
        assert len({str(e["uid"]) for e in events}) == 1
        assert [int(e["sequence"]) for e in events] == [1, 2, 3, 4]
        assert [str(e["status"]) for e in events] == ["CONFIRMED"] * 3 + ["CANCELLED"]
        assert str(events[2]["location"]) == "Toulouse"
    assert any("Date changed" in m["Subject"] for m in mail.to(consultant.email))

    download = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}/calendar.ics")
    served = Calendar.from_ical(download.data)
    assert str(served["method"]) == "CANCEL" and str(_event(served)["status"]) == "CANCELLED"
    assert int(_event(served)["sequence"]) == 4
    client.post("/logout")
    login(client, consultant)
    console_copy = Calendar.from_ical(client.get(f"/console/engagements/{engagement.id}/calendar.ics").data)
    assert str(console_copy["method"]) == "CANCEL"


def test_refunding_a_scheduled_engagement_in_full_also_withdraws_the_event(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    from engagements.billing import refunds
    from engagements.billing.payments import lock

    engagement = _paid(cluster, workshop)
    consultant = create_user(is_consultant=True)
    login(client, consultant)
    _schedule(client, engagement.id, "2027-05-04")
    due = refunds.create_due(lock(engagement.id), 120000, Actor.system("test"), "We cannot deliver", "t")
    effects.commit()
    refunds.confirm_transfer(due.id, "T-9", Actor.system("test"))
    effects.commit()
    mail.wait_for(consultant.email, 2)
    methods = [str(c["method"]) for c in _calendars(mail, consultant.email)]
    assert methods == ["REQUEST", "CANCEL"]


def test_consultant_is_an_attendee_and_has_the_ics_in_the_console(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    consultant, other = create_user(is_consultant=True), create_user(is_consultant=True)
    login(client, consultant)
    _schedule(client, engagement.id, "2027-03-09")
    invitation = _event(_calendars(mail, consultant.email)[0])
    attendees = [str(a) for a in invitation.get("attendee")]
    assert f"mailto:{consultant.email}" in attendees and f"mailto:{manager_of(cluster).email}" in attendees
    page = client.get(f"/console/engagements/{engagement.id}").get_data(as_text=True)
    assert f"/console/engagements/{engagement.id}/calendar.ics" in page
    download = client.get(f"/console/engagements/{engagement.id}/calendar.ics")
    assert download.status_code == 200 and str(Calendar.from_ical(download.data)["method"]) == "REQUEST"
    client.post("/logout")
    login(client, other)  # not this engagement's consultant
    assert client.get(f"/console/engagements/{engagement.id}/calendar.ics").status_code == 404


def test_consultants_are_told_when_an_engagement_becomes_takeable(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    first, second = create_user(is_consultant=True), create_user(is_consultant=True)
    engagement = book(cluster, workshop)
    mail.clear()
    _paid_again = mark_paid(
        engagement.id,
        method="invoice",
        amount_minor=engagement.total_minor,
        currency="EUR",
        external_ref=f"invoice:{engagement.invoice_number}",
        actor=Actor.system("test"),
    )
    effects.commit()
    assert _paid_again.code == "processed"
    for consultant in (first, second):
        message = mail.wait_for(consultant.email, 1)[-1]
        assert message["Subject"] == f"New engagement to take: {engagement.title}"
        assert f"http://localhost/console/engagements/{engagement.id}" in message.get_body(("plain",)).get_content()


def test_slots_are_released_when_a_workshop_moves_or_is_cancelled(client, cluster, workshop):  # type: ignore[no-untyped-def]
    consultant = create_user(is_consultant=True, display_name="Carla")
    engagement = _paid(cluster, workshop)
    base = (utcnow() + timedelta(days=40)).replace(hour=9, minute=0, second=0, microsecond=0)
    first = availability.add(consultant.id, base, 360, "")
    second = availability.add(consultant.id, base + timedelta(days=7), 360, "")
    login(client, consultant)
    db.session.expire_all()
    when = db.session.get(AvailabilitySlot, first.id).starts_at

    from engagements import console

    console.schedule(engagement.id, when, 360, "Lyon", Actor(consultant.id, consultant.email))
    assert [s.id for s in availability.open_slots()] == [second.id]
    console.schedule(engagement.id, when + timedelta(days=7), 360, "Lyon", Actor(consultant.id, consultant.email))
    db.session.expire_all()
    holders = dict(db.session.execute(select(AvailabilitySlot.id, AvailabilitySlot.engagement_id)).all())
    assert holders == {first.id: None, second.id: engagement.id}  # moving frees the old slot
    assert [s.id for s in availability.open_slots()] == [first.id]

    client.post("/logout")
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/engagements/{engagement.id}/cancel", data={"confirm": "y"})
    assert [s.id for s in availability.open_slots()] == [first.id, second.id]
    page = client.get(f"/clusters/{cluster.id}/engagements/book").get_data(as_text=True)
    assert page.count("with Carla") == 2  # both offered again when booking
