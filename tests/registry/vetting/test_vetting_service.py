"""Submitting a profile, managers' decisions item by item, and resubmission after fixes."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from vetting_helpers import NOW, later, pending

from registry.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.models import (
    AdmissionStatus,
    AuditEvent,
    Insurance,
    ItemReview,
    Notification,
    ReviewStatus,
    Role,
)
from registry.vetting.service import decide_item, resubmit, submit_for_vetting
from registry.vetting.status import latest_reviews, mark_changed
from support import body_of


def test_submitting_queues_every_item_and_marks_the_profile_submitted(db, applicant, manager):
    result = submit_for_vetting(applicant.user, now=NOW)
    types = sorted(r.item_type for r in pending(applicant))
    assert types == sorted(
        [
            "identity",
            "registration",
            "dbs_check",
            "insurance",
            "supervision",
            "experience_entry",
            "tool_training",
            "services",
        ]
    )
    assert result.queued == 8
    assert applicant.admission_status is AdmissionStatus.SUBMITTED
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vetting.submitted"))


def test_submitting_tells_the_managers_in_the_app_and_by_email(db, applicant, manager, outbox):
    submit_for_vetting(applicant.user, now=NOW)
    note = db.session.scalar(select(Notification).where(Notification.user_id == manager.id))
    assert note.subject == "Profile submitted for vetting"
    assert [m["Subject"] for m in outbox.to(manager.email)] == ["Profile submitted for vetting"]


def test_a_profile_without_a_registration_cannot_be_submitted(db, make_assessor):
    assessor = make_assessor("No", "Registration", admission_status=AdmissionStatus.APPLYING)
    with pytest.raises(InvalidTransition, match="at least one registration"):
        submit_for_vetting(assessor.user, now=NOW)
    assert assessor.admission_status is AdmissionStatus.APPLYING


def test_items_already_accepted_are_not_queued_again(db, applicant, manager):
    db.session.add(
        ItemReview(
            assessor_id=applicant.id,
            item_type="identity",
            item_id=None,
            status=ReviewStatus.ACCEPTED,
            submitted_at=NOW,
        )
    )
    db.session.commit()
    assert submit_for_vetting(applicant.user, now=later(1)).queued == 7


def test_only_assessors_submit(db, manager):
    with pytest.raises(NotAllowed):
        submit_for_vetting(manager, now=NOW)


def test_a_manager_accepts_an_item_and_the_decision_is_recorded(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    decide_item(manager, review, True, None, now=later(1))
    assert (review.status, review.decided_by_id, review.decided_at) == (
        ReviewStatus.ACCEPTED,
        manager.id,
        later(1),
    )


def test_a_rejection_needs_a_message(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    with pytest.raises(ValidationFailed, match="Enter a message"):
        decide_item(manager, review, False, "  ", now=later(1))
    assert review.status is ReviewStatus.PENDING


def test_a_rejection_tells_the_assessor_with_the_message(db, applicant, manager, outbox):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    outbox.clear()
    decide_item(manager, review, False, "The policy schedule is missing", now=later(1))
    (email,) = outbox.to(applicant.user.email)
    assert "The policy schedule is missing" in body_of(email)
    assert review.message == "The policy schedule is missing"


def test_an_item_cannot_be_decided_twice(db, applicant, manager, second_manager):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    decide_item(manager, review, True, None, now=later(1))
    with pytest.raises(InvalidTransition, match="already been decided"):
        decide_item(second_manager, review, False, "No", now=later(1))


def test_a_superseded_review_cannot_be_decided(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    mark_changed(applicant, "insurance", review.item_id, now=later(1))
    db.session.commit()
    with pytest.raises(InvalidTransition, match="changed this item"):
        decide_item(manager, review, True, None, now=later(2))


def test_other_roles_cannot_decide(db, applicant, make_user):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "insurance")
    with pytest.raises(NotAllowed):
        decide_item(make_user(Role.OFFICER).user, review, True, None, now=later(1))


def test_resubmission_queues_rejected_items_changed_since(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    (insurance_review,) = pending(applicant, "insurance")
    (dbs_review,) = pending(applicant, "dbs_check")
    decide_item(manager, insurance_review, False, "Wrong policy", now=later(1))
    decide_item(manager, dbs_review, False, "Unreadable scan", now=later(1))
    insurance = db.session.get(Insurance, insurance_review.item_id)
    insurance.updated_at = later(2)  # the assessor fixed the insurance, not the DBS check
    db.session.commit()
    result = resubmit(applicant.user, now=later(2))
    latest = latest_reviews(applicant.id)
    assert latest[("insurance", insurance.id)].status is ReviewStatus.PENDING
    assert latest[("dbs_check", dbs_review.item_id)].status is ReviewStatus.REJECTED
    assert (result.queued, result.unchanged_rejections) == (1, 1)


def test_resubmission_with_nothing_changed_is_refused(db, applicant, manager):
    submit_for_vetting(applicant.user, now=NOW)
    (review,) = pending(applicant, "registration")
    decide_item(manager, review, False, "Wrong number", now=later(1))
    with pytest.raises(InvalidTransition, match="Change the items"):
        resubmit(applicant.user, now=later(2))
