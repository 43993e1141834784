"""Start-up warnings for a deployment that is not safe yet.

The embedded default (no ``DATABASE_URL``) is a local try-out and may run
without these; any other deployment needs all four, or links, sessions and
mail are open to the attacks the README's production notes describe.
"""

from __future__ import annotations

import logging
from ipaddress import ip_address
from typing import Any, Mapping
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


def _is_local(host: str | None) -> bool:
    if not host or host == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def unsafe_settings(config: Mapping[str, Any]) -> list[str]:
    """What a non-embedded deployment lacks, one sentence each; [] when safe or embedded."""
    if config.get("EMBEDDED_DEFAULT"):
        return []
    problems = []
    if _is_local(urlsplit(config.get("BASE_URL", "")).hostname):
        problems.append("BASE_URL is not set to the public address: links in emails will point to this machine.")
    if not config.get("TRUSTED_HOSTS") or all(_is_local(h) for h in config["TRUSTED_HOSTS"]):
        problems.append("TRUSTED_HOSTS names no public host: set it (or BASE_URL) so forged Host headers are refused.")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off: session cookies would also travel over plain HTTP.")
    if not config.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER is not set: mail stays in the outbox and users get no reset or invitation links.")
    return problems


def warn_about_unsafe_settings(config: Mapping[str, Any]) -> None:
    for problem in unsafe_settings(config):
        log.warning("unsafe deployment setting: %s See README, 'Production notes'.", problem)
