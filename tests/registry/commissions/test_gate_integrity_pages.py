"""Gate integrity end to end (decision 0007): through search, "why not?", selection, the
declaration and approval, on the real database, each case gives the right verdict and names the
rule in the page text and, for an approval, in the frozen decision record."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from commission_support import case_data
from sqlalchemy import select

from registry.commissions import requests, selection
from registry.errors import NotEligible
from registry.extensions import db
from registry.models import (
    CheckMethod,
    Commission,
    CommissionStatus,
    ItemReview,
    PanelDecision,
    Registration,
    ReviewStatus,
    Role,
    ToolTraining,
    VerificationCheck,
)
from support import DEMO_PASSWORD, MadeUser

NO_CONFLICT = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


def searching(officer, now, **changes) -> Commission:
    commission = requests.raise_request(officer.user, case_data(**changes), now=now)
    requests.start_search(officer.user, commission, now=now)
    return commission


def search_page(client, commission) -> str:
    return client.get(f"/commissions/{commission.id}/search").get_data(as_text=True)


def why_not(client, commission, name: str) -> str:
    response = client.post(
        f"/commissions/{commission.id}/search", data={"name": name}, follow_redirects=True
    )
    return response.get_data(as_text=True)


def send_back_to_review(assessor, model, now) -> None:
    """The assessor changed an item: it goes back to a register manager (pending)."""
    row = db.session.scalar(select(model).where(model.assessor_id == assessor.id))
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type=model.__tablename__,
            item_id=row.id,
            status=ReviewStatus.PENDING,
            submitted_at=now + timedelta(seconds=1),
        )
    )
    db.session.commit()


def test_training_awaiting_review_is_not_counted_by_search_or_why_not(
    logged_in, officer, make_eligible_assessor, now
):
    assessor = make_eligible_assessor()
    send_back_to_review(assessor, ToolTraining, now)
    commission = searching(officer, now)
    client = logged_in(officer)
    assert assessor.legal_name not in search_page(client, commission)
    page = why_not(client, commission, assessor.legal_surname)
    assert "Trained in a fitting tool" in page
    assert "is awaiting review by a register manager and does not count until accepted" in page


def test_training_counts_once_a_manager_accepts_it(logged_in, officer, make_eligible_assessor, now):
    assessor = make_eligible_assessor()
    send_back_to_review(assessor, ToolTraining, now)
    training = db.session.scalar(
        select(ToolTraining).where(ToolTraining.assessor_id == assessor.id)
    )
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type="tool_training",
            item_id=training.id,
            status=ReviewStatus.ACCEPTED,
            submitted_at=now + timedelta(seconds=2),
            decided_at=now + timedelta(seconds=2),
        )
    )
    db.session.commit()
    commission = searching(officer, now)
    assert assessor.legal_name in search_page(logged_in(officer), commission)


def test_a_sanction_on_a_second_registration_fails_at_search_and_approval(
    logged_in, officer, make_user, make_eligible_assessor, now
):
    assessor = make_eligible_assessor()
    commission = searching(officer, now)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    selection.respond(assessor.user, commission, NO_CONFLICT, now=now)
    # The assessor also holds an NMC registration, on which a suspension is now shown.
    second = Registration(
        assessor_id=assessor.id,
        body="nmc",
        number="12B0003E",
        profession="mental_health_nurse",
        created_at=now,
    )
    db.session.add(second)
    db.session.flush()
    db.session.add(
        VerificationCheck(
            registration_id=second.id,
            method=CheckMethod.AUTOMATIC,
            performed_by_label="test",
            checked_at=now + timedelta(seconds=1),
            outcome="blocked",
            status_text="Suspended",
            detail="The register shows the status “Suspended”.",
            source_url="http://register.test/nmc/12B0003E",
            adapter_version="test",
            sanction=True,
        )
    )
    db.session.commit()
    client = logged_in(officer)
    assert "No restriction" in why_not(client, commission, assessor.legal_surname)
    panel = make_user(Role.PANEL_MEMBER)
    response = logged_in(panel).post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )
    assert response.status_code == 409
    assert "shows a sanction" in response.get_data(as_text=True)
    assert db.session.scalar(select(PanelDecision)) is None


def test_a_manual_check_older_than_14_days_is_not_fresh(
    logged_in, officer, make_registration, make_assessor, now
):
    from support import add_complete_profile

    registration = make_registration(
        "sssc", "SC123456", assessor=make_assessor("Morag", "Campbell"), profession="social_worker"
    )
    db.session.add(
        VerificationCheck(
            registration_id=registration.id,
            method=CheckMethod.MANUAL,
            performed_by_label="A register manager",
            checked_at=now - timedelta(days=20),
            outcome="clear",
            status_text="Registered",
            detail="Checked by hand.",
            source_url="https://register.test/sssc/SC123456",
            adapter_version="manual",
        )
    )
    add_complete_profile(registration.assessor_id, now)
    db.session.commit()
    commission = searching(officer, now)
    page = why_not(logged_in(officer), commission, registration.assessor.legal_surname)
    assert "Freshly verified" in page
    assert "more than 14 days ago" in page


def test_a_type_that_does_not_fit_the_case_is_refused_by_the_form(logged_in, officer):
    from test_commission_views import form_of

    data = form_of(case_data(assessment_type="protective_capacity"))
    page = logged_in(officer).post("/commissions/new", data=data).get_data(as_text=True)
    assert "is an assessment of a parent or carer who has not sexually offended" in page
    assert db.session.scalar(select(Commission)) is None


def test_a_stored_case_whose_type_does_not_fit_finds_nobody_and_says_why(
    logged_in, officer, make_eligible_assessor, now
):
    assessor = make_eligible_assessor()
    commission = searching(officer, now)
    commission.assessment_type = "protective_capacity"  # as an older request might hold
    db.session.commit()
    client = logged_in(officer)
    assert assessor.legal_name not in search_page(client, commission)
    assert "is for a parent or carer who has not sexually offended" in why_not(
        client, commission, assessor.legal_surname
    )


def test_the_invitation_needs_an_explicit_no_conflict_answer(
    logged_in, officer, make_eligible_assessor, now
):
    assessor = make_eligible_assessor()
    commission = searching(officer, now)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    invited = logged_in(MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None))
    url = f"/commissions/invitations/{commission.id}"
    page = invited.post(url, data={"accept": "yes"}).get_data(as_text=True)
    assert "Select whether you have a conflict with any of the named parties" in page
    assert commission.status is CommissionStatus.AWAITING_ASSESSOR
    response = invited.post(
        url, data={"accept": "yes", "conflict": "conflict", "conflicts": "financial_interest"}
    )
    assert response.status_code == 302
    db.session.refresh(commission)
    assert commission.status is CommissionStatus.SHORTLISTING
    with pytest.raises(NotEligible):
        selection.select_assessor(officer.user, commission, assessor.id, now=now)


def test_an_approval_freezes_the_qualified_rule_and_the_period_warning(
    logged_in, officer, make_user, make_eligible_assessor, now
):
    assessor = make_eligible_assessor()
    check = db.session.scalar(
        select(VerificationCheck).join(Registration).where(Registration.assessor_id == assessor.id)
    )
    commission = searching(officer, now, needed_by=check.period_to + timedelta(days=10))
    client = logged_in(officer)
    assert "before the report is needed by" in search_page(client, commission)
    selection.select_assessor(officer.user, commission, assessor.id, now=now)
    selection.respond(assessor.user, commission, NO_CONFLICT, now=now)
    panel = logged_in(make_user(Role.PANEL_MEMBER))
    assert "before the report is needed by" in panel.get(f"/commissions/{commission.id}").get_data(
        as_text=True
    )
    panel.post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )
    decision = db.session.scalar(select(PanelDecision))
    frozen = {rule["code"]: rule for rule in json.loads(decision.snapshot)["rules"]}
    assert frozen["qualified"]["passed"]
    assert "Doctorate in Forensic Psychology" in frozen["qualified"]["sentence"]
    assert "before the report is needed by" in frozen["freshly_verified"]["warning"]
    record = panel.get(f"/commissions/{commission.id}/decision-record").get_data(as_text=True)
    assert "Qualified" in record
    assert "before the report is needed by" in record
    # The decision keeps the register page it relied on, and the record links to it.
    assert "read the page as it was seen" in record
    from registry.models import RegisterPage

    assert db.session.get(RegisterPage, check.body_sha256).held
