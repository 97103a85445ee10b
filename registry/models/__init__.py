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
from registry.models.profile import (
    Availability,
    CpdRecord,
    DbsCheck,
    DbsLevel,
    ExperienceEntry,
    Insurance,
    Qualification,
    Referee,
    Supervision,
    ToolTraining,
)
from registry.models.verification import CheckMethod, Notification, VerificationCheck
from registry.models.vetting import (
    AdmissionAction,
    AdmissionDecision,
    Attestation,
    ItemReview,
    ReminderSent,
    ReviewStatus,
)

__all__ = [
    "DOCUMENT_KIND_LABELS",
    "ROLE_LABELS",
    "ROLE_ORGANISATION",
    "AccountStatus",
    "AccountToken",
    "AdmissionAction",
    "AdmissionDecision",
    "AdmissionStatus",
    "Assessor",
    "Attestation",
    "AuditEvent",
    "Availability",
    "Base",
    "CheckMethod",
    "CpdRecord",
    "DbsCheck",
    "DbsLevel",
    "Document",
    "DocumentKind",
    "ExperienceEntry",
    "Insurance",
    "ItemReview",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "Qualification",
    "RecoveryCode",
    "Referee",
    "Registration",
    "ReminderSent",
    "ReviewStatus",
    "Role",
    "Supervision",
    "TokenPurpose",
    "ToolTraining",
    "UTCDateTime",
    "User",
    "VerificationCheck",
]
