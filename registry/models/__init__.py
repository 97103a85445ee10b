"""Every model, imported here so that Alembic sees one metadata."""

from registry.models.audit import AuditEvent
from registry.models.base import Base, UTCDateTime
from registry.models.people import (
    ROLE_LABELS,
    ROLE_ORGANISATION,
    AccountStatus,
    AccountToken,
    Organisation,
    OrganisationKind,
    RecoveryCode,
    Role,
    TokenPurpose,
    User,
)

__all__ = [
    "ROLE_LABELS",
    "ROLE_ORGANISATION",
    "AccountStatus",
    "AccountToken",
    "AuditEvent",
    "Base",
    "Organisation",
    "OrganisationKind",
    "RecoveryCode",
    "Role",
    "TokenPurpose",
    "UTCDateTime",
    "User",
]
