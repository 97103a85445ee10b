"""The panel's decision: approve (re-running the gate and freezing a tamper-evident snapshot of
what was known) or reject with a reason (AC-06, MFA-07). One public function, one commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from registry import reactions
from registry.assessor_facts import load
from registry.audit import record_audit
from registry.commissions import rules, verdicts
from registry.commissions.case import case_description
from registry.commissions.queries import REGISTER_RULES
from registry.commissions.snapshot import freeze
from registry.eligibility import Eligibility, Stage
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import (
    Assessor,
    Commission,
    CommissionStatus,
    PanelDecision,
    PanelOutcome,
    User,
)
from registry.notifications import Link, notify
from registry.policy import Policy, describe
from registry.policy_store import current_policy
from registry.users.grants import require_settled_holder

S = CommissionStatus

# The policy in plain English as a snapshot keeps it: the same for every decision under one
# policy (an app loads its policy once, at start-up), so worked out once for the last one seen.
_policy_text_of: tuple[Policy, list[dict[str, Any]]] | None = None


def quorum() -> int:
    """Approvals needed besides the requester (default one)."""
    return int(current_app.config["PANEL_QUORUM"])


def decide(
    member: User, commission: Commission, approve: bool, reason: str, *, now: datetime
) -> PanelDecision:
    """A panel decision. Approval re-runs the gate and freezes a snapshot (AC-06, MFA-07)."""
    rules.require_panel_member(member, commission)
    require_settled_holder(member, counterpart_id=commission.requester_id, now=now)  # AC-09
    if commission.status is not S.AWAITING_PANEL:
        raise InvalidTransition("This request is not waiting for a panel decision")
    if not approve and not reason.strip():
        raise ValidationFailed("Enter the reason for rejecting the request", "reason")
    assessor_id = commission.selected_assessor_id
    assert assessor_id is not None  # awaiting the panel means an assessor was selected
    loaded = load([assessor_id])
    eligibility = verdicts.evaluate_loaded(
        loaded, assessor_id, commission, now=now, stage=Stage.APPROVAL
    )
    if approve and not eligibility.eligible:
        refusal = verdicts.record_refusal(
            member, commission, assessor_id, Stage.APPROVAL, eligibility, now=now
        )
        db.session.commit()
        raise refusal
    outcome = PanelOutcome.APPROVED if approve else PanelOutcome.REJECTED
    final = not approve or _approvals(commission) + 1 >= quorum()
    # The decision's row first (its id goes in the audit), then the status: the audit rows of
    # both are chained in one flush, the chain's head locked and moved once. Someone deciding
    # at the same moment still makes the transition refuse, which rolls all of it back.
    decision = _record_decision(
        member, commission, loaded.assessors[assessor_id], eligibility, outcome, reason, now=now
    )
    if final:
        rules.transition(member, commission, S.APPROVED if approve else S.REJECTED, now=now)
    record_audit(
        member,
        f"commission.panel_{outcome}",
        commission,
        at=now,
        after={"decision_id": decision.id, "snapshot_sha256": decision.snapshot_sha256},
    )
    # Chained before the cited pages are held: the chain's head is locked before those pages,
    # as by every other writer of both (a register check keeping a page it saw again).
    db.session.flush()
    _hold_cited_pages(eligibility)
    if final:
        notify(
            [commission.requester],
            f"Commission {commission.case_reference}: the panel "
            + ("approved it" if approve else "rejected it"),
            f"{member.full_name} {'approved' if approve else 'rejected'} the request."
            + (f" Reason: {reason.strip()}" if reason.strip() else ""),
            link=Link("commissions.show", {"commission_id": commission.id}),
            now=now,
        )
    db.session.commit()
    return decision


def _approvals(commission: Commission) -> int:
    return len(
        {d.decided_by_id for d in commission.decisions if d.outcome is PanelOutcome.APPROVED}
    )


def _record_decision(
    member: User,
    commission: Commission,
    assessor: Assessor,
    eligibility: Eligibility,
    outcome: PanelOutcome,
    reason: str,
    *,
    now: datetime,
) -> PanelDecision:
    case = case_description(commission)
    snapshot, digest = freeze(
        eligibility,
        commission={
            "id": commission.id,
            "case_reference": commission.case_reference,
            "organisation_id": commission.organisation_id,
            "requester_id": commission.requester_id,
            "assessment_type": str(case.assessment_type),
            "offence_categories": sorted(str(c) for c in case.offence_categories),
            "needed_by": commission.needed_by,
        },
        assessor={"id": assessor.id, "legal_name": assessor.legal_name},
        decision={
            "outcome": str(outcome),
            "reason": reason,
            "decided_by_id": member.id,
            "decided_by": member.full_name,
            "decided_at": now,
        },
        policy_text=_policy_text(current_policy()),
    )
    decision = PanelDecision(
        commission=commission,
        decided_by=member,
        outcome=outcome,
        reason=reason,
        decided_at=now,
        policy_version=eligibility.policy_version,
        snapshot=snapshot,
        snapshot_sha256=digest,
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def _policy_text(policy: Policy) -> list[dict[str, Any]]:
    """Each section of the policy's plain-English description: its heading and paragraphs."""
    global _policy_text_of
    kept = _policy_text_of
    if kept is None or kept[0] is not policy:
        text = [
            {"heading": section.heading, "paragraphs": list(section.paragraphs)}
            for section in describe(policy)
        ]
        kept = _policy_text_of = (policy, text)
    return kept[1]


def _hold_cited_pages(eligibility: Eligibility) -> None:
    """The register pages behind the checks the snapshot cites are kept as long as it is."""
    cited = [
        i for rule in eligibility.rules if rule.code in REGISTER_RULES for i in rule.evidence_ids
    ]
    reactions.announce(reactions.DECISION_FROZEN, check_ids=cited)
