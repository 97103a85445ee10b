"""An upload when the document store is full or unwritable (issue 13): a clear error on the
form, no partial file, and no database row without its file.

With root, the store is a real tmpfs of 64 KiB (full) or a read-only tmpfs, mounted by the test
and unmounted afterwards; without root, only the OS write is made to fail with ENOSPC.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.models import Document
from support import DEMO_PASSWORD, MadeUser

PDF_HEAD = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
BIG_PDF = PDF_HEAD + b"0" * 200_000 + b"\ntrailer<<>>\n%%EOF\n"
SMALL_PDF = PDF_HEAD + b"trailer<<>>\n%%EOF\n"
SAVED_NOT = "The file could not be saved because the document store is full or unavailable"


def _mount(folder: Path, *options: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def _client(app, make_assessor):
    assessor = make_assessor("Upload", "Person")
    made = MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)
    from datetime import UTC, datetime

    client = app.test_client()
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        session.update(_user_id=made.user.get_id(), auth_at=now, seen_at=now, mfa_at=now)
    return client, assessor


def _upload(client, content: bytes):
    return client.post(
        "/assessor/documents",
        data={
            "kind": "qualification",
            "description": "Level 7 certificate",
            "file": (io.BytesIO(content), "certificate.pdf"),
        },
        content_type="multipart/form-data",
    )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _refused_cleanly(response, folder: Path, assessor) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert SAVED_NOT in page
    assert _files(folder) == []  # no partial file
    rows = db.session.scalars(sa.select(Document).where(Document.assessor_id == assessor.id))
    assert list(rows) == []  # no row without its file


def test_a_full_disk_gives_a_clear_error_and_leaves_nothing(make_app, make_assessor, tmp_path):
    folder = tmp_path / "tiny-store"
    if not _mount(folder, "size=64k"):
        pytest.skip("needs root to mount a tmpfs")
    try:
        app = make_app(UPLOAD_FOLDER=str(folder))
        with app.app_context():
            client, assessor = _client(app, make_assessor)
            _refused_cleanly(_upload(client, BIG_PDF), folder, assessor)
            # Once there is room again the same upload works.
            ok = _upload(client, SMALL_PDF)
            assert ok.status_code == 302
            assert len(_files(folder)) == 1
    finally:
        _unmount(folder)


def test_an_unwritable_store_gives_a_clear_error_and_leaves_nothing(
    make_app, make_assessor, tmp_path
):
    folder = tmp_path / "read-only-store"
    if not _mount(folder, "size=1m", "ro"):
        pytest.skip("needs root to mount a tmpfs")
    try:
        app = make_app(UPLOAD_FOLDER=str(folder))
        with app.app_context():
            client, assessor = _client(app, make_assessor)
            _refused_cleanly(_upload(client, SMALL_PDF), folder, assessor)
    finally:
        _unmount(folder)


def test_enospc_from_the_os_write_alone_leaves_no_partial_file(
    make_app, make_assessor, tmp_path, monkeypatch
):
    folder = tmp_path / "store"
    folder.mkdir()
    app = make_app(UPLOAD_FOLDER=str(folder))
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    with app.app_context():
        client, assessor = _client(app, make_assessor)
        monkeypatch.setattr("registry.storage.os.fsync", full)
        _refused_cleanly(_upload(client, SMALL_PDF), folder, assessor)


def test_a_failed_commit_removes_the_file_it_wrote(make_app, make_assessor, tmp_path, monkeypatch):
    folder = tmp_path / "store2"
    folder.mkdir()
    app = make_app(UPLOAD_FOLDER=str(folder))
    with app.app_context():
        client, _ = _client(app, make_assessor)
        from assessors import documents

        def broken(*args, **kwargs):
            raise sa.exc.OperationalError("INSERT", {}, Exception("database went away"))

        monkeypatch.setattr(documents, "record_audit", broken)
        response = _upload(client, SMALL_PDF)
        assert response.status_code == 503  # the database-unavailable page
        assert _files(folder) == []
