"""Every model, imported here so that Alembic sees one metadata."""

from registry.models.audit import AuditEvent
from registry.models.base import Base, UTCDateTime
from registry.models.commissions import (
    Commission,
    ConflictDeclaration,
    PanelDecision,
    QualityReview,
    ShortlistEntry,
)
from registry.models.credentials import Registration
from registry.models.documents import DOCUMENT_KIND_LABELS, Document
from registry.models.evidence import RegisterPage
from registry.models.outbox import OutgoingEmail
from registry.models.people import (
    ROLE_LABELS,
    ROLE_ORGANISATION,
    AccountToken,
    Assessor,
    Organisation,
    RecoveryCode,
    User,
)
from registry.models.profile import (
    CpdRecord,
    DbsCheck,
    ExperienceEntry,
    Insurance,
    Qualification,
    Referee,
    Supervision,
    ToolTraining,
)
from registry.models.register_change import RegisterChange
from registry.models.verification import Notification, RestrictionReview, VerificationCheck
from registry.models.vetting import (
    AdmissionDecision,
    Attestation,
    ItemReview,
    ReminderSent,
)
from registry.vocabulary import (
    AccountStatus,
    AdmissionAction,
    AdmissionStatus,
    Availability,
    CheckMethod,
    CommissionStatus,
    DbsLevel,
    DocumentKind,
    OrganisationKind,
    PanelOutcome,
    ReviewStatus,
    Role,
    TokenPurpose,
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
    "Commission",
    "CommissionStatus",
    "ConflictDeclaration",
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
    "OutgoingEmail",
    "PanelDecision",
    "PanelOutcome",
    "Qualification",
    "QualityReview",
    "RecoveryCode",
    "Referee",
    "RegisterChange",
    "RegisterPage",
    "Registration",
    "ReminderSent",
    "RestrictionReview",
    "ReviewStatus",
    "Role",
    "ShortlistEntry",
    "Supervision",
    "TokenPurpose",
    "ToolTraining",
    "UTCDateTime",
    "User",
    "VerificationCheck",
]
