"""Each cluster's IANA time zone: a default from its country, and the list to choose from.

Times of workshops are entered and shown in the cluster's zone. The default
covers countries with one zone for their mainland (the EU and its neighbours,
where the platform sells); others start at UTC until a manager picks their zone.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "UTC"

#: Country name (English, as typed in the cluster profile, lower case) or ISO code -> IANA zone.
COUNTRY_ZONES: dict[str, str] = {
    "austria": "Europe/Vienna", "at": "Europe/Vienna",
    "belgium": "Europe/Brussels", "be": "Europe/Brussels",
    "bulgaria": "Europe/Sofia", "bg": "Europe/Sofia",
    "croatia": "Europe/Zagreb", "hr": "Europe/Zagreb",
    "cyprus": "Asia/Nicosia", "cy": "Asia/Nicosia",
    "czechia": "Europe/Prague", "czech republic": "Europe/Prague", "cz": "Europe/Prague",
    "denmark": "Europe/Copenhagen", "dk": "Europe/Copenhagen",
    "estonia": "Europe/Tallinn", "ee": "Europe/Tallinn",
    "finland": "Europe/Helsinki", "fi": "Europe/Helsinki",
    "france": "Europe/Paris", "fr": "Europe/Paris",
    "germany": "Europe/Berlin", "de": "Europe/Berlin",
    "greece": "Europe/Athens", "gr": "Europe/Athens",
    "hungary": "Europe/Budapest", "hu": "Europe/Budapest",
    "ireland": "Europe/Dublin", "ie": "Europe/Dublin",
    "italy": "Europe/Rome", "it": "Europe/Rome",
    "latvia": "Europe/Riga", "lv": "Europe/Riga",
    "lithuania": "Europe/Vilnius", "lt": "Europe/Vilnius",
    "luxembourg": "Europe/Luxembourg", "lu": "Europe/Luxembourg",
    "malta": "Europe/Malta", "mt": "Europe/Malta",
    "netherlands": "Europe/Amsterdam", "the netherlands": "Europe/Amsterdam", "nl": "Europe/Amsterdam",
    "poland": "Europe/Warsaw", "pl": "Europe/Warsaw",
    "portugal": "Europe/Lisbon", "pt": "Europe/Lisbon",
    "romania": "Europe/Bucharest", "ro": "Europe/Bucharest",
    "slovakia": "Europe/Bratislava", "sk": "Europe/Bratislava",
    "slovenia": "Europe/Ljubljana", "si": "Europe/Ljubljana",
    "spain": "Europe/Madrid", "es": "Europe/Madrid",
    "sweden": "Europe/Stockholm", "se": "Europe/Stockholm",
    "norway": "Europe/Oslo", "no": "Europe/Oslo",
    "iceland": "Atlantic/Reykjavik", "is": "Atlantic/Reykjavik",
    "switzerland": "Europe/Zurich", "ch": "Europe/Zurich",
    "united kingdom": "Europe/London", "uk": "Europe/London", "gb": "Europe/London",
    "serbia": "Europe/Belgrade", "rs": "Europe/Belgrade",
    "ukraine": "Europe/Kyiv", "ua": "Europe/Kyiv",
    "turkey": "Europe/Istanbul", "türkiye": "Europe/Istanbul", "tr": "Europe/Istanbul",
    "israel": "Asia/Jerusalem", "il": "Asia/Jerusalem",
    "japan": "Asia/Tokyo", "jp": "Asia/Tokyo",
    "india": "Asia/Kolkata", "in": "Asia/Kolkata",
    "south africa": "Africa/Johannesburg", "za": "Africa/Johannesburg",
}


def default_zone(country: str | None) -> str:
    """The zone for a country name or ISO code; ``UTC`` when the country has none or several."""
    return COUNTRY_ZONES.get((country or "").strip().lower(), DEFAULT_ZONE)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this system knows, sorted (from ``zoneinfo``/tzdata)."""
    return tuple(sorted(available_timezones() | {DEFAULT_ZONE}))


def is_zone(name: str) -> bool:
    return name in zone_names()


def zone(name: str | None) -> ZoneInfo:
    """The ``ZoneInfo`` for a stored name; unknown names (a removed zone) fall back to UTC."""
    return ZoneInfo(name if name and is_zone(name) else DEFAULT_ZONE)
