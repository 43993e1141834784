"""The demo world for tests that only need it present: loaded for real once per run, then restored.

``load_demo_data()`` renders several report PDFs and takes tens of seconds; tests that read the
demo (the malformed-input sweep, the demo manager's report and brief) need its rows, not the
loading. The first call runs the real loader and keeps every row of every table; later calls
(after the per-test cleanup emptied the tables) insert the same rows again. The stored PDFs stay
in the run's storage folder, so the restored rows point at real files. Tests of the loader itself
(``tests/core/test_demo_data.py``, ``test_operations.py``) still run it each time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, inspect, text

from core.demo import load_demo_data
from core.extensions import db
from core.testing import delete_all_rows

#: Every table's rows after the first real load, parents first; empty until then.
_kept: list[list[tuple[Table, list[dict[str, Any]]]]] = []


def demo_world() -> None:
    """Make the database hold the demo world and nothing else (rows an autouse fixture wrote
    before the first real load are part of the kept world; later ones are replaced by it)."""
    if not _kept:
        load_demo_data()
        _kept.append(_read_every_table())
    else:
        delete_all_rows()
        _insert(_kept[0])


def _tables() -> list[Table]:
    existing = set(inspect(db.engine).get_table_names())
    return [t for t in db.metadata.sorted_tables if t.name in existing]


def _read_every_table() -> list[tuple[Table, list[dict[str, Any]]]]:
    with db.engine.connect() as conn:
        return [(t, [dict(r) for r in conn.execute(t.select()).mappings()]) for t in _tables()]


def _insert(rows: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    with db.engine.begin() as conn:
        for table, table_rows in rows:  # parents first: sorted_tables follows the foreign keys
            if table_rows:
                conn.execute(table.insert(), table_rows)
        if conn.dialect.name == "postgresql":
            # Rows came with their ids: move each id sequence past them, or the next insert collides.
            for table, table_rows in rows:
                if table_rows and "id" in table.c:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # model names, not input
                        f"(SELECT MAX(id) FROM \"{table.name}\"))"
                    ))
