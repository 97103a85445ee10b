"""What a register manager's home page shows: the work waiting, each with where to do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from registry.extensions import db
from registry.models import AdmissionDecision, User
from registry.registers import BODY_NAMES
from registry.users import grants
from registry.verification import queries as verification_queries
from registry.vetting import expiries, queries
from registry.vetting.admission import FOUR_EYES

EXPIRY_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ManagerHome:
    """Counts of the work waiting for register managers."""

    now: datetime
    assessors_to_review: int
    items_to_review: int
    oldest_item_since: datetime | None
    waiting_for_second: list[AdmissionDecision]
    grants_waiting: int
    registrations_needing_attention: int
    expiring_soon: int
    unreadable_registers: list[str]


def manager_home(manager: User, *, now: datetime) -> ManagerHome:
    """The register managers' home-page figures, as of now."""
    assessors, items, oldest = queries.queue_summary()
    proposals = db.session.scalars(
        select(AdmissionDecision)
        .where(
            AdmissionDecision.action.in_(list(FOUR_EYES)),
            AdmissionDecision.confirmed_at.is_(None),
            AdmissionDecision.cancelled_at.is_(None),
        )
        .order_by(AdmissionDecision.proposed_at, AdmissionDecision.id)
    ).all()
    canaries = verification_queries.canary_states()
    return ManagerHome(
        now=now,
        assessors_to_review=assessors,
        items_to_review=items,
        oldest_item_since=oldest,
        waiting_for_second=list(proposals),
        grants_waiting=len(grants.visible_to(manager)),
        registrations_needing_attention=verification_queries.count_needing_attention(now=now),
        expiring_soon=expiries.count_due(now=now, within_days=EXPIRY_WINDOW_DAYS),
        unreadable_registers=[
            BODY_NAMES[body]
            for body, event in canaries.items()
            if event is not None and event.outcome != "clear"
        ],
    )
