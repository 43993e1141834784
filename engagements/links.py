"""Absolute links for emails and Stripe return URLs: core's one helper.

Kept as a name for this package's callers; the helper itself is
``core.api.absolute_url`` (built from ``BASE_URL``, never the request host).
"""

from __future__ import annotations

from core.api import absolute_url as absolute

__all__ = ["absolute"]
