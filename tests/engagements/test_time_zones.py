"""Each cluster's time zone: entered, shown and sent in its wall-clock time (issue 10, case 10)."""

from __future__ import annotations

from datetime import datetime, UTC

from icalendar import Calendar
from sqlalchemy import select

from core.api import db
from core.clusters.models import Cluster
from core.clusters.time_zones import default_zone
from engagements.models import Engagement
from tests.engagements.conftest import paid_by_invoice
from tests.factories import create_cluster, create_user, login, manager_of

PROFILE = {"name": "Aerospace Valley", "country": "France", "region": "Occitanie", "stage": "mature"}


_paid = paid_by_invoice


def _schedule(client, engagement_id: int, date: str, time: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/console/engagements/{engagement_id}/schedule",
        data={"date": date, "time": time, "minutes": "360", "location": "Toulouse"},
    )


def _stored(engagement_id: int) -> datetime:
    db.session.expire_all()
    return db.session.get(Engagement, engagement_id).scheduled_for


def test_the_zone_defaults_from_the_country_and_managers_can_change_it(client):  # type: ignore[no-untyped-def]
    assert default_zone("France") == "Europe/Paris" and default_zone(" germany ") == "Europe/Berlin"
    assert default_zone("Atlantis") == "UTC"
    user = create_user()
    login(client, user)
    created = client.post("/clusters/new", data={**PROFILE, "organisation_name": "AV", "organisation_type": "intermediary"})
    assert created.status_code == 302
    cluster = db.session.execute(select(Cluster).where(Cluster.name == "Aerospace Valley")).scalar_one()
    assert cluster.time_zone == "Europe/Paris"
    settings = client.get(f"/clusters/{cluster.id}/settings").get_data(as_text=True)
    assert "Time zone" in settings and '<option selected value="Europe/Paris">' in settings
    bad = client.post(f"/clusters/{cluster.id}/settings", data={**PROFILE, "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    client.post(f"/clusters/{cluster.id}/settings", data={**PROFILE, "time_zone": "Atlantic/Canary"})
    db.session.expire_all()
    assert db.session.get(Cluster, cluster.id).time_zone == "Atlantic/Canary"
    assert create_cluster().time_zone == "Europe/Paris"  # the test factory's clusters are French


def test_a_toulouse_workshop_is_entered_shown_and_sent_in_paris_time(client, cluster, workshop, mail):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    consultant = create_user(is_consultant=True)
    login(client, consultant)
    form = client.get(f"/console/engagements/{engagement.id}").get_data(as_text=True)
    assert "Start time (Europe/Paris)" in form
    assert _schedule(client, engagement.id, "2027-01-12", "09:00").status_code == 303
    assert _stored(engagement.id) == datetime(2027, 1, 12, 8, tzinfo=UTC)
    console_page = client.get(f"/console/engagements/{engagement.id}").get_data(as_text=True)
    assert "Tuesday 12 January 2027, 09:00 (Europe/Paris, CET)" in console_page
    assert 'value="09:00"' in console_page  # the form is prefilled in wall-clock time too
    assert "Tuesday 12 January 2027, 09:00 (Europe/Paris, CET)" in client.get("/console/engagements/").get_data(as_text=True)

    ics = client.get(f"/console/engagements/{engagement.id}/calendar.ics").data
    assert b"DTSTART;TZID=Europe/Paris:20270112T090000" in ics
    assert b"DTEND;TZID=Europe/Paris:20270112T150000" in ics
    cal = Calendar.from_ical(ics)
    vtimezones = cal.walk("VTIMEZONE")
    assert [str(tz["tzid"]) for tz in vtimezones] == ["Europe/Paris"]

    client.post("/logout")
    login(client, manager_of(cluster))
    page = client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").get_data(as_text=True)
    assert "Tuesday 12 January 2027, 09:00 (Europe/Paris, CET)" in page and "08:00 UTC" not in page
    email = next(m for m in mail.to(manager_of(cluster).email) if "Date fixed" in m["Subject"])
    assert "09:00 (Europe/Paris, CET)" in email.get_body(("plain",)).get_content()


def test_a_workshop_moved_across_the_dst_change_keeps_its_wall_clock_time(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    _schedule(client, engagement.id, "2027-03-26", "09:00")  # Friday before clocks go forward (28 March)
    assert _stored(engagement.id) == datetime(2027, 3, 26, 8, tzinfo=UTC)
    _schedule(client, engagement.id, "2027-04-02", "09:00")  # one week later, summer time
    assert _stored(engagement.id) == datetime(2027, 4, 2, 7, tzinfo=UTC)
    ics = client.get(f"/console/engagements/{engagement.id}/calendar.ics").data
    assert b"DTSTART;TZID=Europe/Paris:20270402T090000" in ics
    page = client.get(f"/console/engagements/{engagement.id}").get_data(as_text=True)
    assert "Friday 02 April 2027, 09:00 (Europe/Paris, CEST)" in page


def test_a_time_the_clocks_skip_is_refused_with_a_message(client, cluster, workshop):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    response = _schedule(client, engagement.id, "2027-03-28", "02:30")
    assert response.status_code == 400
    assert "02:30 does not exist on 28 March 2027 in Europe/Paris" in response.get_data(as_text=True)
    assert _stored(engagement.id) is None


def test_a_cluster_elsewhere_gets_its_own_zone(client, workshop):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    cluster.time_zone = "America/Montreal"
    db.session.commit()
    engagement = _paid(cluster, workshop)
    login(client, create_user(is_consultant=True))
    _schedule(client, engagement.id, "2027-01-12", "09:00")
    assert _stored(engagement.id) == datetime(2027, 1, 12, 14, tzinfo=UTC)
    assert b"DTSTART;TZID=America/Montreal:20270112T090000" in client.get(
        f"/console/engagements/{engagement.id}/calendar.ics"
    ).data
