"""The gate, asked about one assessor for one commission: every step that names an assessor
asks it (AC-07): search, shortlist, selection, declaration and approval.

The assessor is loaded once per judgement. A refusal is recorded (audited) without committing:
the public service function that asked decides what its unit of work keeps, commits, and raises
the NotEligible this module builds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from registry.assessor_facts import Loaded, facts_for, load
from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.commissions.case import case_description
from registry.eligibility import ConflictFact, Eligibility, Stage, assess
from registry.errors import NotEligible, NotFound
from registry.extensions import db
from registry.models import Commission, CommissionStatus, ConflictDeclaration, User
from registry.policy_store import current_policy

S = CommissionStatus

# The conflicts an assessor can declare against the named parties, in words. Any one of them makes
# the assessor not independent for the commission (decision 0007, "Any declared conflict").
CONFLICT_WORDS = {
    "prior_involvement": "prior involvement in this case",
    "treating_relationship": "a treating relationship with the subject",
    "professional_or_personal_relationship": "a professional or personal relationship with a party",
    "financial_interest": "a financial interest",
}


def evaluate(
    assessor_id: int, commission: Commission, *, now: datetime, stage: Stage
) -> Eligibility:
    """Run the gate for one assessor on one commission at this moment."""
    return evaluate_loaded(load([assessor_id]), assessor_id, commission, now=now, stage=stage)


def evaluate_loaded(
    loaded: Loaded, assessor_id: int, commission: Commission, *, now: datetime, stage: Stage
) -> Eligibility:
    """The gate for an assessor already loaded (no further loading of the assessor)."""
    if assessor_id not in loaded.assessors:
        raise NotFound("That assessor does not exist")
    facts = facts_for(loaded, assessor_id, now=now, conflict=conflict_fact(commission, assessor_id))
    return assess(
        facts, case_description(commission), current_policy(), uk_date_of(now), stage=stage
    )


def selected_verdict(commission: Commission, *, now: datetime) -> Eligibility | None:
    """The gate's verdict now on the selected assessor, while the panel has yet to decide: what
    the officer and the panel read (reasons, warnings, any declared conflict)."""
    if commission.selected_assessor_id is None or commission.status not in (
        S.AWAITING_ASSESSOR,
        S.AWAITING_PANEL,
    ):
        return None
    stage = Stage.APPROVAL if commission.status is S.AWAITING_PANEL else Stage.SELECTION
    return evaluate(commission.selected_assessor_id, commission, now=now, stage=stage)


def record_refusal(
    actor: User,
    commission: Commission,
    assessor_id: int,
    stage: Stage,
    eligibility: Eligibility,
    *,
    now: datetime,
) -> NotEligible:
    """Audit the gate's refusal (the caller commits) and return the NotEligible to raise."""
    record_audit(
        actor,
        "commission.gate_refused",
        commission,
        at=now,
        outcome="refused",
        after={
            "assessor_id": assessor_id,
            "stage": str(stage),
            "failed": list(eligibility.failed_codes),
            "policy_version": eligibility.policy_version,
        },
    )
    return NotEligible(
        "This assessor is not eligible for this commission: "
        + " ".join(eligibility.failed_reasons),
        eligibility.failed_reasons,
    )


def declared_conflicts(declaration: ConflictDeclaration) -> list[str]:
    """The conflicts a declaration names, in words (the assessor's details last)."""
    found = [words for flag, words in CONFLICT_WORDS.items() if getattr(declaration, flag)]
    if found and declaration.details.strip():
        found.append(f"details given: {declaration.details.strip()}")
    return found


def conflict_fact(commission: Commission, assessor_id: int) -> ConflictFact | None:
    """The assessor's latest accepting declaration for this commission, as the gate reads it."""
    declaration = db.session.scalar(
        select(ConflictDeclaration)
        .where(
            ConflictDeclaration.commission_id == commission.id,
            ConflictDeclaration.assessor_id == assessor_id,
            ConflictDeclaration.accepted.is_(True),
        )
        .order_by(ConflictDeclaration.id.desc())
        .limit(1)
    )
    if declaration is None:
        return None
    conflicts = tuple(declared_conflicts(declaration))
    explicit = declaration.no_conflict_declared
    return ConflictFact(
        declared_on=uk_date_of(declaration.declared_at),
        # Declarations made before the explicit answer existed: no conflict if they named none.
        no_conflict=(not conflicts) if explicit is None else (explicit and not conflicts),
        conflicts=conflicts,
        evidence_id=declaration.id,
    )
