"""Secrets out of the logs: tokens in request paths and query strings are redacted.

Reset, verification and invitation links carry their token in the path
(``/password/reset/<token>``); access logs (Werkzeug's, gunicorn's) and our own
error lines print paths, so anyone reading the logs could use a live link.
Signed tokens (itsdangerous: segments joined by dots) and long random path
segments are replaced, as are values of query parameters named like secrets.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SIGNED_TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_\-]{10,}(?:\.[A-Za-z0-9_\-]{6,}){1,3}(?=[/?\s\"']|$)")
_LONG_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-]{32,}(?=[/?\s\"']|$)")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:token|key|secret|signature|password|code)=)[^&\s\"']+")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """``text`` with tokens replaced by ``[redacted]`` (see the module docstring for which)."""
    text = _SIGNED_TOKEN.sub(REDACTED, text)
    text = _LONG_SEGMENT.sub(REDACTED, text)
    return _SECRET_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message with ``redact``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(root_handler: logging.Handler) -> None:
    """Filter our own handler and the access loggers (gunicorn's do not propagate to root)."""
    if not any(isinstance(f, RedactTokensFilter) for f in root_handler.filters):
        root_handler.addFilter(RedactTokensFilter())
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokensFilter) for f in logger.filters):
            logger.addFilter(RedactTokensFilter())
