"""Organisations, user accounts, and the secrets that belong to an account."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.vocabulary import (
    AccountStatus,
    AdmissionStatus,
    OrganisationKind,
    Role,
    TokenPurpose,
)

ROLE_LABELS = {role: role.label for role in Role}

# Which kind of organisation each role belongs to (DOMAIN.md "Who uses it").
ROLE_ORGANISATION = {
    Role.ASSESSOR: None,
    Role.OFFICER: OrganisationKind.LOCAL_AUTHORITY,
    Role.PANEL_MEMBER: OrganisationKind.LOCAL_AUTHORITY,
    Role.REGISTER_MANAGER: OrganisationKind.REGISTER_BODY,
    Role.AUDITOR: (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.REGISTER_BODY),
}

if TYPE_CHECKING:
    from registry.models.credentials import Registration


def _enum(enum_class: type[enum.StrEnum], length: int = 32) -> SAEnum:
    # Stored as plain strings so that adding a value is not a schema change on PostgreSQL.
    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


class Organisation(Base):
    """A local authority that commissions assessments, or the body that runs the register."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A person who signs in: assessor, officer, panel member, register manager or auditor."""

    __tablename__ = "user_account"
    # The Users page lists accounts by name, a page at a time (issue 14).
    __table_args__ = (Index("ix_user_account_full_name", "full_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum(Role))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[AccountStatus] = mapped_column(_enum(AccountStatus))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_must_change: Mapped[bool] = mapped_column(default=False)
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The TOTP seed, AES-GCM encrypted under a key kept outside the database (MFA-02).
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_totp_timecode: Mapped[int | None] = mapped_column(Integer)
    # Bumped to end every session of this user (SES-02, SES-03, SES-04).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol, spelled out so that no mixin decides what "active" means.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session token: id and session version, so old cookies die on a bump (SES-02)."""
        return f"{self.id}:{self.session_version}"

    @property
    def mfa_enrolled(self) -> bool:
        return self.totp_enrolled_at is not None


class Assessor(Base):
    """An external professional on, or applying to, our register; one per assessor account."""

    __tablename__ = "assessor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    # As it appears on the statutory register: the adapters compare it (REGISTERS.md).
    legal_given_names: Mapped[str] = mapped_column(String(200))
    legal_surname: Mapped[str] = mapped_column(String(200))
    professional_title: Mapped[str | None] = mapped_column(String(120))
    admission_status: Mapped[AdmissionStatus] = mapped_column(_enum(AdmissionStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What commissioning officers filter on (DOMAIN.md "Regions covered, languages,
    # availability, fees"); fees are whole pence, never floats.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str | None] = mapped_column(String(20))
    day_rate_pence: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship()
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="assessor", order_by="Registration.id"
    )

    @property
    def legal_name(self) -> str:
        return f"{self.legal_given_names} {self.legal_surname}"


class RecoveryCode(Base):
    """One of a user's ten single-use recovery codes, stored only as a hash (MFA-05)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class AccountToken(Base):
    """A single-use emailed link (invitation or password reset); only its SHA-256 is kept."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(_enum(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


PRIVILEGED_ROLES = frozenset({Role.REGISTER_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR})


class RoleGrant(Base):
    """Granting or raising a privileged role: proposed by one person, confirmed by another (AC-09).

    The grant takes effect only when confirmed. `via` says how it arose: "invitation",
    "role_change", "bootstrap" (the first register manager, from the CLI) or "existing" (a holder
    recorded when grants began to be kept). A row is never deleted; cancelling sets cancelled_at.
    """

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    previous_role: Mapped[Role | None] = mapped_column(_enum(Role))
    previous_organisation_id: Mapped[int | None] = mapped_column(Integer)
    via: Mapped[str] = mapped_column(String(20))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None
