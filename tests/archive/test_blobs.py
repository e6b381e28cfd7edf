"""The blob store: content-addressed paths, atomic writes, no rewrite, checked reads."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from archive.blobs import BlobError, BlobStore


def test_put_stores_by_sha256_once(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = "보도자료 본문".encode() * 100
    sha = hashlib.sha256(data).hexdigest()
    first = store.put(data)
    assert (first.sha256, first.size, first.created) == (sha, len(data), True)
    path = tmp_path / "blobs" / sha[:2] / sha[2:4] / sha
    assert store.path(sha) == path and path.read_bytes() == data
    mtime = path.stat().st_mtime_ns
    again = store.put(data)
    assert (again.sha256, again.created) == (sha, False)
    assert path.stat().st_mtime_ns == mtime  # not rewritten
    assert b"".join(store.read(sha)) == data
    # no temporary files left behind
    assert [p.name for p in path.parent.iterdir()] == [sha]


def test_empty_file(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    put = store.put(b"")
    assert put.size == 0 and b"".join(store.read(put.sha256)) == b""


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "ABCDEF" + "0" * 58, "0" * 63, "0" * 64 + "/x", "", "g" * 64]
)
def test_only_sha256_names_make_paths(tmp_path: Path, bad: str) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError, match="SHA-256"):
        store.path(bad)
    with pytest.raises(ValueError):
        list(store.read(bad))


def test_missing_and_damaged_blobs(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(BlobError, match="not in the store"):
        list(store.read("0" * 64))
    sha = store.put(b"original").sha256
    store.path(sha).write_bytes(b"tampered")
    with pytest.raises(BlobError, match="damaged"):
        b"".join(store.read(sha))


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path)

    def broken(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="disk full"):
        store.put(b"data")
    monkeypatch.undo()
    sha = hashlib.sha256(b"data").hexdigest()
    assert not store.exists(sha)
    assert list(store.path(sha).parent.iterdir()) == []
