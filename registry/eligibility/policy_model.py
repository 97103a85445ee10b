"""The eligibility policy as frozen dataclasses; registry.policy loads them from the TOML file."""

from __future__ import annotations

from dataclasses import dataclass

from registry.eligibility.vocabulary import (
    AgeBand,
    AssessmentType,
    ConvictionStatus,
    DbsLevel,
    OffenceCategory,
    Population,
    Purpose,
)

TOOL_KINDS = {
    "actuarial": "actuarial tool",
    "structured_professional_judgement": "structured professional judgement guide",
    "assessment_model": "assessment model",
}


@dataclass(frozen=True)
class Body:
    code: str
    name: str
    short_name: str
    statutory: bool


@dataclass(frozen=True)
class Profession:
    code: str
    title: str
    entries: tuple[tuple[str, str], ...] = ()

    def entry_title(self, code: str) -> str:
        """The words shown for a register entry code; the code itself when the policy has none."""
        return dict(self.entries).get(code, code.replace("_", " "))


@dataclass(frozen=True)
class AcceptedRegistration:
    """A body and profession accepted for an assessment type; any one of `entries` if listed."""

    body: str
    profession: str
    entries: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualificationKind:
    """A qualification the policy can count for "Qualified"."""

    code: str
    title: str


@dataclass(frozen=True)
class PopulationRule:
    key: Population
    title: str
    special: bool
    min_assessments: int
    window_years: int
    needs_tool: bool


@dataclass(frozen=True)
class Tool:
    code: str
    name: str
    kind: str
    owner: str
    populations: tuple[Population, ...]
    requires_populations: tuple[Population, ...]
    age_bands: tuple[AgeBand, ...]
    conviction_statuses: tuple[ConvictionStatus, ...]
    requires_offences: tuple[OffenceCategory, ...]
    not_when_only: tuple[OffenceCategory, ...]
    training_required: bool
    owner_approval_required: bool
    refresher_years: int


@dataclass(frozen=True)
class AssessmentTypeRule:
    key: AssessmentType
    title: str
    registrations: tuple[AcceptedRegistration, ...]
    experience_purposes: tuple[Purpose, ...]
    required_populations: tuple[Population, ...]
    tool_required: bool
    subject_is_offender: bool
    min_assessments: int
    window_years: int
    last_case_within_years: int
    # Per profession, the qualification codes of which at least one makes an assessor qualified.
    qualified: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def qualifications_for(self, profession: str) -> tuple[str, ...]:
        """The qualification codes that count for a profession under this type (may be empty)."""
        return dict(self.qualified).get(profession, ())


@dataclass(frozen=True)
class Freshness:
    registration_check_days: int
    manual_registration_check_days: int
    attestation_days: int
    cpd_months: int
    tool_refresher_years: int


@dataclass(frozen=True)
class Safeguarding:
    dbs_levels: tuple[DbsLevel, ...]
    dbs_certificate_years: int
    dbs_status_check_days: int


@dataclass(frozen=True)
class Policy:
    """One version of the policy. Lookups return None for codes the policy does not know."""

    version: str
    source: str
    freshness: Freshness
    safeguarding: Safeguarding
    bodies: tuple[Body, ...]
    professions: tuple[Profession, ...]
    populations: tuple[PopulationRule, ...]
    tools: tuple[Tool, ...]
    assessment_types: tuple[AssessmentTypeRule, ...]
    qualifications: tuple[QualificationKind, ...] = ()

    def body(self, code: str) -> Body | None:
        return next((b for b in self.bodies if b.code == code), None)

    def profession(self, code: str) -> Profession | None:
        return next((p for p in self.professions if p.code == code), None)

    def population(self, key: Population) -> PopulationRule:
        return next(p for p in self.populations if p.key == key)

    def tool(self, code: str) -> Tool | None:
        return next((t for t in self.tools if t.code == code), None)

    def qualification(self, code: str | None) -> QualificationKind | None:
        return next((q for q in self.qualifications if q.code == code), None)

    def assessment_type(self, key: AssessmentType) -> AssessmentTypeRule:
        return next(t for t in self.assessment_types if t.key == key)
