"""Reads for the register managers' verification pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry.extensions import db
from registry.models import AuditEvent, Registration
from registry.registers import AUTOMATED_BODIES
from registry.verification.register_standing import Standing
from registry.verification.service import standing


@dataclass(frozen=True)
class RegistrationRow:
    """A registration with its standing, for a list."""

    registration: Registration
    standing: Standing


def needing_attention(*, now: datetime) -> list[RegistrationRow]:
    """Every registration whose standing is not clear, worst first."""
    registrations = db.session.scalars(
        select(Registration).options(
            selectinload(Registration.assessor), selectinload(Registration.checks)
        )
    ).all()
    rows = [RegistrationRow(r, standing(r, now=now)) for r in registrations]
    order = [
        "blocked",
        "not_found",
        "name_mismatch",
        "restricted",
        "unreadable",
        "expired",
        "unchecked",
    ]
    attention = [row for row in rows if not row.standing.is_clear]
    return sorted(
        attention, key=lambda row: (order.index(row.standing.outcome), row.registration.id)
    )


def canary_states() -> dict[str, AuditEvent | None]:
    """The latest canary result per automatically checked register."""
    states: dict[str, AuditEvent | None] = {}
    for body in AUTOMATED_BODIES:
        states[body] = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "registers.canary")
            .where(AuditEvent.object_type == body)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(1)
        )
    return states
