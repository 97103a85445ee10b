"""`flask integrity check`, and the restore drill (issue 13: backups proven).

The check verifies every decision's snapshot against its SHA-256, every document's and manual-
check capture's file against the SHA-256 stored at upload, and the audit trail's hash chain; it
exits 1 naming each failure by table and id. The drill backs up a database of its own with
pg_dump (custom format) and copies the storage folder with a checksum manifest, restores both
into a new database and folder, and proves that everything still verifies there (README,
"Backups").
"""

from __future__ import annotations

import enum
import hashlib
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from registry import create_app
from registry.extensions import db as _db
from registry.integrity import check_integrity, file_sha256
from registry.models import (
    Assessor,
    AuditEvent,
    Commission,
    Document,
    Organisation,
    PanelDecision,
    Registration,
    User,
    VerificationCheck,
)
from support import config_for, is_postgres, migrate_to_head, scratch_database

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _dummy(column: sa.Column):
    """A value for a required column nobody cares about in this test."""
    enum_class = getattr(column.type, "enum_class", None)
    if enum_class is not None:
        return next(iter(enum_class))
    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    kind = column_type.python_type
    values = {str: "x", int: 1, bool: False, datetime: NOW, date: NOW.date(), dict: {}, list: []}
    if issubclass(kind, enum.Enum):
        return next(iter(kind))
    return values[kind]


def _row(session, model, **given):
    """Add a row of model with the given values and a dummy for every other required column."""
    values = dict(given)
    for column in model.__table__.columns:
        required = not (
            column.nullable
            or column.primary_key
            or column.default is not None
            or column.server_default is not None
        )
        if required and column.key not in values:
            assert not column.foreign_keys, f"{model.__name__}.{column.key} needs a value"
            values[column.key] = _dummy(column)
    row = model(**values)
    session.add(row)
    session.flush()
    return row


def _store(root: Path, data: bytes) -> tuple[str, str]:
    root.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    (root / name).write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def build_register(session, upload_root: Path, *, decisions: int = 2) -> None:
    """A small register: decisions with snapshots, documents and a capture on disk, audit rows."""
    from registry.audit import record_audit

    organisation = _row(session, Organisation, name=f"Council {uuid.uuid4().hex[:6]}")
    officer = _row(
        session, User, email=f"{uuid.uuid4().hex[:8]}@example.test", organisation_id=organisation.id
    )
    panel = _row(
        session, User, email=f"{uuid.uuid4().hex[:8]}@example.test", organisation_id=organisation.id
    )
    assessor_user = _row(session, User, email=f"{uuid.uuid4().hex[:8]}@example.test")
    assessor = _row(session, Assessor, user_id=assessor_user.id)
    commission = _row(session, Commission, organisation_id=organisation.id, requester_id=officer.id)
    for n in range(decisions):
        snapshot = f'{{"decision": {n}, "rules": ["registered", "qualified"]}}'
        _row(
            session,
            PanelDecision,
            commission_id=commission.id,
            decided_by_id=panel.id,
            snapshot=snapshot,
            snapshot_sha256=hashlib.sha256(snapshot.encode()).hexdigest(),
        )
    for n in range(2):
        name, digest = _store(upload_root / "documents", f"%PDF-1.4 evidence {n}".encode())
        _row(
            session,
            Document,
            assessor_id=assessor.id,
            uploaded_by_id=assessor_user.id,
            stored_name=name,
            sha256=digest,
        )
    registration = _row(session, Registration, assessor_id=assessor.id)
    name, digest = _store(upload_root, b"%PDF-1.4 register page capture")
    _row(
        session,
        VerificationCheck,
        registration_id=registration.id,
        capture_path=name,
        capture_sha256=digest,
    )
    record_audit(officer, "commission.created", commission, at=NOW)
    record_audit(panel, "commission.approved", commission, at=NOW)
    session.commit()


# --------------------------------------------------------------------------- the command


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def register_app(make_app, uploads: Path) -> Flask:
    return make_app(UPLOAD_FOLDER=str(uploads))


@pytest.fixture
def built(register_app: Flask, uploads: Path):
    with register_app.app_context():
        build_register(_db.session, uploads)
        yield register_app


def _check(app: Flask):
    return app.test_cli_runner().invoke(args=["integrity", "check"])


def test_an_intact_register_passes(built) -> None:
    result = _check(built)
    assert result.exit_code == 0, result.output
    assert "Checked 2 decisions" in result.output
    assert "Checked 2 documents" in result.output
    assert "Checked 1 captures" in result.output
    assert "Integrity check passed" in result.output


def test_a_changed_document_fails(built, uploads: Path) -> None:
    document = _db.session.scalars(sa.select(Document).order_by(Document.id)).first()
    (uploads / "documents" / document.stored_name).write_bytes(b"%PDF-1.4 altered")
    result = _check(built)
    assert result.exit_code == 1
    assert f"FAILED document {document.id}: file does not match its stored SHA-256" in (
        result.output
    )


def test_a_missing_capture_fails(built, uploads: Path) -> None:
    check = _db.session.scalars(
        sa.select(VerificationCheck).where(VerificationCheck.capture_path.is_not(None))
    ).one()
    (uploads / check.capture_path).unlink()
    result = _check(built)
    assert result.exit_code == 1
    assert f"FAILED capture of check {check.id}: file missing" in result.output


def test_a_decision_whose_snapshot_does_not_match_fails(built) -> None:
    decision = _db.session.scalars(sa.select(PanelDecision)).first()
    forged = _row(
        _db.session,
        PanelDecision,
        commission_id=decision.commission_id,
        decided_by_id=decision.decided_by_id,
        snapshot='{"decision": "approved", "rules": []}',
        snapshot_sha256=decision.snapshot_sha256,
    )
    _db.session.commit()
    result = _check(built)
    assert result.exit_code == 1
    assert f"FAILED decision {forged.id}: snapshot does not match its SHA-256" in result.output


def test_an_audit_row_inserted_outside_the_application_fails(built) -> None:
    # A Core insert skips the ORM flush that chains rows: as if written straight into the table.
    _db.session.execute(
        sa.insert(AuditEvent).values(
            occurred_at=NOW, action="commission.approved", outcome="success", security_only=False
        )
    )
    _db.session.commit()
    result = _check(built)
    assert result.exit_code == 1
    assert "FAILED audit trail: evidence chain" in result.output
    assert "inserted outside the application" in result.output


def test_the_output_names_no_person(built, uploads: Path) -> None:
    for path in (uploads / "documents").iterdir():
        path.write_bytes(b"changed")
    output = _check(built).output
    assert "@example.test" not in output
    assert "Council" not in output


# --------------------------------------------------------------------------- the restore drill


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _manifest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _app_on(url: str, uploads: Path) -> Flask:
    return create_app(config_for(url, MAIL_PORT=9, UPLOAD_FOLDER=str(uploads)))


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore")
def test_restore_drill(database_url: str, tmp_root: Path, tmp_path: Path) -> None:
    assert is_postgres(database_url)
    source_url = scratch_database(database_url, "drill_source", tmp_root)
    source_uploads = tmp_path / "source-uploads"
    source = _app_on(source_url, source_uploads)
    migrate_to_head(source)
    with source.app_context():
        build_register(_db.session, source_uploads, decisions=3)
        before = check_integrity(_db.session, source_uploads)
        _db.session.remove()
        _db.engine.dispose()
    assert before.ok, before.failures

    # Back up: the database in pg_dump's custom format, the folder copied with a manifest.
    dump = tmp_path / "register.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), _libpq(source_url)],
        check=True,
        timeout=120,
    )
    backup_folder = tmp_path / "backup-uploads"
    shutil.copytree(source_uploads, backup_folder)
    manifest = _manifest(source_uploads)
    assert _manifest(backup_folder) == manifest

    # Restore into a new database and a new folder.
    target_url = scratch_database(database_url, "drill_target", tmp_root)
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            _libpq(target_url),
            str(dump),
        ],
        check=True,
        timeout=120,
    )
    target_uploads = tmp_path / "restored-uploads"
    shutil.copytree(backup_folder, target_uploads)
    assert _manifest(target_uploads) == manifest

    target = _app_on(target_url, target_uploads)
    with target.app_context():
        after = check_integrity(_db.session, target_uploads)
        decisions = _db.session.scalars(sa.select(PanelDecision)).all()
        assert all(
            hashlib.sha256(d.snapshot.encode()).hexdigest() == d.snapshot_sha256 for d in decisions
        )
        documents = _db.session.scalars(sa.select(Document)).all()
        assert all(
            file_sha256(target_uploads / "documents" / d.stored_name) == d.sha256 for d in documents
        )
        assert (len(decisions), len(documents)) == (3, 2)
        _db.session.remove()
    assert after.ok, after.failures
    assert after.counts == before.counts
    result = target.test_cli_runner().invoke(args=["integrity", "check"])
    assert result.exit_code == 0, result.output
    with target.app_context():
        _db.session.remove()
        _db.engine.dispose()
