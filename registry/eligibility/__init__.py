"""The pure eligibility gate: plain data in, a verdict with reasons and evidence out.

Imports nothing from Flask, Flask-Login, SQLAlchemy or registry.extensions; its tests need no app.
"""

from registry.eligibility.facts import (
    AssessorFacts,
    AwaitingItem,
    CaseDescription,
    ConflictFact,
    DbsFact,
    ExperienceFact,
    InsuranceFact,
    QualificationFact,
    RegistrationFact,
    ToolTrainingFact,
)
from registry.eligibility.gate import RULES, assess
from registry.eligibility.results import Eligibility, RuleResult
from registry.eligibility.subject import required_populations, type_problem
from registry.eligibility.tools import fits
from registry.eligibility.vocabulary import (
    RULE_TITLES,
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
    RuleCode,
    Sex,
    Stage,
)

__all__ = [
    "RULES",
    "RULE_TITLES",
    "AccessToChild",
    "AdmissionStanding",
    "AgeBand",
    "AssessmentType",
    "AssessorFacts",
    "AwaitingItem",
    "CaseDescription",
    "ConflictFact",
    "Context",
    "ConvictionStatus",
    "DbsFact",
    "DbsLevel",
    "Eligibility",
    "ExperienceFact",
    "InsuranceFact",
    "OffenceCategory",
    "Outcome",
    "Population",
    "Purpose",
    "QualificationFact",
    "RegistrationFact",
    "RuleCode",
    "RuleResult",
    "Sex",
    "Stage",
    "ToolTrainingFact",
    "assess",
    "fits",
    "required_populations",
    "type_problem",
]
