"""Every model, imported here so that Alembic sees one metadata."""

from registry.models.audit import AuditEvent
from registry.models.base import Base, UTCDateTime
from registry.models.credentials import Registration
from registry.models.documents import DOCUMENT_KIND_LABELS, Document, DocumentKind
from registry.models.people import (
    ROLE_LABELS,
    ROLE_ORGANISATION,
    AccountStatus,
    AccountToken,
    AdmissionStatus,
    Assessor,
    Organisation,
    OrganisationKind,
    RecoveryCode,
    Role,
    TokenPurpose,
    User,
)
from registry.models.verification import CheckMethod, Notification, VerificationCheck

__all__ = [
    "DOCUMENT_KIND_LABELS",
    "ROLE_LABELS",
    "ROLE_ORGANISATION",
    "AccountStatus",
    "AccountToken",
    "AdmissionStatus",
    "Assessor",
    "AuditEvent",
    "Base",
    "CheckMethod",
    "Document",
    "DocumentKind",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "RecoveryCode",
    "Registration",
    "Role",
    "TokenPurpose",
    "UTCDateTime",
    "User",
    "VerificationCheck",
]
