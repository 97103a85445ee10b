"""`flask integrity check`: prove that what the register holds is what it stored.

Every panel decision's frozen snapshot must still hash to its SHA-256, every evidence document
and manual-check capture must be present in the storage folder with the SHA-256 recorded when it
was uploaded, and the audit trail's hash chain must be unbroken (registry/audit_chain.py). The
same check runs after a restore (README, "Backups"); it names what failed by table and id only,
never by a person's name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from registry.audit_chain import AnySession, verify_chain
from registry.extensions import db
from registry.models import Document, PanelDecision, VerificationCheck

integrity_cli = AppGroup("integrity", help="Check decisions, files and the audit trail.")

# Where the assessors' documents live under UPLOAD_FOLDER (assessors/documents.py); manual-check
# captures live in UPLOAD_FOLDER itself (registry/verification/manual.py).
DOCUMENTS_FOLDER = "documents"


@dataclass
class IntegrityReport:
    """How many of each kind were checked, and a line for each failure."""

    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_problem(path: Path, expected: str) -> str | None:
    if not path.is_file():
        return "file missing"
    if file_sha256(path) != expected:
        return "file does not match its stored SHA-256"
    return None


def _decisions(session: AnySession) -> Iterator[str]:
    for decision in session.scalars(select(PanelDecision).order_by(PanelDecision.id)):
        actual = hashlib.sha256(decision.snapshot.encode("utf-8")).hexdigest()
        if actual != decision.snapshot_sha256:
            yield f"decision {decision.id}: snapshot does not match its SHA-256"


def _documents(session: AnySession, root: Path) -> Iterator[str]:
    for document in session.scalars(select(Document).order_by(Document.id)):
        problem = _file_problem(root / DOCUMENTS_FOLDER / document.stored_name, document.sha256)
        if problem:
            yield f"document {document.id}: {problem}"


def _captures(session: AnySession, root: Path) -> Iterator[str]:
    checks = select(VerificationCheck).where(VerificationCheck.capture_path.is_not(None))
    for check in session.scalars(checks.order_by(VerificationCheck.id)):
        problem = _file_problem(root / (check.capture_path or ""), check.capture_sha256 or "")
        if problem:
            yield f"capture of check {check.id}: {problem}"


def check_integrity(session: AnySession, upload_root: Path) -> IntegrityReport:
    """Verify decisions, documents, captures and the audit chain; collect every failure."""
    report = IntegrityReport()
    for name, failures, model in (
        ("decisions", _decisions(session), PanelDecision),
        ("documents", _documents(session, upload_root), Document),
        ("captures", _captures(session, upload_root), VerificationCheck),
    ):
        report.failures.extend(failures)
        query = select(model)
        if model is VerificationCheck:
            query = query.where(VerificationCheck.capture_path.is_not(None))
        report.counts[name] = len(session.scalars(query.with_only_columns(model.id)).all())
    chain = verify_chain(session)
    report.counts["audit events"] = chain.events
    if not chain.ok:
        report.failures.append(f"audit trail: {chain.first_break}")
    return report


@integrity_cli.command("check")
def integrity_check() -> None:
    """Exit 1, naming each failure, if anything does not match its stored hash."""
    report = check_integrity(db.session, Path(current_app.config["UPLOAD_FOLDER"]))
    for name, count in report.counts.items():
        click.echo(f"Checked {count} {name}")
    for failure in report.failures:
        click.echo(f"FAILED {failure}", err=True)
    if not report.ok:
        click.echo(f"Integrity check failed: {len(report.failures)} problem(s)", err=True)
        raise SystemExit(1)
    click.echo("Integrity check passed")
