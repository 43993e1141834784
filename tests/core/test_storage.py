"""File storage: named files with a checksum, never outside STORAGE_DIR."""

from __future__ import annotations

import hashlib

import pytest

from core.api import StorageNameError, file_storage
from core.storage import LocalStorage


def test_put_read_exists_delete_with_size_and_checksum(tmp_path):
    storage = LocalStorage(tmp_path)
    stored = storage.put("reports/engagement-3/report-v1.pdf", b"%PDF-1.7 body")
    assert stored.name == "reports/engagement-3/report-v1.pdf"
    assert stored.size == 13 and stored.sha256 == hashlib.sha256(b"%PDF-1.7 body").hexdigest()
    assert storage.exists(stored.name) and storage.read(stored.name) == b"%PDF-1.7 body"
    with storage.open(stored.name) as fh:
        assert fh.read(4) == b"%PDF"
    assert (tmp_path / "reports" / "engagement-3" / "report-v1.pdf").is_file()
    assert not [p for p in (tmp_path / "reports" / "engagement-3").iterdir() if p.name.startswith(".tmp")]
    storage.delete(stored.name)
    assert not storage.exists(stored.name)
    storage.delete(stored.name)  # absent: nothing to do


@pytest.mark.parametrize(
    "name",
    ["../escape.pdf", "reports/../../escape.pdf", "/etc/passwd", "a//b.pdf", "a\\b.pdf", ".hidden", "", "a/./b",
     "nul\x00.pdf", "reports/"],
)
def test_names_that_could_leave_the_root_are_refused(tmp_path, name):
    storage = LocalStorage(tmp_path / "root")
    with pytest.raises(StorageNameError):
        storage.put(name, b"x")
    with pytest.raises(StorageNameError):
        storage.exists(name)
    assert not (tmp_path / "escape.pdf").exists()


def test_the_app_storage_lives_in_storage_dir(app):
    stored = file_storage().put("check/one.txt", b"1")
    assert (app.config["STORAGE_DIR"] + "/check/one.txt").endswith("check/one.txt")
    assert file_storage().read(stored.name) == b"1"
    file_storage().delete(stored.name)
