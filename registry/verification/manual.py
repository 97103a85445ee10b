"""Manual checks: a register manager looks a registration up by hand and records the capture.

For bodies with no automatable register (SSSC, NISCC, Social Care Wales, accredited registers,
BPS Chartered). A manual check is labelled as such wherever it is shown and counts for 90 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.errors import NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import CheckMethod, Registration, Role, User, VerificationCheck
from registry.policy_store import current_policy
from registry.registers import AUTOMATED_BODIES
from registry.storage import store_upload
from registry.verification.cadence import next_due
from registry.verification.service import Recorded, notify_if_lapsed, standing

MANUAL_OUTCOMES = frozenset({"clear", "restricted", "blocked", "not_found", "name_mismatch"})
# Outcomes for which the manager says whether the register showed a sanction or a lapse.
SANCTION_OUTCOMES = frozenset({"restricted", "blocked"})
# The answers, and what each records: "I cannot tell" is treated as a sanction (fail closed).
SANCTION_ANSWERS = {"sanction": True, "lapse": False, "unknown": True}
CANNOT_TELL = (
    "The register manager could not tell whether this was a sanction, so it is treated as one."
)


@dataclass(frozen=True)
class ManualCheck:
    """What the manager saw on the register page."""

    outcome: str
    status_text: str
    source_url: str
    period_to: date | None
    notes: str
    # For a restricted or blocked outcome: "sanction", "lapse" or "unknown" (I cannot tell).
    sanction: str | None = None


def record_manual_check(
    manager: User,
    registration: Registration,
    data: ManualCheck,
    capture: BinaryIO,
    capture_name: str,
    *,
    now: datetime,
) -> VerificationCheck:
    """Record a manual check with its capture. Raises NotAllowed or ValidationFailed."""
    if manager.role is not Role.REGISTER_MANAGER:
        raise NotAllowed("Only register managers can record manual checks")
    if registration.body in AUTOMATED_BODIES:
        raise ValidationFailed("This register is checked automatically: use “check again”")
    if data.outcome not in MANUAL_OUTCOMES:
        raise ValidationFailed("Select what the register showed", "outcome")
    sanction = _sanction(data)
    detail = data.notes
    if data.outcome in SANCTION_OUTCOMES and data.sanction == "unknown":
        detail = f"{detail} {CANNOT_TELL}".strip()
    if not data.source_url.startswith("https://"):
        raise ValidationFailed(
            "Enter the web address of the register page, starting https://", "source_url"
        )
    stored = store_upload(
        capture, capture_name, Path(current_app.config["UPLOAD_FOLDER"]), field="capture"
    )
    before = standing(registration, now=now)
    days = current_policy().freshness.manual_registration_check_days
    check = VerificationCheck(
        registration=registration,
        method=CheckMethod.MANUAL,
        performed_by=manager,
        performed_by_label=f"Manual check by {manager.full_name}",
        checked_at=now,
        outcome=data.outcome,
        status_text=data.status_text,
        detail=detail,
        sanction=sanction,
        period_to=data.period_to,
        entries=[],
        source_url=data.source_url,
        adapter_version="manual",
        capture_path=stored.path,
        capture_sha256=stored.sha256,
        capture_filename=stored.original_name,
        capture_content_type=stored.content_type,
        next_due_on=next_due(
            body=registration.body,
            number=registration.number,
            outcome=data.outcome,
            checked_on=uk_date_of(now),
            manual=True,
            manual_days=days,
        ),
    )
    registration.next_check_due = check.next_due_on
    db.session.add(check)
    db.session.flush()
    record_audit(
        manager,
        "registration.manual_check",
        registration,
        at=now,
        after={
            "outcome": data.outcome,
            "sanction": sanction,
            "check_id": check.id,
            "capture_sha256": stored.sha256,
        },
    )
    notify_if_lapsed(Recorded(check, before, standing(registration, now=now)), now=now)
    db.session.commit()
    return check


def _sanction(data: ManualCheck) -> bool:
    """What the manager's answer records. Raises ValidationFailed when a restricted or blocked
    outcome has no answer, or a restriction is called a lapse."""
    if data.outcome not in SANCTION_OUTCOMES:
        return False
    if data.sanction not in SANCTION_ANSWERS:
        raise ValidationFailed(
            "Select whether this is a sanction or a lapse without a sanction, or that you cannot "
            "tell",
            "sanction",
        )
    if data.outcome == "restricted" and data.sanction == "lapse":
        raise ValidationFailed(
            "Conditions, a caution or undertakings are a sanction: select “A sanction”, or "
            "choose what the register showed again",
            "sanction",
        )
    return SANCTION_ANSWERS[data.sanction]
