"""The assessor's attestation that the whole profile is accurate, due again every 120 days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import Assessor, Attestation, User
from registry.policy_store import current_policy
from registry.vetting.service import assessor_for, require_sections

# Fixed here, and stored with every signature, so the record shows exactly what was attested.
STATEMENT = (
    "I confirm that everything in my profile on the register is accurate and complete today: "
    "my identity, registrations, qualifications, tool training, experience, referees, DBS check, "
    "insurance, CPD, supervision and services. I will update it as soon as anything changes."
)


def latest_attestation(assessor: Assessor) -> Attestation | None:
    """The assessor's most recent attestation, if any."""
    return db.session.scalar(
        select(Attestation)
        .where(Attestation.assessor_id == assessor.id)
        .order_by(Attestation.attested_at.desc(), Attestation.id.desc())
        .limit(1)
    )


def attestation_due_on(assessor: Assessor) -> date | None:
    """The UK date the next attestation is due (last one + attestation_days); None if never."""
    latest = latest_attestation(assessor)
    if latest is None:
        return None
    return uk_date_of(latest.attested_at) + timedelta(
        days=current_policy().freshness.attestation_days
    )


def attestation_is_current(assessor: Assessor, *, now: datetime) -> bool:
    """True while today is on or before the due date (so 120 days count, the 121st does not)."""
    due = attestation_due_on(assessor)
    return due is not None and uk_date_of(now) <= due


def attest(assessor_user: User, signed_name: str, *, now: datetime) -> Attestation:
    """Record the signed attestation. Raises ValidationFailed unless the name is the assessor's."""
    assessor = assessor_for(assessor_user)
    require_sections(assessor, "attest")
    signed = " ".join((signed_name or "").split())
    if not signed:
        raise ValidationFailed("Enter your full name", "signed_name")
    if signed.casefold() != " ".join(assessor.legal_name.split()).casefold():
        raise ValidationFailed(
            f"Enter your name as it is in your profile: {assessor.legal_name}", "signed_name"
        )
    attestation = Attestation(
        assessor_id=assessor.id, statement=STATEMENT, signed_name=signed, attested_at=now
    )
    db.session.add(attestation)
    db.session.flush()
    record_audit(assessor_user, "attestation.signed", attestation, at=now)
    db.session.commit()
    return attestation
