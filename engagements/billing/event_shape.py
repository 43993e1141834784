"""The shape a verified Stripe event must have before we store or apply it.

A signed body is authentic, not necessarily well formed (a test tool, an API
version we do not expect): ``data`` and ``data.object`` must be objects and the
id must fit its column and hold no control characters. Anything else answers
400 and writes nothing, instead of failing half-way (a 500 Stripe retries).
"""

from __future__ import annotations

from typing import Any

from core.api import has_control_characters

MAX_EVENT_ID_LENGTH = 255  # engagements_webhook_events.stripe_event_id
MAX_TYPE_LENGTH = 100


class MalformedEvent(ValueError):
    """A signed webhook body that is not a Stripe event we can store."""


def check_event_shape(event: Any) -> dict[str, Any]:
    """Return ``event`` unchanged when well formed; raise ``MalformedEvent`` naming the problem."""
    if not isinstance(event, dict):
        raise MalformedEvent("body is not a JSON object")
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID_LENGTH:
        raise MalformedEvent("event id is missing or longer than 255 characters")
    if not isinstance(event_type, str) or not 0 < len(event_type) <= MAX_TYPE_LENGTH:
        raise MalformedEvent("event type is missing or too long")
    if has_control_characters(event_id) or has_control_characters(event_type):
        raise MalformedEvent("event id or type holds control characters")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise MalformedEvent("data and data.object must be JSON objects")
    return event
