"""An assessor's evidence documents: upload, authorised viewing, and who viewed them.

Upload policy (FILE-01 to FILE-06): PDF, PNG or JPEG, checked by content and extension; at most
10 MiB a file and 20 files an assessor, so at most 200 MiB each in total (FILE-01, 02, 05).
Files are stored outside the web root under random names with their SHA-256 (FILE-03), shown
only to the people AC-03 lists, and every view is audited (LOG-02). Anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, func, or_, select
from werkzeug.utils import import_string

from assessors.service import assessor_of
from registry.audit import record_audit, record_security_event
from registry.errors import NotAllowed, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import Assessor, AuditEvent, Document, DocumentKind, Role, User
from registry.storage import discard_upload, extension_matches, read_upload, write_upload

MAX_DOCUMENTS = 20
VIEWED = "document.viewed"
LISTED = "document.list_viewed"
NOT_FOUND = "Page not found"


@dataclass(frozen=True)
class NewDocument:
    """What the assessor says a file is."""

    kind: str
    description: str


@dataclass(frozen=True)
class DocumentView:
    """One look at an assessor's documents by someone else: who, when, and what."""

    at: datetime
    viewer_name: str
    viewer_role: str | None
    document: Document | None


def commission_involves(viewer: User, assessor: Assessor) -> bool:
    """Whether the viewer is an officer or panel member of a commission involving the assessor.

    Commissions do not exist yet, so this is always False; the commissions feature fills it in.
    """
    return False


def may_see_documents(viewer: User, assessor: Assessor) -> bool:
    """AC-03: the owner, register managers, and the people of a commission involving them."""
    return (
        viewer.id == assessor.user_id
        or viewer.role is Role.REGISTER_MANAGER
        or commission_involves(viewer, assessor)
    )


def documents_of(assessor: Assessor) -> list[Document]:
    """The assessor's documents, newest first."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.assessor_id == assessor.id)
            .order_by(Document.uploaded_at.desc(), Document.id.desc())
        )
    )


def upload_document(
    assessor_user: User, data: NewDocument, stream, filename: str, *, now: datetime
) -> Document:
    """Check, scan and store a file for the user's own assessor record.

    Raises NotAllowed for anyone without an assessor record, ValidationFailed (field "file",
    "kind") when the file or its details are refused.
    """
    assessor = assessor_of(assessor_user) if assessor_user.role is Role.ASSESSOR else None
    if assessor is None:
        raise NotAllowed("Only assessors upload documents")
    kind = _kind(data.kind)
    if _count(assessor) >= MAX_DOCUMENTS:
        raise ValidationFailed(f"You have uploaded the maximum of {MAX_DOCUMENTS} files", "file")
    content, content_type = read_upload(stream, field="file")
    if not extension_matches(filename, content_type):
        raise ValidationFailed("The selected file must be a PDF, PNG or JPEG", "file")
    _scan(assessor_user, assessor, content, now=now)
    stored = write_upload(content, content_type, filename, _root())
    document = Document(
        assessor=assessor,
        uploaded_by_id=assessor_user.id,
        kind=kind,
        description=data.description,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size,
        sha256=stored.sha256,
        stored_name=stored.path,
        uploaded_at=now,
    )
    try:
        db.session.add(document)
        db.session.flush()
        record_audit(
            assessor_user,
            "document.uploaded",
            document,
            at=now,
            after={"kind": kind.value, "sha256": stored.sha256, "size_bytes": stored.size},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard_upload(_root(), stored.path)  # no file left without its row
        raise
    return document


def open_document(viewer: User, document: Document, *, now: datetime) -> tuple[Path, Document]:
    """The stored file of a document the viewer may see, audited (LOG-02). Raises NotFound."""
    if not may_see_documents(viewer, document.assessor):
        record_security_event(
            viewer, "document.view_refused", obj=document, at=now, outcome="refused"
        )
        db.session.commit()
        raise NotFound(NOT_FOUND)
    record_audit(viewer, VIEWED, document, at=now)
    db.session.commit()
    return _root() / document.stored_name, document


def list_documents_for(viewer: User, assessor_id: int, *, now: datetime) -> tuple[Assessor, list]:
    """Another person's look at an assessor's documents, audited. Raises NotFound (AC-03)."""
    assessor = db.session.get(Assessor, assessor_id)
    if assessor is None or not may_see_documents(viewer, assessor):
        record_security_event(
            viewer,
            "document.list_refused",
            at=now,
            outcome="refused",
            object_type="assessor",
            object_id=assessor_id,
        )
        db.session.commit()
        raise NotFound(NOT_FOUND)
    record_audit(viewer, LISTED, assessor, at=now)
    db.session.commit()
    return assessor, documents_of(assessor)


def document_views(assessor_user: User) -> list[DocumentView]:
    """Who else looked at the user's documents or their list, newest first (LOG-05)."""
    assessor = assessor_of(assessor_user)
    if assessor is None:
        return []
    documents: dict[int | None, Document] = {d.id: d for d in documents_of(assessor)}
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                and_(
                    AuditEvent.action == VIEWED,
                    AuditEvent.object_type == Document.__tablename__,
                    AuditEvent.object_id.in_(list(documents)),
                ),
                and_(
                    AuditEvent.action == LISTED,
                    AuditEvent.object_type == Assessor.__tablename__,
                    AuditEvent.object_id == assessor.id,
                ),
            )
        )
        .where(AuditEvent.actor_id != assessor_user.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    ).all()
    names = _names({e.actor_id for e in events if e.actor_id is not None})
    return [
        DocumentView(
            at=e.occurred_at,
            viewer_name=names.get(e.actor_id, "A former user"),
            viewer_role=e.actor_role,
            document=documents.get(e.object_id) if e.action == VIEWED else None,
        )
        for e in events
    ]


def _names(user_ids: set[int]) -> dict[int | None, str]:
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)))
    return {u.id: u.full_name for u in users}


def _kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        raise ValidationFailed("Select what the document is", "kind") from None


def _count(assessor: Assessor) -> int:
    counted = db.session.scalar(
        select(func.count(Document.id)).where(Document.assessor_id == assessor.id)
    )
    return counted or 0


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "documents"


def _scanner() -> Callable[[bytes], None] | None:
    scan = current_app.config.get("ANTIVIRUS_SCAN")
    return import_string(scan) if isinstance(scan, str) else scan


def _scan(user: User, assessor: Assessor, content: bytes, *, now: datetime) -> None:
    """Run the configured scanner; refuse (and audit) on infection or when it is unreachable."""
    scan = _scanner()
    if scan is None:
        return
    try:
        scan(content)
    except OSError:
        # Fail closed (FILE-06, ERR-02): an unreachable scanner never means "clean".
        _refuse(user, assessor, "document.scan_unavailable", now=now)
        raise ValidationFailed(
            "The file could not be checked for viruses. Try again later", "file"
        ) from None
    except Exception:  # the scanner's contract: any other exception is a finding
        _refuse(user, assessor, "document.infected", now=now)
        raise ValidationFailed("The selected file contains a virus", "file") from None


def _refuse(user: User, assessor: Assessor, action: str, *, now: datetime) -> None:
    record_audit(user, action, assessor, at=now, outcome="refused")
    db.session.commit()
