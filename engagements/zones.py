"""Workshop times in the cluster's time zone: entered, shown and sent in its wall-clock time.

Dates are stored in UTC; the zone (an IANA name such as ``Europe/Paris``) is the
cluster's, copied onto the engagement when its date is fixed. Converting each
date with its own UTC offset keeps the wall-clock time across daylight-saving
changes: 09:00 in Toulouse is 08:00 UTC in March and 07:00 UTC in April.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.api import cluster_time_zones, zone_info as zone



class NoSuchLocalTime(ValueError):
    """The wall-clock time is skipped on that day (clocks go forward); the message is shown."""


def cluster_zone(cluster_id: int) -> str:
    """The IANA name of a cluster's zone (``UTC`` if unknown)."""
    return cluster_time_zones([cluster_id]).get(cluster_id) or "UTC"


def to_utc(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of ``day wall`` in ``zone_name``.

    Raises ``NoSuchLocalTime`` for a time the clocks skip. An hour that occurs
    twice (clocks go back) means its first occurrence.
    """
    tz = zone(zone_name)
    local = datetime.combine(day, wall.replace(tzinfo=None), tzinfo=tz)
    instant = local.astimezone(UTC)
    back = instant.astimezone(tz)
    if (back.date(), back.time().replace(tzinfo=None)) != (day, wall.replace(tzinfo=None)):
        raise NoSuchLocalTime(
            f"{wall:%H:%M} does not exist on {day:%d %B %Y} in {zone_name} (the clocks change); choose another time."
        )
    return instant


def local(instant: datetime, zone_name: str) -> datetime:
    """A stored UTC instant as an aware datetime in the zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone(zone_name))


def local_end(instant: datetime, minutes: int, zone_name: str) -> datetime:
    """The end in wall-clock time: a 6-hour workshop from 09:00 ends at 15:00 even on a DST night."""
    start = local(instant, zone_name)
    return start + timedelta(minutes=minutes)  # aware arithmetic with ZoneInfo keeps wall-clock time


def label(instant: datetime, zone_name: str, pattern: str = "%A %d %B %Y, %H:%M") -> str:
    """``Tuesday 09 March 2027, 09:30 (Europe/Paris, CET)``: always says which zone."""
    moment = local(instant, zone_name)
    abbreviation = moment.tzname() or ""
    suffix = zone_name if abbreviation in ("", zone_name) else f"{zone_name}, {abbreviation}"
    return f"{moment.strftime(pattern)} ({suffix})"
