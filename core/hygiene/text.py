"""Submitted text holds no control characters; single-line fields hold no line breaks.

A NUL byte is refused by PostgreSQL (a 500 where SQLite stored it), other
control characters and lone surrogates break mail headers, CSV cells and PDFs.
Tabs and line breaks are ordinary typing and stay allowed in the request;
single-line form fields (every ``StringField`` but a textarea) then refuse line
breaks, which would otherwise end up in mail subjects and headers.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Iterable, TypeVar

from flask import abort, current_app, request
from wtforms import StringField
from wtforms.validators import ValidationError
from wtforms.widgets import TextArea

ALLOWED_CONTROLS = frozenset("\t\n\r")
REFUSED_MESSAGE = (
    "What you sent contains invisible control characters (such as a NUL byte). "
    "Remove them, for instance by typing the text again, and send it again."
)
JSON_SHAPE_MESSAGE = (
    "A JSON body here must be an object whose values are text or lists of text, one per form field."
)
SINGLE_LINE_MESSAGE = "This field takes a single line: remove the line breaks."
RAW_INPUT_ATTRIBUTE = "_hygiene_raw_input"

F = TypeVar("F", bound=Callable[..., Any])


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a C0/C1 control (other than tab, CR, LF) or a lone surrogate."""
    return any(
        (ch not in ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs")) for ch in value
    )


def clean_filename(name: str) -> str:
    """``name`` without control or format characters (Unicode Cc, Cf, Cs), trimmed.

    Format characters include the bidi controls: ``"invoice\u202Efdp.txt"``
    displays as "invoicetxt.pdf" and would pass for a PDF; zero-width
    characters hide look-alike names.
    """
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs")).strip()


def raw_input(view: F) -> F:
    """Mark a view that validates its own body (a signed webhook): its JSON is not checked here."""
    setattr(view, RAW_INPUT_ATTRIBUTE, True)
    return view


def refuse_control_characters() -> None:
    """before_request: 400 when any query, form, URL or JSON string holds a control character."""
    if request.method in ("GET", "HEAD") and not request.query_string and not request.view_args:
        return  # nothing to check: most requests (/ping, static files, plain pages)
    values: list[Iterable[str]] = [
        request.args.keys(),
        (v for _, v in request.args.items(multi=True)),
        (v for v in (request.view_args or {}).values() if isinstance(v, str)),
    ]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        values += [request.form.keys(), (v for _, v in request.form.items(multi=True))]
        if request.is_json and not _view_takes_raw_input():
            document = request.get_json(silent=True)
            # Flask-WTF reads a JSON body as the form: anything but flat text would reach fields as-is.
            if not _is_form_shaped(document):
                abort(400, JSON_SHAPE_MESSAGE)
            values.append(_strings_in(document))
    if any(has_control_characters(v) for group in values for v in group):
        abort(400, REFUSED_MESSAGE)


def _view_takes_raw_input() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view is not None and getattr(view, RAW_INPUT_ATTRIBUTE, False))


def _is_form_shaped(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    return all(
        isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        for value in document.values()
    )


def _strings_in(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _strings_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings_in(item)


def _refuse_line_breaks(self: StringField, form: Any) -> None:
    if isinstance(self.widget, TextArea):
        return
    if isinstance(self.data, str) and ("\n" in self.data or "\r" in self.data):
        raise ValidationError(SINGLE_LINE_MESSAGE)


def install_single_line_rule() -> None:
    """Every single-line ``StringField`` (and its kinds: email, URL, password, hidden) refuses CR/LF.

    Installed on WTForms' own class so every form, core's and plugins', gets
    it without opting in; ``pre_validate`` is a no-op hook there by design.
    """
    StringField.pre_validate = _refuse_line_breaks  # type: ignore[method-assign]


#: Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). Typed
#: right-to-left text never needs them (the Unicode bidi algorithm orders it), but a
#: stored U+202E reverses whatever is printed after it: a note could reorder the history
#: line, a mail subject or a PDF around it. The marks U+200E/U+200F stay allowed.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI_TABLE = {ord(ch): None for ch in BIDI_CONTROLS}


def strip_bidi_controls(value: str) -> str:
    """``value`` without bidi embedding/override/isolate controls."""
    return value.translate(_BIDI_TABLE)


_original_process_formdata = StringField.process_formdata


def _process_without_bidi_controls(self: StringField, valuelist: Any) -> None:
    _original_process_formdata(self, valuelist)
    if isinstance(self.data, str):
        self.data = strip_bidi_controls(self.data)


def install_bidi_rule() -> None:
    """Every ``StringField`` (text areas included) drops bidi controls from what is typed,
    core's and plugins' forms alike, without opting in."""
    StringField.process_formdata = _process_without_bidi_controls  # type: ignore[method-assign]
