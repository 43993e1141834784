"""One small interface for stored files (report PDFs, later other documents).

Local disk under ``STORAGE_DIR`` now; an object store can implement the same
``Storage`` protocol later. Names are relative, ``/``-separated paths chosen by
the caller (e.g. ``reports/engagement-12/report-v3.pdf``); a name that would
leave the storage root (absolute, ``..``, backslashes, NUL) is refused with
``StorageNameError`` before anything touches the disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class StorageNameError(ValueError):
    """The file name is not a safe relative name inside the storage root."""


@dataclass(frozen=True)
class StoredFile:
    """What was stored: the name to read it back by, its size in bytes and its SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


class Storage(Protocol):
    def put(self, name: str, data: bytes) -> StoredFile: ...
    def open(self, name: str) -> BinaryIO: ...
    def read(self, name: str) -> bytes: ...
    def exists(self, name: str) -> bool: ...
    def delete(self, name: str) -> None: ...


class LocalStorage:
    """Files in a folder on local disk; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def path(self, name: str) -> Path:
        """The file's path under the root; ``StorageNameError`` if the name is unsafe."""
        parts = name.split("/")
        if not name or any(not _SAFE_PART.match(part) for part in parts):
            raise StorageNameError(f"unsafe storage name: {name!r}")
        path = (self.root / Path(*parts)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageNameError(f"storage name leaves the root: {name!r}")
        return path

    def put(self, name: str, data: bytes) -> StoredFile:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StoredFile(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())

    def open(self, name: str) -> BinaryIO:
        """Open for reading; ``FileNotFoundError`` if absent."""
        return self.path(name).open("rb")

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, name: str) -> None:
        """Remove the file; absent files are ignored."""
        self.path(name).unlink(missing_ok=True)


def file_storage() -> Storage:
    """The app's storage, from ``STORAGE_DIR`` (one instance per app)."""
    storage = current_app.extensions.get("core_storage")
    if storage is None:
        storage = current_app.extensions["core_storage"] = LocalStorage(current_app.config["STORAGE_DIR"])
    return storage
