"""Admission with four eyes, the conditions it needs, and suspension, reinstatement, removal."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from vetting_helpers import NOW, accept_all, clear_check, later, pending

from registry.errors import InvalidTransition, NotAllowed, NotEligible, ValidationFailed
from registry.models import (
    AdmissionAction,
    AdmissionDecision,
    AdmissionStatus,
    AuditEvent,
    Notification,
)
from registry.vetting import admission
from registry.vetting.service import decide_item, submit_for_vetting


@pytest.fixture
def vetted(db, applicant, manager):
    """The applicant, submitted, with every item accepted."""
    submit_for_vetting(applicant.user, now=NOW)
    accept_all(applicant, manager)
    return applicant


def test_a_second_manager_confirms_and_the_assessor_is_admitted(
    db, vetted, manager, second_manager, outbox
):
    decision = admission.propose_admission(manager, vetted, "All items accepted", now=later(1))
    assert vetted.admission_status is AdmissionStatus.SUBMITTED
    admission.confirm_admission(second_manager, decision, now=later(1))
    assert vetted.admission_status is AdmissionStatus.ADMITTED
    assert (decision.confirmed_by_id, decision.confirmed_at) == (second_manager.id, later(1))
    assert [m["Subject"] for m in outbox.to(vetted.user.email)] == ["Admitted to the register"]


def test_the_proposer_cannot_confirm_their_own_admission(db, vetted, manager):
    decision = admission.propose_admission(manager, vetted, "All accepted", now=later(1))
    with pytest.raises(NotAllowed, match="A second register manager must confirm"):
        admission.confirm_admission(manager, decision, now=later(1))
    assert vetted.admission_status is AdmissionStatus.SUBMITTED


def test_an_admission_cannot_be_confirmed_twice(db, vetted, manager, second_manager, make_user):
    from registry.models import Role

    third = make_user(Role.REGISTER_MANAGER).user
    decision = admission.propose_admission(manager, vetted, "All accepted", now=later(1))
    admission.confirm_admission(second_manager, decision, now=later(1))
    with pytest.raises(InvalidTransition, match="already been confirmed"):
        admission.confirm_admission(third, decision, now=later(1))
    assert db.session.get(AdmissionDecision, decision.id).confirmed_by_id == second_manager.id


def test_admission_is_refused_naming_the_missing_items(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    for review in pending(applicant):
        if review.item_type not in ("dbs_check", "insurance"):
            decide_item(manager, review, True, None, now=NOW)
    with pytest.raises(NotEligible) as refusal:
        admission.propose_admission(manager, applicant, "Ready", now=later(1))
    assert refusal.value.reasons == ["No DBS check is accepted", "No insurance is accepted"]
    assert db.session.scalar(select(AdmissionDecision)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admission.refused"))


def test_admission_needs_a_clear_statutory_registration_now(db, vetted, manager):
    # The only check is 31 days old: no longer fresh, so not clear.
    with pytest.raises(NotEligible) as refusal:
        admission.propose_admission(manager, vetted, "Ready", now=later(31))
    assert refusal.value.reasons == [admission.NO_CLEAR_REGISTRATION]


def test_a_registration_that_is_not_clear_blocks_admission(db, vetted, manager):
    clear_check(vetted.registrations[0], at=later(1), outcome="blocked")
    with pytest.raises(NotEligible, match="No accepted statutory registration is clear"):
        admission.propose_admission(manager, vetted, "Ready", now=later(1))


def test_conditions_are_checked_again_at_confirmation(db, vetted, manager, second_manager):
    decision = admission.propose_admission(manager, vetted, "Ready", now=later(1))
    with pytest.raises(NotEligible):
        admission.confirm_admission(second_manager, decision, now=later(40))
    assert vetted.admission_status is AdmissionStatus.SUBMITTED
    assert decision.cancelled_at == later(40)


def test_only_a_submitted_profile_can_be_proposed(db, applicant, manager):
    with pytest.raises(InvalidTransition):
        admission.propose_admission(manager, applicant, "Ready", now=NOW)


def test_a_proposal_needs_a_reason(db, vetted, manager):
    with pytest.raises(ValidationFailed, match="Enter the reason"):
        admission.propose_admission(manager, vetted, " ", now=NOW)


def test_a_second_proposal_waits_for_the_first(db, vetted, manager, second_manager):
    admission.propose_admission(manager, vetted, "Ready", now=later(1))
    with pytest.raises(InvalidTransition, match="already waiting"):
        admission.propose_admission(second_manager, vetted, "Ready", now=later(1))


def test_the_other_managers_are_asked_to_confirm(db, vetted, manager, second_manager):
    admission.propose_admission(manager, vetted, "Ready", now=later(1))
    subjects = db.session.scalars(
        select(Notification.subject).where(Notification.user_id == second_manager.id)
    ).all()
    assert "An admission needs a second register manager" in subjects


def test_suspension_takes_effect_at_once_and_tells_the_assessor(db, make_assessor, manager, outbox):
    assessor = make_assessor()
    admission.suspend(manager, assessor, "Conditions on the HCPC register", now=NOW)
    assert assessor.admission_status is AdmissionStatus.SUSPENDED
    decision = db.session.scalar(select(AdmissionDecision))
    assert (decision.action, decision.confirmed_at) == (AdmissionAction.SUSPEND, NOW)
    (email,) = outbox.to(assessor.user.email)
    assert email["Subject"] == "You have been suspended from the register"


def test_a_suspended_assessor_can_be_reinstated_by_two_managers(
    db, vetted, manager, second_manager
):
    admitted(vetted, manager, second_manager)
    admission.suspend(manager, vetted, "Conditions on the register", now=later(2))
    admission.reinstate(manager, vetted, "Conditions lifted", now=later(3))
    assert vetted.admission_status is AdmissionStatus.SUSPENDED
    admission.confirm_admission(second_manager, admission.open_proposal(vetted), now=later(3))
    assert vetted.admission_status is AdmissionStatus.ADMITTED


def test_removal_cancels_a_waiting_admission(db, vetted, manager, second_manager):
    decision = admission.propose_admission(manager, vetted, "Ready", now=later(1))
    admission.remove(second_manager, vetted, "Withdrew the application", now=later(2))
    assert vetted.admission_status is AdmissionStatus.REMOVED
    assert decision.cancelled_at == later(2)


def test_suspension_needs_a_reason_and_an_admitted_assessor(db, make_assessor, manager):
    assessor = make_assessor(admission_status=AdmissionStatus.REMOVED)
    with pytest.raises(ValidationFailed):
        admission.suspend(manager, assessor, "", now=NOW)
    with pytest.raises(InvalidTransition):
        admission.suspend(manager, assessor, "Lapsed", now=NOW)
    assert assessor.admission_status is AdmissionStatus.REMOVED


def test_every_status_change_is_audited(db, vetted, manager, second_manager):
    admitted(vetted, manager, second_manager)
    admission.suspend(manager, vetted, "Lapsed", now=later(2))
    admission.reinstate(manager, vetted, "Renewed", now=later(3))
    admission.confirm_admission(second_manager, admission.open_proposal(vetted), now=later(3))
    admission.remove(manager, vetted, "Retired", now=later(4))
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("admission.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "admission.proposed",
        "admission.confirmed",
        "admission.suspend",
        "admission.reinstate_proposed",
        "admission.reinstated",
        "admission.remove",
    ]


def admitted(assessor, manager, second_manager) -> None:
    """Admit the vetted assessor with four eyes."""
    decision = admission.propose_admission(manager, assessor, "All accepted", now=later(1))
    admission.confirm_admission(second_manager, decision, now=later(1))


def test_a_withdrawn_registration_does_not_count_for_admission(db, vetted, manager):
    vetted.registrations[0].withdrawn_at = later(1)  # kept as evidence, no longer counting
    db.session.commit()
    with pytest.raises(NotEligible, match="No accepted statutory registration is clear"):
        admission.propose_admission(manager, vetted, "Ready", now=later(1))
