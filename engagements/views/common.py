"""Helpers shared by the views: template data, timeline and money display."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, send_file
from flask_wtf import FlaskForm

from core.api import clean_filename, current_user, get_people
from engagements import bookings, messaging
from engagements.billing import ledger, refunds, stripe_client
from engagements.lifecycle import MAIN_PATH, STATE_LABELS, Actor
from engagements.messaging import attachment_of, attachment_path
from engagements.models import Engagement
from engagements.money import format_money, format_rate


def engagement_page_data(engagement: Engagement) -> dict[str, Any]:
    """Everything the detail pages show, in a fixed number of queries."""
    transitions = bookings.timeline(engagement.id)
    messages = bookings.messages(engagement.id)
    entries = ledger.entries_for(engagement.id)
    who = get_people(
        [t.actor_id for t in transitions] + [engagement.consultant_id, engagement.requested_by_id]
    )
    totals = ledger.totals(engagement.id)
    return {
        "e": engagement,
        "transitions": transitions,
        "messages": messages,
        "entries": entries,
        "who": who,
        "totals": totals,
        "dues": refunds.dues_for(engagement.id),
        "consultant": who.get(engagement.consultant_id) if engagement.consultant_id else None,
        "requested_by": who.get(engagement.requested_by_id) if engagement.requested_by_id else None,
        "progress": progress(engagement.state),
    }


def progress(state: str) -> list[tuple[str, str]]:
    """(label, status) per main-path step: done, current or todo."""
    if state not in MAIN_PATH:
        return []
    index = MAIN_PATH.index(state)
    return [
        (STATE_LABELS[step], "done" if i < index else "current" if i == index else "todo")
        for i, step in enumerate(MAIN_PATH)
    ]


def template_globals() -> dict[str, Any]:
    from engagements import console

    return {
        "when_of": console.when_text,
        "local_day": console.local_day,
        "money": format_money,
        "rate": format_rate,
        "state_label": lambda s: STATE_LABELS.get(s or "", s or "—"),
        "card_enabled": stripe_client.card_payments_enabled(),
    }


def send_attachment(engagement_id: int, attachment_id: int) -> Response:
    item = attachment_of(engagement_id, attachment_id)
    if item is None:
        abort(404)
    path = attachment_path(item)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=item.media_type, as_attachment=True, download_name=clean_filename(item.filename))


def post_message_from_form(engagement: Engagement, form: FlaskForm, *, from_consultant: bool) -> bool:
    """Post the form's message and attachments; False, with the error on the form, when refused."""
    uploads = [messaging.Upload(f.filename, f.stream) for f in (form.files.data or []) if f and f.filename]
    try:
        messaging.post(
            engagement,
            author_id=current_user.id,
            author_name=current_user.name,
            from_consultant=from_consultant,
            body=form.body.data,
            uploads=uploads,
        )
    except messaging.AttachmentError as exc:
        form.files.errors = [str(exc)]
        return False
    return True


def current_actor() -> Actor:
    """The signed-in user as the actor of a transition (for its history line)."""
    return Actor(current_user.id, current_user.email)


#: Above a refused form whose only errors are in fields the page filled in itself.
RELOAD_MESSAGE = "This form is out of date or incomplete: reload the page and make your change again."


def form_problem(form: FlaskForm, page_filled: tuple[str, ...] = ("base_number", "key")) -> str:
    """The message above a refused form: "correct the highlighted fields", or, when only the
    hidden fields the page filled in (``page_filled``) failed, which nobody can correct, a reload."""
    typed = [name for name in form.errors if name not in page_filled]
    return "Please correct the highlighted fields below." if typed else RELOAD_MESSAGE
