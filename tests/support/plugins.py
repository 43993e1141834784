"""Install the sample outside plugin where only the test process sees it.

It is built and installed like any pip package (its own pyproject, its own
entry point) into a private target folder put on ``sys.path``, so the plugin
loads through the entry-point group in tests without appearing in ``make run``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

SAMPLE_SOURCE = Path(__file__).resolve().parent.parent / "sample_plugin"
TARGET = Path(__file__).resolve().parents[2] / "build" / "test-plugins"


def install_sample_plugin() -> None:
    stamp = TARGET / ".source-mtime"
    sources = [p for p in SAMPLE_SOURCE.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".html")
               and "build" not in p.parts and not any(part.endswith(".egg-info") for part in p.parts)]
    newest = str(max(p.stat().st_mtime for p in sources))
    if not (stamp.exists() and stamp.read_text() == newest):
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
             "--upgrade", "--target", str(TARGET), str(SAMPLE_SOURCE)],
            check=True,
        )
        stamp.write_text(newest)
    if str(TARGET) not in sys.path:
        sys.path.insert(0, str(TARGET))
    importlib.invalidate_caches()
