"""The gate's view of assessors: AssessorFacts built from the models, for one or many at once.

Only profile items a register manager has ACCEPTED count: an item whose latest review is pending
(added or changed, not yet reviewed) or rejected counts for nothing, and is named as awaiting
review instead. Registrations count by their register checks (the primary source), unless a
manager rejected them. Loading many assessors costs a fixed
number of queries (one per table), so a search page's query count does not grow with the
register or the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from registry.clock import uk_date_of
from registry.eligibility import (
    AdmissionStanding,
    AssessorFacts,
    AwaitingItem,
    ConflictFact,
    DbsFact,
    DbsLevel,
    ExperienceFact,
    InsuranceFact,
    OffenceCategory,
    Population,
    Purpose,
    QualificationFact,
    ToolTrainingFact,
)
from registry.eligibility.wording import OFFENCE_WORDS, long_date, words
from registry.extensions import db
from registry.models import AdmissionStatus as ModelAdmission
from registry.models import (
    Assessor,
    Attestation,
    CpdRecord,
    DbsCheck,
    ExperienceEntry,
    Insurance,
    ItemReview,
    Qualification,
    Registration,
    ReviewStatus,
    Supervision,
    ToolTraining,
    User,
    VerificationCheck,
)
from registry.policy_store import current_policy
from registry.verification.service import registration_facts

ADMISSION = {
    ModelAdmission.APPLYING: AdmissionStanding.APPLIED,
    ModelAdmission.SUBMITTED: AdmissionStanding.APPLIED,
    ModelAdmission.ADMITTED: AdmissionStanding.ADMITTED,
    ModelAdmission.SUSPENDED: AdmissionStanding.SUSPENDED,
    ModelAdmission.REMOVED: AdmissionStanding.REMOVED,
}
ITEM_MODELS: tuple[Any, ...] = (
    Qualification,
    ToolTraining,
    ExperienceEntry,
    DbsCheck,
    Insurance,
    CpdRecord,
    Supervision,
)


@dataclass
class Loaded:
    """Assessors with every row their facts need, fetched in one query per table."""

    assessors: dict[int, Assessor]
    items: dict[tuple[str, int], list[Any]] = field(default_factory=lambda: defaultdict(list))
    attestations: dict[int, Attestation] = field(default_factory=dict)
    # The latest review status of every reviewed item, by (item_type, item_id).
    status: dict[tuple[str, int | None], ReviewStatus] = field(default_factory=dict)

    def accepted(self, model: Any, row: Any) -> bool:
        """Whether a register manager accepted this row as it now stands."""
        return self.status.get((model.__tablename__, row.id)) is ReviewStatus.ACCEPTED

    def rows(self, model: Any, assessor_id: int) -> list[Any]:
        """The assessor's ACCEPTED rows of one item table, oldest first."""
        rows = self.items.get((model.__tablename__, assessor_id), [])
        return [r for r in rows if self.accepted(model, r)]

    def awaiting(self, assessor_id: int) -> tuple[AwaitingItem, ...]:
        """The assessor's rows that do not count: awaiting review, or rejected."""
        found = []
        for model in ITEM_MODELS:
            for row in self.items.get((model.__tablename__, assessor_id), []):
                if self.accepted(model, row):
                    continue
                rejected = self.status.get((model.__tablename__, row.id)) is ReviewStatus.REJECTED
                found.append(AwaitingItem(model.__tablename__, _summary(row), rejected))
        return tuple(found)

    def latest(self, model: Any, assessor_id: int, column: str) -> Any:
        """The assessor's latest row of a table by a date column."""
        rows = self.rows(model, assessor_id)
        return max(rows, key=lambda row: (getattr(row, column), row.id), default=None)


def load_assessor(assessor_id: int) -> Assessor | None:
    """An assessor with registrations and checks, or None."""
    return load([assessor_id]).assessors.get(assessor_id)


def load(assessor_ids: Iterable[int]) -> Loaded:
    """Load many assessors and their items with a fixed number of queries."""
    ids = sorted(set(assessor_ids))
    assessors = db.session.scalars(select(Assessor).where(Assessor.id.in_(ids))).all()
    loaded = Loaded({a.id: a for a in assessors})
    if not ids:
        return loaded
    _load_registrations(loaded, ids)
    for model in ITEM_MODELS:
        for row in db.session.scalars(
            select(model).where(model.assessor_id.in_(ids)).order_by(model.id)
        ):
            loaded.items[(model.__tablename__, row.assessor_id)].append(row)
    for attestation in db.session.scalars(
        select(Attestation)
        .where(Attestation.assessor_id.in_(ids))
        .order_by(Attestation.attested_at, Attestation.id)
    ):
        loaded.attestations[attestation.assessor_id] = attestation
    for review in db.session.execute(
        select(ItemReview.item_type, ItemReview.item_id, ItemReview.status)
        .where(ItemReview.assessor_id.in_(ids))
        .order_by(ItemReview.submitted_at, ItemReview.id)
    ):
        loaded.status[(review.item_type, review.item_id)] = review.status
    return loaded


def _load_registrations(loaded: Loaded, ids: list[int]) -> None:
    """Users, registrations and checks of the loaded assessors: one query each.

    Not selectinload: it splits the ids into chunks of 500, so the number of queries would grow
    with the number of candidates.
    """
    user_ids = sorted({a.user_id for a in loaded.assessors.values()})
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    registrations: dict[int, list[Registration]] = defaultdict(list)
    for registration in db.session.scalars(
        select(Registration).where(Registration.assessor_id.in_(ids)).order_by(Registration.id)
    ):
        registrations[registration.assessor_id].append(registration)
    checks: dict[int, list[VerificationCheck]] = defaultdict(list)
    for check in db.session.scalars(
        select(VerificationCheck)
        .join(Registration, Registration.id == VerificationCheck.registration_id)
        .where(Registration.assessor_id.in_(ids))
        .order_by(VerificationCheck.id)
    ):
        checks[check.registration_id].append(check)
    for assessor in loaded.assessors.values():
        set_committed_value(assessor, "user", users.get(assessor.user_id))
        set_committed_value(assessor, "registrations", registrations[assessor.id])
        for registration in registrations[assessor.id]:
            set_committed_value(registration, "assessor", assessor)
            set_committed_value(registration, "checks", checks[registration.id])


def assessor_facts(
    assessor: Assessor, *, now: datetime, conflict: ConflictFact | None = None
) -> AssessorFacts:
    """Everything the gate may know about one assessor now."""
    return facts_for(load([assessor.id]), assessor.id, now=now, conflict=conflict)


def facts_for(
    loaded: Loaded, assessor_id: int, *, now: datetime, conflict: ConflictFact | None = None
) -> AssessorFacts:
    """The facts of one loaded assessor (no queries)."""
    assessor = loaded.assessors[assessor_id]
    attestation = loaded.attestations.get(assessor_id)
    dbs = loaded.latest(DbsCheck, assessor_id, "issued_on")
    insurance = loaded.latest(Insurance, assessor_id, "expires_on")
    cpd = loaded.latest(CpdRecord, assessor_id, "completed_on")
    supervision = loaded.latest(Supervision, assessor_id, "started_on")
    return AssessorFacts(
        assessor_id=assessor.id,
        admission=ADMISSION[assessor.admission_status],
        legal_surname=assessor.legal_surname,
        attested_on=uk_date_of(attestation.attested_at) if attestation else None,
        attestation_evidence_id=attestation.id if attestation else None,
        registrations=tuple(
            replace(fact, rejected=True)
            if loaded.status.get(("registration", fact.registration_id)) is ReviewStatus.REJECTED
            else fact
            for fact in registration_facts(assessor, now=now)
        ),
        qualifications=tuple(
            QualificationFact(q.kind, q.title, q.awarded_on, q.id)
            for q in loaded.rows(Qualification, assessor_id)
        ),
        tool_trainings=tuple(_training(t) for t in loaded.rows(ToolTraining, assessor_id)),
        experience=tuple(_experience(e) for e in loaded.rows(ExperienceEntry, assessor_id)),
        dbs=_dbs(dbs) if dbs else None,
        insurance=(
            InsuranceFact(insurance.expires_on, insurance.covers_expert_reports, insurance.id)
            if insurance
            else None
        ),
        cpd_last_recorded_on=cpd.completed_on if cpd else None,
        cpd_evidence_id=cpd.id if cpd else None,
        supervision_arrangement=(
            f"{supervision.supervisor_name}: {supervision.arrangement} ({supervision.frequency})"
            if supervision
            else None
        ),
        supervision_evidence_id=supervision.id if supervision else None,
        conflict=conflict,
        awaiting_review=loaded.awaiting(assessor_id),
    )


def _summary(row: Any) -> str:
    """An item in a few words, for "awaiting review" sentences."""
    if isinstance(row, Qualification):
        return row.title
    if isinstance(row, ToolTraining):
        tool = current_policy().tool(row.tool_code)
        return f"{tool.name if tool else row.tool_code}, trained on {_day(row.trained_on)}"
    if isinstance(row, ExperienceEntry):
        category = words(OFFENCE_WORDS, OffenceCategory(row.offence_category))
        return f"{row.count} assessments involving {category}"
    if isinstance(row, DbsCheck):
        return f"issued on {_day(row.issued_on)}"
    if isinstance(row, Insurance):
        return f"{row.insurer}, to {_day(row.expires_on)}"
    if isinstance(row, CpdRecord):
        return f"{row.title}, {_day(row.completed_on)}"
    if isinstance(row, Supervision):
        return f"with {row.supervisor_name}"
    return "an item"


def _day(value: date | None) -> str:
    return long_date(value) if value else "no date"


def _training(row: ToolTraining) -> ToolTrainingFact:
    return ToolTrainingFact(
        tool_code=row.tool_code,
        trained_on=row.trained_on,
        evidence_id=row.id,
        refresher_due=row.refresher_due,
        owner_approved=row.owner_approved,
    )


def _experience(row: ExperienceEntry) -> ExperienceFact:
    return ExperienceFact(
        offence_category=OffenceCategory(row.offence_category),
        population=Population(row.population),
        assessment_purpose=Purpose(row.assessment_purpose),
        count=row.count,
        period_from=row.period_from,
        period_to=row.period_to,
        last_case_on=row.last_case_on,
        evidence_id=row.id,
    )


def _dbs(row: DbsCheck) -> DbsFact:
    return DbsFact(
        level=DbsLevel(row.level.value),
        issued_on=row.issued_on,
        update_service=row.update_service,
        last_status_check_on=row.last_status_check_on,
        disclosure=row.disclosure,
        disclosure_decision_recorded=bool(row.disclosure_decision),
        evidence_id=row.id,
    )
