"""Helpers for the vetting tests: a clear check, accepting items, signing in as a user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registry.extensions import db as _db
from registry.models import CheckMethod, ItemReview, Registration, ReviewStatus, VerificationCheck
from support import DEMO_PASSWORD, MadeUser

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def clear_check(registration: Registration, at: datetime = NOW, **fields) -> VerificationCheck:
    """Record a clear automatic check of a registration."""
    check = VerificationCheck(
        registration=registration,
        method=CheckMethod.AUTOMATIC,
        performed_by_label="test",
        checked_at=at,
        outcome=fields.pop("outcome", "clear"),
        source_url="https://register.invalid/",
        adapter_version="test",
        **fields,
    )
    _db.session.add(check)
    _db.session.commit()
    return check


def made(user) -> MadeUser:
    """A MadeUser for an existing user, to sign a client in as them."""
    return MadeUser(user=user, password=DEMO_PASSWORD, seed=None)


def pending(assessor, item_type: str | None = None) -> list[ItemReview]:
    """The assessor's pending reviews (of one item type, if given)."""
    rows = _db.session.scalars(
        _db.select(ItemReview).where(
            ItemReview.assessor_id == assessor.id, ItemReview.status == ReviewStatus.PENDING
        )
    ).all()
    return [r for r in rows if item_type is None or r.item_type == item_type]


def accept_all(assessor, manager, now: datetime = NOW) -> None:
    """Accept every pending item of the assessor."""
    from registry.vetting.service import decide_item

    for review in pending(assessor):
        decide_item(manager, review, True, None, now=now)


def later(days: int) -> datetime:
    """NOW plus some days."""
    return NOW + timedelta(days=days)
