"""The one way the product writes CSV files, for every export.

Two promises, for people who open the file in a spreadsheet program:

* it starts with the UTF-8 byte-order mark, so Excel reads "Coopération" and "中国"
  as written instead of guessing a legacy code page ("CoopÃ©ration");
* no cell can run as a formula: text starting with ``= + - @``, a tab or a carriage
  return gets a leading apostrophe (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Response

UTF8_BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value spreadsheet programs show as text, never evaluate; ``None`` becomes empty."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a BOM, CRLF line ends (RFC 4180) and formula-safe cells."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_from_dicts(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Same as :func:`csv_text`, one dict per row; keys not in ``columns`` are left out."""
    return csv_text(columns, ([row.get(c) for c in columns] for row in rows))


def csv_response(text: str, filename: str) -> Response:
    """An attachment download of CSV text made by :func:`csv_text`."""
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Content-Type": "text/csv; charset=utf-8"},
    )
