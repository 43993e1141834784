"""Install the sample outside plugin where only the test process sees it.

It is built and installed like any pip package (its own pyproject, its own
entry point) into a private target folder put on ``sys.path``, so the plugin
loads through the entry-point group in tests without appearing in ``make run``.

``make test`` starts the SQLite and PostgreSQL runs side by side, so two
processes may get here at once: the build runs under an exclusive file lock
and from a private copy of the sources (setuptools writes ``build/`` and
``*.egg-info`` next to the sources it builds, and two builds there collide).
"""

from __future__ import annotations

import fcntl
import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE_SOURCE = Path(__file__).resolve().parent.parent / "sample_plugin"
TARGET = Path(__file__).resolve().parents[2] / "build" / "test-plugins"


def _is_source(path: Path) -> bool:
    return (path.is_file() and path.suffix in (".py", ".toml", ".html") and "build" not in path.parts
            and "__pycache__" not in path.parts and not any(part.endswith(".egg-info") for part in path.parts))


def install_sample_plugin() -> None:
    """Build and install the sample plugin into ``TARGET`` unless its sources are unchanged.

    Raises ``subprocess.CalledProcessError`` when pip cannot build or install it.
    """
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    stamp = TARGET / ".source-mtime"
    newest = str(max(p.stat().st_mtime for p in SAMPLE_SOURCE.rglob("*") if _is_source(p)))
    with open(TARGET.parent / "test-plugins.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other run waits here, then finds the stamp current
        if not (stamp.exists() and stamp.read_text() == newest):
            with tempfile.TemporaryDirectory(prefix="dc-sample-plugin-") as scratch:
                copy = Path(scratch) / "sample_plugin"
                shutil.copytree(SAMPLE_SOURCE, copy, ignore=shutil.ignore_patterns(
                    "build", "*.egg-info", "__pycache__", ".pytest_cache"))
                subprocess.run(
                    [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                     "--upgrade", "--target", str(TARGET), str(copy)],
                    check=True,
                )
            stamp.write_text(newest)
    if str(TARGET) not in sys.path:
        sys.path.insert(0, str(TARGET))
    importlib.invalidate_caches()
