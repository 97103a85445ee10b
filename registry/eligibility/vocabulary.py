"""The words of the domain that cases, assessors' facts, the policy and the gate share.

Defined once in registry/vocabulary.py (a leaf, so the gate stays pure); re-exported here so the
gate's modules can keep importing them from inside their package.
"""

from __future__ import annotations

from registry.vocabulary import (
    RULE_TITLES,
    AccessToChild,
    AdmissionStanding,
    AgeBand,
    AssessmentType,
    Context,
    ConvictionStatus,
    DbsLevel,
    ItemType,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
    RuleCode,
    Sex,
    Stage,
)

__all__ = [
    "RULE_TITLES",
    "AccessToChild",
    "AdmissionStanding",
    "AgeBand",
    "AssessmentType",
    "Context",
    "ConvictionStatus",
    "DbsLevel",
    "ItemType",
    "OffenceCategory",
    "Outcome",
    "Population",
    "Purpose",
    "RuleCode",
    "Sex",
    "Stage",
]
