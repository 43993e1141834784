"""Confirmation before what cannot be undone, with and without JavaScript.

A view of an irreversible action calls :func:`confirmation_page` first. A request
that carries ``confirm=yes`` goes ahead; any other gets a page that names what
will happen and re-posts the same form with ``confirm=yes`` (so the action works
without JavaScript). With JavaScript, ``static/js/confirm.js`` asks in a dialog
before a form marked ``data-confirm`` is sent and adds ``confirm=yes`` itself,
so the page is skipped. A script in a file, since the CSP forbids inline ones.
"""

from __future__ import annotations

from flask import Response, make_response, render_template, request

CONFIRM_FIELD = "confirm"


def confirmed() -> bool:
    return request.form.get(CONFIRM_FIELD) == "yes"


def confirmation_page(question: str, consequence: str, confirm_label: str, cancel_url: str) -> Response | None:
    """None when the user has confirmed; else the page asking them to.

    ``question`` names the action and its object ("Remove Ada Lovelace from Aero
    Valley?"), ``consequence`` what follows and what cannot be undone, and
    ``confirm_label`` the button that goes ahead.
    """
    if confirmed():
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True) if k != CONFIRM_FIELD]
    html = render_template(
        "confirm.html",
        question=question,
        consequence=consequence,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        action=request.full_path.rstrip("?"),
        fields=fields,
    )
    return make_response(html, 200)
