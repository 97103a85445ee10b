"""Managers' vetting screens and the assessor's vetting pages: statuses, flashes, permissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from vetting_helpers import NOW, accept_all, made, pending

from registry.models import AdmissionDecision, AdmissionStatus, AuditEvent, ReviewStatus, Role
from registry.vetting import admission
from registry.vetting.service import submit_for_vetting

MANAGER_PAGES = ("/vetting", "/vetting/expiries", "/vetting/reference")


@pytest.fixture(autouse=True)
def frozen(clock):
    """Every test here runs at the suite's fixed moment, when the applicant's check is fresh."""
    return clock


@pytest.fixture
def submitted(db, applicant):
    """The applicant, submitted for vetting."""
    submit_for_vetting(applicant.user, now=NOW)
    return applicant


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, Role.ASSESSOR])
def test_other_roles_cannot_see_the_vetting_pages(logged_in, applicant, role):
    client = logged_in(role)
    for url in (*MANAGER_PAGES, f"/vetting/assessors/{applicant.id}"):
        assert client.get(url).status_code == 403, url


def test_the_queue_lists_submitted_assessors(logged_in, submitted):
    page = logged_in(Role.REGISTER_MANAGER).get("/vetting").get_data(as_text=True)
    assert "Amelia Hart" in page


def test_viewing_an_assessor_is_audited(db, logged_in, submitted):
    response = logged_in(Role.REGISTER_MANAGER).get(f"/vetting/assessors/{submitted.id}")
    assert response.status_code == 200
    assert "DBS check" in response.get_data(as_text=True)
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "vetting.assessor_viewed")
    )


def test_a_rejection_without_a_message_shows_an_error(logged_in, submitted):
    (review,) = pending(submitted, "insurance")
    response = logged_in(Role.REGISTER_MANAGER).post(
        f"/vetting/reviews/{review.id}/decision", data={"decision": "reject", "message": ""}
    )
    assert response.status_code == 200
    assert "Enter a message telling the assessor what to change" in response.get_data(as_text=True)
    assert review.status is ReviewStatus.PENDING


def test_ac05_posted_review_fields_are_not_bound(db, logged_in, submitted, make_user):
    (review,) = pending(submitted, "insurance")
    client = logged_in(Role.REGISTER_MANAGER)
    other = make_user(Role.REGISTER_MANAGER).user
    response = client.post(
        f"/vetting/reviews/{review.id}/decision",
        data={
            "decision": "accept",
            "status": "rejected",
            "decided_by_id": str(other.id),
            "decided_at": "2020-01-01",
            "admission_status": "admitted",
            "item_type": "identity",
        },
        follow_redirects=True,
    )
    assert "Accepted: insurance." in response.get_data(as_text=True)
    db.session.refresh(review)
    assert (review.status, review.decided_by_id, review.item_type) == (
        ReviewStatus.ACCEPTED,
        client.made_user.id,
        "insurance",
    )
    assert submitted.admission_status is AdmissionStatus.SUBMITTED


def test_four_eyes_through_the_screens(db, logged_in, submitted, manager, second_manager):
    accept_all(submitted, manager, now=datetime.now(UTC))
    proposer = logged_in(made(manager))
    response = proposer.post(
        f"/vetting/assessors/{submitted.id}/admission",
        data={"reason": "Every item accepted", "admission_status": "admitted"},
    )
    assert response.status_code == 302
    decision = db.session.scalar(select(AdmissionDecision))
    assert submitted.admission_status is AdmissionStatus.SUBMITTED
    page = proposer.post(f"/vetting/admissions/{decision.id}/confirm", follow_redirects=True)
    assert "A second register manager must confirm" in page.get_data(as_text=True)
    page = logged_in(made(second_manager)).post(
        f"/vetting/admissions/{decision.id}/confirm", follow_redirects=True
    )
    assert "Amelia Hart has been admitted to the register." in page.get_data(as_text=True)
    db.session.refresh(submitted)
    assert submitted.admission_status is AdmissionStatus.ADMITTED


def test_a_refused_proposal_names_what_is_missing(db, logged_in, submitted):
    page = logged_in(Role.REGISTER_MANAGER).post(
        f"/vetting/assessors/{submitted.id}/admission",
        data={"reason": "Looks fine"},
        follow_redirects=True,
    )
    assert "No DBS check is accepted" in page.get_data(as_text=True)
    assert db.session.scalar(select(AdmissionDecision)) is None


def test_suspension_needs_a_reason_and_takes_effect_at_once(db, logged_in, make_assessor):
    assessor = make_assessor()
    client = logged_in(Role.REGISTER_MANAGER)
    page = client.post(f"/vetting/assessors/{assessor.id}/suspend", data={"reason": ""})
    assert "Enter the reason for this decision" in page.get_data(as_text=True)
    page = client.post(
        f"/vetting/assessors/{assessor.id}/suspend",
        data={"reason": "Conditions on the register"},
        follow_redirects=True,
    )
    assert "Assessor suspended." in page.get_data(as_text=True)
    db.session.refresh(assessor)
    assert assessor.admission_status is AdmissionStatus.SUSPENDED


@pytest.mark.parametrize("action", ["suspend", "remove"])
def test_mfa07_high_risk_decisions_need_a_fresh_code(db, logged_in, make_assessor, action):
    assessor = make_assessor()
    client = logged_in(Role.REGISTER_MANAGER)
    stale = (datetime.now(UTC) - timedelta(minutes=16)).timestamp()
    with client.session_transaction() as session:
        session["mfa_at"] = stale
    response = client.post(f"/vetting/assessors/{assessor.id}/{action}", data={"reason": "Why"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm-identity")
    db.session.refresh(assessor)
    assert assessor.admission_status is AdmissionStatus.ADMITTED


def test_mfa07_confirming_an_admission_needs_a_fresh_code(
    db, logged_in, submitted, manager, second_manager
):
    accept_all(submitted, manager, now=datetime.now(UTC))
    decision = admission.propose_admission(manager, submitted, "Ready", now=datetime.now(UTC))
    client = logged_in(made(second_manager))
    with client.session_transaction() as session:
        session["mfa_at"] = (datetime.now(UTC) - timedelta(minutes=16)).timestamp()
    response = client.get(f"/vetting/admissions/{decision.id}/confirm")
    assert response.headers["Location"].startswith("/account/confirm-identity")


def test_the_expiries_page_lists_items_due_in_the_window(logged_in, applicant, clock):
    clock.move_to(datetime(2027, 1, 1, 9, tzinfo=UTC))  # tool due in 31 days, insurance in 89
    client = logged_in(Role.REGISTER_MANAGER)
    assert "Nothing falls due" in client.get("/vetting/expiries?within=30").get_data(as_text=True)
    page = client.get("/vetting/expiries?within=90&kind=insurance").get_data(as_text=True)
    assert "(Expert Cover)" in page
    assert "(rm2000)" not in page
    assert client.get("/vetting/expiries?within=7&kind=nonsense").status_code == 200


def test_a_reminder_about_an_undated_item_is_refused(logged_in, applicant):
    response = logged_in(Role.REGISTER_MANAGER).post(
        f"/vetting/assessors/{applicant.id}/reminders",
        data={"item_type": "insurance", "item_id": "999999"},
        follow_redirects=True,
    )
    assert "This item has no date to remind the assessor about" in response.get_data(as_text=True)


def test_a_one_click_reminder_emails_the_assessor(db, logged_in, applicant, outbox):
    from registry.models import Insurance

    insurance = db.session.scalar(select(Insurance))
    response = logged_in(Role.REGISTER_MANAGER).post(
        f"/vetting/assessors/{applicant.id}/reminders",
        data={"item_type": "insurance", "item_id": str(insurance.id)},
        follow_redirects=True,
    )
    assert "Reminder sent to Amelia Hart." in response.get_data(as_text=True)
    (email,) = outbox.to(applicant.user.email)
    assert email["Subject"].startswith("Reminder: indemnity insurance due on")


def test_the_reference_page_shows_the_policy_read_only(logged_in):
    page = logged_in(Role.REGISTER_MANAGER).get("/vetting/reference").get_data(as_text=True)
    assert "Risk Matrix 2000" in page
    assert "not edited in the database" in page
    assert "Health and Care Professions Council" in page


def test_an_assessor_submits_from_their_vetting_page(db, logged_in, applicant, manager, outbox):
    client = logged_in(made(applicant.user))
    assert client.get("/assessor/vetting").status_code == 200
    page = client.post(
        "/assessor/vetting/submit", data={"admission_status": "admitted"}, follow_redirects=True
    )
    assert "Submitted for vetting: 8 items to review." in page.get_data(as_text=True)
    db.session.refresh(applicant)
    assert applicant.admission_status is AdmissionStatus.SUBMITTED
    assert outbox.to(manager.email)


def test_an_assessor_sees_the_managers_message_on_a_rejected_item(
    db, logged_in, submitted, manager
):
    from registry.vetting.service import decide_item

    (review,) = pending(submitted, "insurance")
    decide_item(manager, review, False, "Upload the policy schedule", now=datetime.now(UTC))
    page = logged_in(made(submitted.user)).get("/assessor/vetting").get_data(as_text=True)
    assert "Upload the policy schedule" in page


def test_an_assessor_attests_their_profile(db, logged_in, applicant):
    client = logged_in(made(applicant.user))
    page = client.post("/assessor/attestation", data={"signed_name": "Someone Else"})
    assert "Enter your name as it is in your profile: Amelia Hart" in page.get_data(as_text=True)
    page = client.post(
        "/assessor/attestation", data={"signed_name": "Amelia Hart"}, follow_redirects=True
    )
    assert "Thank you. Your profile is attested." in page.get_data(as_text=True)


def test_an_assessor_without_a_profile_is_sent_to_enter_their_name(logged_in):
    client = logged_in(Role.ASSESSOR)
    for url in ("/assessor/vetting", "/assessor/attestation"):
        assert client.get(url).headers["Location"].endswith("/assessor/identity")
