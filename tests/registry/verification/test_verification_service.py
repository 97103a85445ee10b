"""Verifying registrations against the simulator over real HTTP, and keeping the evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from registry.eligibility import AssessmentType, Outcome, RegistrationFact, assess
from registry.extensions import db
from registry.models import AuditEvent, Notification, Role, VerificationCheck
from registry.policy_store import current_policy
from registry.verification import service
from registry.verification.runner import claim_due, verify_due
from support import body_of


def test_verify_records_a_clear_check_with_its_evidence(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    recorded = service.verify(registration, actor=None, now=datetime.now(UTC))
    check = recorded.check
    assert check.outcome == "clear"
    assert check.status_text == "Registered"
    assert check.source_url.endswith("query=PYL043541&profession=PYL")
    assert check.http_status == 200
    assert len(check.body_sha256) == 64
    assert check.data_valid_on
    assert check.adapter_version.startswith("hcpc")
    assert check.entries == ["Forensic psychologist"]
    assert registration.next_check_due == check.next_due_on
    assert service.standing(registration, now=datetime.now(UTC)).is_clear


def test_every_check_is_kept_and_none_is_overwritten(registers_app, make_registration):
    registration = make_registration("swe", "SW123")
    for _ in range(3):
        service.verify(registration, actor=None, now=datetime.now(UTC))
    count = db.session.scalar(
        select(func.count()).where(VerificationCheck.registration_id == registration.id)
    )
    assert count == 3


def test_reg06_an_unreadable_check_keeps_the_earlier_clear_in_force(
    registers_app, register_simulator, make_registration
):
    registration = make_registration("gmc", "7012345")
    service.verify(registration, actor=None, now=datetime.now(UTC))
    register_simulator.app.set_status("gmc", "7012345", "Registered, subject to review")
    recorded = service.verify(registration, actor=None, now=datetime.now(UTC))
    assert recorded.check.outcome == "unreadable"
    assert recorded.after.is_clear
    assert not recorded.lapsed


def test_suspension_in_the_running_simulator_is_noticed_by_verify_due(
    registers_app, register_simulator, make_registration, make_user, outbox
):
    manager = make_user(Role.REGISTER_MANAGER, email="lapse.manager@example.test")
    registration = make_registration("hcpc", "PYL043541")
    assessor = registration.assessor
    first = verify_due(now=datetime.now(UTC))
    assert first.outcomes["hcpc"]["clear"] == 1

    register_simulator.app.set_status("hcpc", "PYL043541", "Suspended")
    later = datetime.now(UTC) + timedelta(days=8)
    summary = verify_due(now=later)

    assert summary.outcomes["hcpc"]["blocked"] == 1
    assert summary.lapsed == 1
    assert service.standing(registration, now=later).outcome == "blocked"
    notified = db.session.scalars(select(Notification.user_id)).all()
    assert set(notified) == {assessor.user_id, manager.id}
    assert len(outbox.to(assessor.user.email)) == 1
    (email,) = outbox.to("lapse.manager@example.test")
    assert "PYL043541" in email["Subject"]
    assert "Suspended" in body_of(email)


def test_a_lapsed_registration_makes_the_assessor_ineligible(
    registers_app, register_simulator, make_registration, baseline
):
    registration = make_registration("hcpc", "PYL043541")
    now = datetime.combine(baseline.today, time(9), tzinfo=UTC)
    kind = AssessmentType.ADULT_MALE
    service.verify(registration, actor=None, now=now)
    clear_facts = service.registration_facts(registration.assessor, now=now)
    eligible = assess(
        replace(baseline.facts(kind), registrations=clear_facts),
        baseline.case(kind),
        current_policy(),
        baseline.today,
    )
    assert eligible.eligible

    register_simulator.app.set_status("hcpc", "PYL043541", "Suspended")
    service.verify(registration, actor=None, now=now + timedelta(minutes=1))
    lapsed_facts = service.registration_facts(registration.assessor, now=now)
    result = assess(
        replace(baseline.facts(kind), registrations=lapsed_facts),
        baseline.case(kind),
        current_policy(),
        baseline.today,
    )
    assert not result.eligible
    assert "regulated" in result.failed_codes


def test_registration_facts_carry_the_check_the_gate_relies_on(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    recorded = service.verify(registration, actor=None, now=datetime.now(UTC))
    (fact,) = service.registration_facts(registration.assessor, now=datetime.now(UTC))
    assert isinstance(fact, RegistrationFact)
    assert fact.outcome == Outcome.CLEAR
    assert fact.evidence_id == recorded.check.id
    assert fact.entries == ("forensic",)


def test_two_verify_due_runs_never_claim_the_same_registration(registers_app, make_registration):
    make_registration("hcpc", "PYL043541")
    make_registration("swe", "SW123")
    now = datetime.now(UTC)
    first = claim_due(now=now, limit=None)
    second = claim_due(now=now, limit=None)
    assert len(first) == 2
    assert second == []


def test_verify_due_respects_the_limit_and_skips_registrations_not_due(
    registers_app, make_registration
):
    for number in ("PYL043541", "PYL31200"):
        make_registration("hcpc", number)
    now = datetime.now(UTC)
    assert verify_due(now=now, limit=1).total == 1
    assert verify_due(now=now).total == 1
    assert verify_due(now=now).total == 0


def test_every_check_is_audited(registers_app, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    service.verify(registration, actor=None, now=datetime.now(UTC))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "registration.checked"))
    assert event.object_id == registration.id
    assert event.after["outcome"] == "clear"


def test_a_number_that_cannot_be_on_the_register_does_not_stop_verify_due(
    registers_app, make_registration
):
    """One malformed number (as an old bulk seed could hold) is recorded as not found, without
    asking the register, and the run goes on to check the others."""
    good = make_registration("hcpc", "PYL043541")
    bad = make_registration("hcpc", "PYL043541-X", assessor=good.assessor)
    summary = verify_due(now=datetime.now(UTC))
    bad_check = db.session.scalar(
        select(VerificationCheck).where(VerificationCheck.registration_id == bad.id)
    )
    good_check = db.session.scalar(
        select(VerificationCheck).where(VerificationCheck.registration_id == good.id)
    )
    assert bad_check.outcome == "not_found"
    assert "The register was not asked" in bad_check.detail
    assert good_check.outcome == "clear"
    assert summary is not None
