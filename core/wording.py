"""Small helpers for numbers and quotations in sentences, shared by pages, emails and PDFs."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``counted(1, "respondent")`` is "1 respondent", ``counted(3, "respondent")`` "3 respondents"
    (never "respondent(s)"); give ``plural`` for irregular nouns."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def signed_change(value: float | None, digits: int = 0) -> str:
    """A change with its sign, rounded first so that -0.3 reads "0", not "-0":
    ``signed_change(2.6)`` is "+3", ``signed_change(-0.3)`` "0", ``signed_change(None)`` "–"."""
    if value is None:
        return "–"
    rounded = round(value, digits)
    if rounded == 0:
        return f"{0:.{digits}f}"
    return f"{rounded:+.{digits}f}"


#: Quotation marks that show a text already carries its own quotes.
QUOTE_MARKS = "“”\"„«»"


def quoted(text: str) -> str:
    """``text`` in typographic quotes, unless it already holds quotation marks (then as it
    is), so a quoted title is never quoted twice (““…””); surrounding spaces removed.
    Also the Jinja filter ``quoted``: ``Drop {{ item.title | quoted }}?``."""
    text = text.strip()
    return text if any(mark in text for mark in QUOTE_MARKS) else f"“{text}”"
