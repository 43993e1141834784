"""The input-hygiene layer: what every request must satisfy before a view sees it.

- ``text``: no control characters in any submitted text (newlines and tabs
  allowed), single-line form fields refuse line breaks, and form text drops bidi
  override controls;
- ``ids``: ids in URLs are ASCII digits within the id column's range (else 404);
- ``paging``: page numbers are bounded.

``install(app)`` wires them up; it runs before any blueprint is registered, so
every route, core's and plugins', present and future, gets the id converter.
"""

from __future__ import annotations

from flask import Flask

from core.hygiene import ids, text


def install(app: Flask) -> None:
    app.url_map.converters["int"] = ids.IdConverter
    app.url_map.converters["id"] = ids.IdConverter
    app.before_request(text.refuse_control_characters)
    text.install_single_line_rule()
    text.install_bidi_rule()
