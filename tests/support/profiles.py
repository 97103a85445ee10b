"""Assessor profiles that pass the gate, for tests that need an eligible assessor."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.extensions import db as _db


def complete_profile(assessor_id: int, now: datetime, *, attested: bool = True) -> list[object]:
    """Profile items that make an assessor with a clear HCPC forensic registration eligible
    for a typical adult-male contact-offending case (the caller adds and commits them)."""
    from datetime import timedelta

    from registry.models import (
        Attestation,
        CpdRecord,
        DbsCheck,
        DbsLevel,
        ExperienceEntry,
        Insurance,
        Qualification,
        Supervision,
        ToolTraining,
    )

    today = now.date()
    stamp = {"created_at": now, "updated_at": now, "assessor_id": assessor_id}
    items: list[object] = [
        Qualification(
            kind="doctorate_forensic_psychology",
            title="Doctorate in Forensic Psychology",
            awarding_body="University of Birmingham",
            awarded_on=today - timedelta(3000),
            **stamp,
        ),
        ToolTraining(
            tool_code="STATIC99R", trainer="Tool owner", trained_on=today - timedelta(400), **stamp
        ),
        ExperienceEntry(
            offence_category="contact_intra_familial",
            population="adult_male",
            assessment_purpose="risk",
            count=24,
            period_from=today - timedelta(1500),
            period_to=today - timedelta(20),
            last_case_on=today - timedelta(20),
            **stamp,
        ),
        DbsCheck(
            level=DbsLevel.ENHANCED_BARRED,
            certificate_number="001234567890",
            issued_on=today - timedelta(300),
            **stamp,
        ),
        Insurance(
            insurer="Insurer",
            policy_number="PI-1",
            cover_pence=500_000_000,
            expires_on=today + timedelta(300),
            covers_expert_reports=True,
            **stamp,
        ),
        CpdRecord(
            title="Risk assessment update", completed_on=today - timedelta(60), hours=6, **stamp
        ),
        Supervision(
            supervisor_name="Dr Peer",
            arrangement="Monthly peer review",
            frequency="Monthly",
            started_on=today - timedelta(700),
            **stamp,
        ),
    ]
    if attested:
        items.append(
            Attestation(
                assessor_id=assessor_id,
                statement="Accurate",
                signed_name="Signed",
                attested_at=now - timedelta(days=10),
            )
        )
    return items


def add_complete_profile(
    assessor_id: int, now: datetime, *, attested: bool = True, accepted: bool = True
) -> list[object]:
    """complete_profile's items added to the session, each accepted by a register manager (the
    gate counts only accepted items). The caller commits."""
    from registry.models import Attestation, ItemReview, ReviewStatus

    items = complete_profile(assessor_id, now, attested=attested)
    _db.session.add_all(items)
    _db.session.flush()
    if accepted:
        for item in items:
            if isinstance(item, Attestation):
                continue
            _db.session.add(
                ItemReview(
                    assessor_id=assessor_id,
                    item_type=item.__tablename__,
                    item_id=item.id,
                    status=ReviewStatus.ACCEPTED,
                    submitted_at=now,
                    decided_at=now,
                )
            )
    return items


def accept_everything(assessor, now: datetime | None = None) -> None:
    """A register manager accepts every item of the assessor's profile (the caller commits)."""
    from datetime import timedelta

    from registry.extensions import db
    from registry.models import ItemReview, ReviewStatus
    from registry.vetting.items import profile_items

    now = now or datetime.now(UTC)
    for item in profile_items(assessor):
        db.session.add(
            ItemReview(
                assessor_id=assessor.id,
                item_type=item.item_type,
                item_id=item.item_id,
                status=ReviewStatus.ACCEPTED,
                submitted_at=now + timedelta(seconds=1),
                decided_at=now + timedelta(seconds=1),
            )
        )
