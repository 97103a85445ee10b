"""Many synthetic assessors at once, for benchmarks (`flask demo seed --assessors N`).

Rows are inserted in bulk, a few statements per table, so ten thousand take seconds. Every
profile item gets an accepted item_review (decision 0007: only accepted items count) and each
assessor a qualification of a kind the policy lists, so that what stands between them and
eligibility is their register check. Their registration numbers (HCPC PYL8xxxxxx) are unknown to
the register simulator, so verify-due records them as not found and none of them is eligible
until a check is recorded for them; search benchmarks add clear checks straight into the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from registry.clock import uk_date_of
from registry.extensions import db
from registry.models import (
    AccountStatus,
    AdmissionStatus,
    Assessor,
    Attestation,
    DbsCheck,
    DbsLevel,
    ExperienceEntry,
    Insurance,
    ItemReview,
    Qualification,
    Registration,
    ReviewStatus,
    Role,
    User,
)

BATCH = 1000
PREFIX = "bulk-assessor-"


def seed_bulk_assessors(count: int, *, now: datetime) -> int:
    """Add `count` synthetic admitted assessors with a registration and core items; commits."""
    start = db.session.scalar(select(func.count(User.id)).where(User.email.like(f"{PREFIX}%"))) or 0
    for offset in range(0, count, BATCH):
        numbers = range(start + offset, start + min(offset + BATCH, count))
        _batch(list(numbers), now)
    db.session.commit()
    return count


def _batch(numbers: list[int], now: datetime) -> None:
    user_ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [
            {"email": f"{PREFIX}{n}@assessors.example", "full_name": f"Synthetic Assessor {n}",
             "role": Role.ASSESSOR, "status": AccountStatus.ACTIVE, "created_at": now}
            for n in numbers
        ],
    ).all()  # fmt: skip
    assessor_ids = db.session.scalars(
        insert(Assessor).returning(Assessor.id, sort_by_parameter_order=True),
        [
            {"user_id": user_id, "legal_given_names": "Synthetic", "legal_surname": f"Assessor{n}",
             "admission_status": AdmissionStatus.ADMITTED, "created_at": now,
             "regions": ["London"], "languages": ["English"], "availability": "available",
             "day_rate_pence": 80_000}
            for user_id, n in zip(user_ids, numbers, strict=True)
        ],
    ).all()  # fmt: skip
    today = uk_date_of(now)
    pairs = list(zip(assessor_ids, numbers, strict=True))
    stamp = {"created_at": now, "updated_at": now}
    db.session.execute(insert(Registration), [
        {"assessor_id": a, "body": "hcpc", "number": f"PYL8{n:06d}",
         "profession": "practitioner_psychologist", "created_at": now}
        for a, n in pairs
    ])  # fmt: skip
    _items(ExperienceEntry, now, [
        {"assessor_id": a, "offence_category": "contact_intra_familial", "population": "adult_male",
         "assessment_purpose": "risk", "count": 10 + n % 30,
         "period_from": today - timedelta(days=1500), "period_to": today - timedelta(days=10),
         "last_case_on": today - timedelta(days=15), "description": "", **stamp}
        for a, n in pairs
    ])  # fmt: skip
    _items(DbsCheck, now, [
        {"assessor_id": a, "level": DbsLevel.ENHANCED_BARRED, "certificate_number": f"{n:012d}",
         "issued_on": today - timedelta(days=100 + n % 900), "update_service": False,
         "disclosure": False, **stamp}
        for a, n in pairs
    ])  # fmt: skip
    _items(Insurance, now, [
        {"assessor_id": a, "insurer": "Hiscox", "policy_number": f"PI-{n}",
         "cover_pence": 500_000_000, "expires_on": today + timedelta(days=30 + n % 300),
         "covers_expert_reports": True, **stamp}
        for a, n in pairs
    ])  # fmt: skip
    _items(Qualification, now, [
        {"assessor_id": a, "kind": "doctorate_forensic_psychology",
         "title": "DForenPsy", "awarding_body": "University of Birmingham",
         "awarded_on": today - timedelta(days=3000 + n % 1000), **stamp}
        for a, n in pairs
    ])  # fmt: skip
    db.session.execute(insert(Attestation), [
        {"assessor_id": a, "statement": "My profile is accurate.",
         "signed_name": f"Synthetic Assessor{n}", "attested_at": now - timedelta(days=n % 150)}
        for a, n in pairs
    ])  # fmt: skip


def _items(model: Any, now: datetime, rows: list[dict[str, Any]]) -> None:
    """Insert one item per assessor and an accepted review of each."""
    ids = db.session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    ).all()
    accept(model, [(row["assessor_id"], i) for row, i in zip(rows, ids, strict=True)], now)


def accept(model: Any, items: list[tuple[int, int]], now: datetime) -> None:
    """Accepted item_review rows, in bulk, for (assessor_id, item_id) pairs of one item table."""
    if not items:
        return
    db.session.execute(insert(ItemReview), [
        {"assessor_id": a, "item_type": model.__tablename__, "item_id": i,
         "status": ReviewStatus.ACCEPTED, "submitted_at": now - timedelta(days=1),
         "decided_at": now - timedelta(hours=1), "message": None}
        for a, i in items
    ])  # fmt: skip
