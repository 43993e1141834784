"""The .ics invitation sent when a workshop date is fixed (built with ``icalendar``)."""

from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar, Event, vCalAddress, vText


def build_invitation(
    *,
    uid: str,
    sequence: int,
    title: str,
    description: str,
    start: datetime,
    minutes: int,
    location: str,
    organizer_email: str,
    attendees: list[str],
    url: str,
    cancelled: bool = False,
    time_zone: str = "UTC",
) -> bytes:
    """A METHOD:REQUEST calendar; the same UID with a higher SEQUENCE updates a moved date.

    ``cancelled`` gives the METHOD:CANCEL form (RFC 5546 §3.2.5): same UID, the
    caller's higher SEQUENCE, STATUS:CANCELLED, which removes the event from
    the attendees' calendars. Times carry ``TZID=<time_zone>`` with its VTIMEZONE
    (RFC 5545 §3.6.5), so calendars keep the wall-clock time across DST changes.
    """
    from engagements import zones

    cal = Calendar()
    cal.add("prodid", "-//Designing Clusters//Engagements//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("dtstart", zones.local(start, time_zone))
    event.add("dtend", zones.local_end(start, minutes or 60, time_zone))
    event.add("summary", title)
    event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText("Designing Clusters")
    event["organizer"] = organizer
    for email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    if time_zone != "UTC":
        cal.add_missing_timezones()
    return cal.to_ical()
