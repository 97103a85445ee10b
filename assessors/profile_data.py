"""Profile items as plain data: what forms hand the profile services (one class per item type).

Each class names exactly the columns an assessor may set, so nothing else can be assigned
(assessor_id, review decisions and a manager's disclosure decision are never among them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class QualificationData:
    title: str
    awarding_body: str
    awarded_on: date
    document_id: int | None = None
    # A code of the policy's qualifications, or None for another qualification.
    kind: str | None = None


@dataclass(frozen=True)
class ToolTrainingData:
    tool_code: str
    trainer: str
    trained_on: date
    refresher_due: date | None = None
    owner_approval_reference: str | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class ExperienceData:
    offence_category: str
    population: str
    assessment_purpose: str
    count: int
    period_from: date
    period_to: date
    last_case_on: date
    description: str = ""


@dataclass(frozen=True)
class RefereeData:
    name: str
    role: str
    organisation: str
    email: str
    relationship_to_assessor: str


@dataclass(frozen=True)
class DbsData:
    level: str
    certificate_number: str
    issued_on: date
    update_service: bool
    last_status_check_on: date | None
    disclosure: bool
    document_id: int | None = None


@dataclass(frozen=True)
class InsuranceData:
    insurer: str
    policy_number: str
    cover_pence: int
    expires_on: date
    covers_expert_reports: bool
    document_id: int | None = None


@dataclass(frozen=True)
class CpdData:
    title: str
    completed_on: date
    hours: int
    document_id: int | None = None


@dataclass(frozen=True)
class SupervisionData:
    supervisor_name: str
    arrangement: str
    frequency: str
    started_on: date


@dataclass(frozen=True)
class ServicesData:
    """Regions covered, languages, availability and day rate (the assessor's own columns)."""

    regions: tuple[str, ...]
    languages: tuple[str, ...]
    availability: str
    day_rate_pence: int | None
