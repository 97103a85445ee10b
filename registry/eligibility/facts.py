"""Plain data the gate reads: a described case, and what the register holds about an assessor.

Services build these from the models. Every fact that can be cited carries the id of the record
it came from (`evidence_id`) so that a decision can name its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.eligibility.vocabulary import (
    AccessToChild,
    AdmissionStanding,
    AgeBand,
    AssessmentType,
    Context,
    ConvictionStatus,
    DbsLevel,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
    Sex,
)


@dataclass(frozen=True)
class CaseDescription:
    """A commission request described in structured terms (DOMAIN.md "Describing a case")."""

    context: Context
    subject_sex: Sex
    age_band: AgeBand
    conviction_status: ConvictionStatus
    learning_disability: bool
    offence_categories: frozenset[OffenceCategory]
    assessment_type: AssessmentType
    assessment_purpose: Purpose
    needed_by: date
    access_to_child: AccessToChild
    language_needs: str | None = None
    named_parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrationFact:
    """A statutory (or other) registration and the latest meaningful result of checking it.

    `outcome`/`checked_on`/`evidence_id` describe the latest check that was not `unreadable`
    (an unreadable check never erases the last known result); `unreadable` only if none was.
    """

    registration_id: int
    body: str
    profession: str
    outcome: Outcome
    checked_on: date | None
    evidence_id: int | None = None
    entries: tuple[str, ...] = ()
    manual: bool = False
    period_to: date | None = None
    conditions: str | None = None
    register_status: str | None = None
    # The register shows a sanction (suspension, interim order, conditions, undertakings, warning,
    # caution, striking-off), or its wording left it uncertain (then treated as one). A lapse
    # without a sanction (voluntary removal, not renewed) is not one.
    sanction: bool = False
    # A register manager rejected this registration as an item of the profile: it cannot be
    # relied on as "Regulated", though any sanction it shows still counts.
    rejected: bool = False


@dataclass(frozen=True)
class QualificationFact:
    """A qualification a register manager accepted; `kind` is a code of the policy's list."""

    kind: str | None
    title: str
    awarded_on: date
    evidence_id: int | None = None


@dataclass(frozen=True)
class AwaitingItem:
    """A profile item added or changed that a register manager has not accepted (yet).

    It counts for nothing; the gate names it so that "why not?" can say it is awaiting review.
    `item_type` is the item's table name ("tool_training", "experience_entry", ...).
    """

    item_type: str
    summary: str
    rejected: bool = False


@dataclass(frozen=True)
class ToolTrainingFact:
    tool_code: str
    trained_on: date
    evidence_id: int | None = None
    refresher_due: date | None = None
    owner_approved: bool = False


@dataclass(frozen=True)
class ExperienceFact:
    """`count` assessments of one offence category and population done between the two dates."""

    offence_category: OffenceCategory
    population: Population
    assessment_purpose: Purpose
    count: int
    period_from: date
    period_to: date
    last_case_on: date | None
    evidence_id: int | None = None


@dataclass(frozen=True)
class DbsFact:
    level: DbsLevel
    issued_on: date
    update_service: bool = False
    last_status_check_on: date | None = None
    disclosure: bool = False
    disclosure_decision_recorded: bool = False
    evidence_id: int | None = None


@dataclass(frozen=True)
class InsuranceFact:
    expires_on: date
    covers_expert_reports: bool
    evidence_id: int | None = None


@dataclass(frozen=True)
class ConflictFact:
    """The assessor's conflict declaration for this commission against its named parties.

    `no_conflict` is the explicit answer "I have no conflict with any of these parties";
    `conflicts` are the conflicts declared, in words (any one of them fails "Independent").
    """

    declared_on: date
    no_conflict: bool
    conflicts: tuple[str, ...] = ()
    evidence_id: int | None = None


@dataclass(frozen=True)
class AssessorFacts:
    """Everything the gate may know about one assessor, built by a service from the models."""

    assessor_id: int
    admission: AdmissionStanding
    legal_surname: str
    attested_on: date | None = None
    registrations: tuple[RegistrationFact, ...] = ()
    qualifications: tuple[QualificationFact, ...] = ()
    tool_trainings: tuple[ToolTrainingFact, ...] = ()
    experience: tuple[ExperienceFact, ...] = ()
    dbs: DbsFact | None = None
    insurance: InsuranceFact | None = None
    cpd_last_recorded_on: date | None = None
    supervision_arrangement: str | None = None
    conflict: ConflictFact | None = None
    admission_evidence_id: int | None = None
    attestation_evidence_id: int | None = None
    cpd_evidence_id: int | None = None
    supervision_evidence_id: int | None = None
    awaiting_review: tuple[AwaitingItem, ...] = ()
