"""Demo profile items for demo assessors (development only): a realistic spread of profiles.

Kinds: "complete" (eligible for an adult male risk assessment once the registration is verified
clear), "expiring" (insurance within 30 days, DBS 34 months old), "expired" (insurance ended,
attestation too old), "incomplete" (a qualification and one referee) and "empty".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from registry.clock import uk_date_of
from registry.extensions import db
from registry.models import (
    AdmissionStatus,
    Assessor,
    Attestation,
    CpdRecord,
    DbsCheck,
    DbsLevel,
    ExperienceEntry,
    Insurance,
    ItemReview,
    Qualification,
    Referee,
    Registration,
    ReviewStatus,
    Supervision,
    ToolTraining,
)
from registry.models.profile import PROFILE_ITEM_MODELS

PROFILE_KINDS = ("complete", "expiring", "expired", "incomplete", "empty")
# (title, awarding body, the policy's kind of qualification or None for another one).
QUALIFICATIONS = {
    "practitioner_psychologist": (
        "DClinPsy Clinical Psychology",
        "University of Manchester",
        "doctorate_clinical_psychology",
    ),
    "psychiatrist": ("MRCPsych", "Royal College of Psychiatrists", "mrcpsych"),
    "social_worker": ("MA Social Work", "University of Birmingham", "social_work_qualification"),
    "mental_health_nurse": ("BSc Mental Health Nursing", "King's College London", None),
    "learning_disability_nurse": ("BSc Learning Disability Nursing", "University of Hull", None),
}
# Nurses also hold the post-qualifying award the policy asks of them.
NURSES = ("mental_health_nurse", "learning_disability_nurse")
# How the register managers have reviewed a demo assessor's items, by admission status: admitted
# (and later suspended or removed) assessors' items were accepted; submitted ones await review.
REVIEWED = {
    AdmissionStatus.ADMITTED: ReviewStatus.ACCEPTED,
    AdmissionStatus.SUSPENDED: ReviewStatus.ACCEPTED,
    AdmissionStatus.REMOVED: ReviewStatus.ACCEPTED,
    AdmissionStatus.SUBMITTED: ReviewStatus.PENDING,
}
# One tool per profession that fits an adult man convicted of a contact offence.
TOOLS = {"social_worker": "STATIC99R", "mental_health_nurse": "SVR20"}
REGIONS = (("London", "South East"), ("North West",), ("Yorkshire and the Humber", "North East"))


def fill_profile(assessor: Assessor, profession: str, kind: str, index: int, now: datetime) -> None:
    """Add the demo items of one kind to an assessor (the caller commits)."""
    today = uk_date_of(now)
    title, awarded_by, code = QUALIFICATIONS.get(profession, QUALIFICATIONS["social_worker"])
    _add(assessor, Qualification, now, title=title, awarding_body=awarded_by, kind=code,
         awarded_on=_years_ago(today, 8 + index % 7))  # fmt: skip
    if profession in NURSES:
        _add(assessor, Qualification, now, kind="pq_sexual_offending",
             title="PGCert Assessing Sexual Offending Risk", awarding_body="University of Hull",
             awarded_on=_years_ago(today, 4))  # fmt: skip
    _add(assessor, Referee, now, name=f"Dr Referee {index}", role="Head of forensic service",
         organisation="Northshire Forensic Service", email=f"referee{index}@nhs.example",
         relationship_to_assessor="Line manager while I completed risk assessments")  # fmt: skip
    if kind not in ("incomplete", "empty"):
        _full(assessor, profession, kind, index, today, now)
    review_items(assessor, now)


def review_items(assessor: Assessor, now: datetime) -> None:
    """Record the register managers' reviews of the assessor's items (see REVIEWED)."""
    status = REVIEWED.get(assessor.admission_status)
    if status is None:
        return
    db.session.flush()
    for model in (Registration, *PROFILE_ITEM_MODELS.values()):
        for row in db.session.scalars(select(model).where(model.assessor_id == assessor.id)):
            db.session.add(
                ItemReview(
                    assessor_id=assessor.id,
                    item_type=model.__tablename__,
                    item_id=row.id,
                    status=status,
                    submitted_at=now,
                    decided_at=now if status is ReviewStatus.ACCEPTED else None,
                )
            )


def _full(assessor: Assessor, profession: str, kind: str, index: int, today: date, now) -> None:
    _add(assessor, Referee, now, name=f"Ms Peer {index}", role="Consultant social worker",
         organisation="Eastborough Children's Services", email=f"peer{index}@council.example",
         relationship_to_assessor="Commissioned several of my assessments")  # fmt: skip
    _add(assessor, ToolTraining, now, tool_code=TOOLS.get(profession, "RM2000"),
         trainer="Accredited trainer", trained_on=today - timedelta(days=300 + index),
         refresher_due=today + timedelta(days=700), owner_approved=False)  # fmt: skip
    _add(assessor, ExperienceEntry, now, offence_category="contact_intra_familial",
         population="adult_male", assessment_purpose="risk", count=12 + index % 20,
         period_from=_years_ago(today, 4), period_to=today - timedelta(days=20),
         last_case_on=today - timedelta(days=25),
         description="Family court and s47 work")  # fmt: skip
    if index % 2:
        _add(assessor, ExperienceEntry, now, offence_category="iioc", population="online",
             assessment_purpose="risk", count=10 + index % 5, period_from=_years_ago(today, 3),
             period_to=today - timedelta(days=40),
             last_case_on=today - timedelta(days=45))  # fmt: skip
    dbs_age = timedelta(days=34 * 30) if kind == "expiring" else timedelta(days=200 + index)
    _add(assessor, DbsCheck, now, level=DbsLevel.ENHANCED_BARRED,
         certificate_number=f"00{index:010d}", issued_on=today - dbs_age, update_service=False,
         disclosure=False)  # fmt: skip
    insurance_ends = {"expiring": 20, "expired": -10}.get(kind, 300)
    _add(assessor, Insurance, now, insurer="Hiscox", policy_number=f"PI-{index:05d}",
         cover_pence=500_000_000, expires_on=today + timedelta(days=insurance_ends),
         covers_expert_reports=True)  # fmt: skip
    _add(assessor, CpdRecord, now, title="Risk formulation in family proceedings",
         completed_on=today - timedelta(days=60 + index), hours=7)  # fmt: skip
    _add(assessor, Supervision, now, supervisor_name="Dr Ann Moss",
         arrangement="Monthly peer review group", frequency="Monthly",
         started_on=_years_ago(today, 2))  # fmt: skip
    assessor.regions = list(REGIONS[index % len(REGIONS)])
    assessor.languages = ["English"] + (["Welsh"] if index % 5 == 0 else [])
    assessor.availability = "available"
    assessor.day_rate_pence = 75_000 + 5_000 * (index % 6)
    attested = now - timedelta(days=130 if kind == "expired" else 10)
    db.session.add(Attestation(assessor=assessor, statement="My profile is accurate.",
                               signed_name=assessor.legal_name, attested_at=attested))  # fmt: skip


def _add(assessor: Assessor, model: type, now: datetime, **values) -> None:
    db.session.add(model(assessor=assessor, created_at=now, updated_at=now, **values))


def _years_ago(today: date, years: int) -> date:
    return today.replace(year=today.year - years, day=min(today.day, 28))
