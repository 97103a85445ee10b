"""`flask demo seed` then `flask demo commissions`: the demo assessor who signs in is eligible for
a typical case, both councils have a commission in every state made through the services (each
audited, each approval with a genuine frozen decision record), and running both twice adds
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from test_demo_seed import adult_male_case

from demo.commissions import STATES
from registry.assessor_facts import assessor_facts
from registry.clock import uk_date_of
from registry.commissions.snapshot import is_intact
from registry.eligibility import assess
from registry.models import (
    Assessor,
    AuditEvent,
    Commission,
    CommissionStatus,
    Organisation,
    PanelDecision,
    User,
)
from registry.policy_store import current_policy
from support import simulator_settings

COUNCILS = ("Northshire County Council", "Eastborough City Council")


@pytest.fixture
def app(make_app, register_simulator):
    """A development-like app (demo data allowed) pointed at the register simulator."""
    return make_app(DEMO_DATA_ALLOWED=True, **simulator_settings(register_simulator))


def _counts(db) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Assessor, Commission, PanelDecision, AuditEvent)
    )


def test_demo_commissions_every_state_for_both_councils_and_an_eligible_demo_assessor(db, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    result = runner.invoke(args=["demo", "commissions"])
    assert result.exit_code == 0, result.output
    assert "stopped short" not in result.output

    # The assessor who signs in is eligible for a typical case (her registration was checked).
    helen = db.session.scalar(
        select(Assessor).join(User).where(User.email == "assessor@example.org")
    )
    now = datetime.now(UTC)
    today = uk_date_of(now)
    eligibility = assess(
        assessor_facts(helen, now=now), adult_male_case(today), current_policy(), today
    )
    assert eligibility.eligible, eligibility.failed_reasons

    assert {state for _, state, _ in STATES} == set(CommissionStatus)
    for name in COUNCILS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        states = set(
            db.session.scalars(
                select(Commission.status).where(Commission.organisation_id == organisation.id)
            )
        )
        assert states == set(CommissionStatus), name
        # Each approval's decision record is a genuine frozen snapshot.
        approved = db.session.scalar(
            select(Commission).where(
                Commission.organisation_id == organisation.id,
                Commission.status == CommissionStatus.APPROVED,
            )
        )
        (decision,) = approved.decisions
        assert is_intact(decision.snapshot, decision.snapshot_sha256)
        # She is the invited assessor of the request waiting for an assessor's answer.
        waiting = db.session.scalar(
            select(Commission).where(
                Commission.organisation_id == organisation.id,
                Commission.status == CommissionStatus.AWAITING_ASSESSOR,
            )
        )
        assert waiting.selected_assessor_id == helen.id

    # Everything went through the services, so it is in the audit trail.
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "commission.raised",
        "commission.shortlisted",
        "commission.assessor_selected",
        "commission.accepted",
        "commission.panel_approved",
        "commission.panel_rejected",
        "commission.quality_reviewed",
        "commission.cancelled",
    } <= actions

    before = _counts(db)
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    again = runner.invoke(args=["demo", "commissions"])
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output
    assert _counts(db) == before
