"""Reference data for register managers, read from the policy file (never edited in the database).

The policy file is the single reviewed source of these rules: a change goes through review and
creates a new policy version that every decision records.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.eligibility.policy_model import TOOL_KINDS, Body, Policy, Profession
from registry.eligibility.vocabulary import OffenceCategory
from registry.eligibility.wording import OFFENCE_WORDS


@dataclass(frozen=True)
class ToolRow:
    """A risk assessment tool as the reference page shows it."""

    name: str
    kind: str
    owner: str
    populations: str
    training_required: bool
    owner_approval_required: bool
    refresher_years: int


@dataclass(frozen=True)
class Reference:
    """Every table of the reference page."""

    version: str
    source: str
    tools: list[ToolRow]
    bodies: tuple[Body, ...]
    professions: tuple[Profession, ...]
    offence_categories: list[tuple[str, str]]


def reference(policy: Policy) -> Reference:
    """The policy's tools, bodies, professions and offence categories, in words."""
    titles = {p.key: p.title for p in policy.populations}
    tools = [
        ToolRow(
            name=t.name,
            kind=TOOL_KINDS.get(t.kind, t.kind),
            owner=t.owner,
            populations=", ".join(titles.get(p, str(p)) for p in t.populations),
            training_required=t.training_required,
            owner_approval_required=t.owner_approval_required,
            refresher_years=t.refresher_years,
        )
        for t in policy.tools
    ]
    offences = [(c.value, OFFENCE_WORDS[c]) for c in OffenceCategory]
    return Reference(
        policy.version, policy.source, tools, policy.bodies, policy.professions, offences
    )
