"""How long a test waits for something asynchronous (a page, a worker, a mail), scaled for CI.

CI machines are slower than a developer's and run the SQLite and PostgreSQL suites side by
side, so the same wait gets ``PATIENCE`` times as long there (3 when ``CI`` is set, else 1;
``TEST_PATIENCE`` overrides). Longer waits cost nothing when things arrive on time.
"""

from __future__ import annotations

import os

PATIENCE = float(os.environ.get("TEST_PATIENCE") or (3 if os.environ.get("CI") else 1))


def patient(seconds: float) -> float:
    """``seconds`` scaled by ``PATIENCE``."""
    return seconds * PATIENCE


def patient_ms(milliseconds: int) -> int:
    """Milliseconds (Playwright's unit) scaled by ``PATIENCE``."""
    return int(milliseconds * PATIENCE)
