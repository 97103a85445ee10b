"""Commission pages: permissions, tampered posts, the officer's and panel's screens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from commission_support import case_data
from sqlalchemy import select

from registry.commissions import requests, selection
from registry.extensions import db
from registry.models import AuditEvent, Commission, CommissionStatus, Role
from support import DEMO_PASSWORD, MadeUser

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    """NOW is the moment each test starts: checks made by fixtures at real time come first."""
    global NOW
    NOW = datetime.now(UTC)


def form_of(data) -> dict:
    values = {
        "case_reference": data.case_reference,
        "context": data.context,
        "subject_sex": data.subject_sex,
        "subject_age_band": data.subject_age_band,
        "conviction_status": data.conviction_status,
        "offence_categories": data.offence_categories,
        "assessment_type": data.assessment_type,
        "assessment_purpose": data.assessment_purpose,
        "access_to_child": data.access_to_child,
        "needed_by": [str(data.needed_by.day), str(data.needed_by.month), str(data.needed_by.year)],
        "court_permission_on": ["", "", ""],
        "questions": data.questions,
        "named_parties": "\n".join(data.named_parties),
        "budget": "2,500",
        "checklist-police": "requested",
    }
    return values


@pytest.fixture
def officer_client(logged_in, make_user):
    return logged_in(make_user(Role.OFFICER))


def test_an_officer_raises_a_request_through_the_form(officer_client):
    check = officer_client.post("/commissions/new", data=form_of(case_data()))
    assert "Check your answers" in check.get_data(as_text=True)
    assert db.session.scalar(select(Commission)) is None
    response = officer_client.post(
        "/commissions/new", data={**form_of(case_data()), "confirmed": "yes"}
    )
    assert response.status_code == 302
    commission = db.session.scalar(select(Commission))
    assert commission.status is CommissionStatus.DRAFT
    assert commission.budget_pence == 250_000
    assert commission.information_checklist == {"police": {"state": "requested", "note": ""}}


def test_care_proceedings_without_a_court_date_keeps_what_was_typed(officer_client):
    data = form_of(case_data(context="care_proceedings"))
    page = officer_client.post("/commissions/new", data=data).get_data(as_text=True)
    assert "Enter the date the court gave permission" in page
    assert 'value="NS/2026/0417"' in page
    assert db.session.scalar(select(Commission)) is None


def test_ac07_a_tampered_select_of_an_ineligible_assessor_is_409_and_audited(
    logged_in, make_user, make_registration
):
    officer = make_user(Role.OFFICER)
    ineligible = make_registration("hcpc", "PYL31200").assessor
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    requests.start_search(officer.user, commission, now=NOW)
    response = logged_in(officer).post(
        f"/commissions/{commission.id}/select",
        data={"assessor_id": str(ineligible.id), "confirmed": "yes"},
    )
    assert response.status_code == 409
    assert "not eligible" in response.get_data(as_text=True)
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "commission.gate_refused")
    )


def test_ac04_another_authority_gets_404(logged_in, make_user, make_organisation):
    officer = make_user(Role.OFFICER)
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    other = make_organisation("Eastborough City Council")
    outsider = logged_in(make_user(Role.OFFICER, organisation=other))
    assert outsider.get(f"/commissions/{commission.id}").status_code == 404
    assert (
        outsider.post(f"/commissions/{commission.id}/cancel", data={"reason": "x"}).status_code
        == 404
    )


def test_search_page_lists_the_eligible_assessor_with_reasons(
    logged_in, make_user, make_eligible_assessor
):
    officer = make_user(Role.OFFICER)
    assessor = make_eligible_assessor()
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    client = logged_in(officer)
    client.post(f"/commissions/{commission.id}/start-search")
    page = client.get(f"/commissions/{commission.id}/search").get_data(as_text=True)
    assert assessor.legal_name in page
    assert "Why this assessor is eligible" in page
    assert "1 eligible assessor" in page


def test_why_not_travels_in_the_body_and_names_the_rules(logged_in, make_user, make_registration):
    officer = make_user(Role.OFFICER)
    make_registration("hcpc", "PYL31200")
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    requests.start_search(officer.user, commission, now=NOW)
    page = (
        logged_in(officer)
        .post(f"/commissions/{commission.id}/search", data={"name": "Byrne"}, follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "not eligible" in page
    assert "Safeguarding check" in page


def _awaiting_panel(make_user, make_eligible_assessor):
    officer = make_user(Role.OFFICER)
    assessor = make_eligible_assessor()
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    requests.start_search(officer.user, commission, now=NOW)
    selection.select_assessor(officer.user, commission, assessor.id, now=NOW)
    selection.respond(
        assessor.user,
        commission,
        selection.Answer(True, "", False, False, False, False, "", no_conflict=True),
        now=NOW,
    )
    return officer, commission


def test_a_panel_member_approves_and_opens_the_decision_record(
    logged_in, make_user, make_eligible_assessor
):
    _, commission = _awaiting_panel(make_user, make_eligible_assessor)
    client = logged_in(make_user(Role.PANEL_MEMBER))
    assert "NS/2026/0417" in client.get("/commissions/panel").get_data(as_text=True)
    response = client.post(
        f"/commissions/{commission.id}/decision",
        data={"decision": "approve", "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "Request approved" in response.get_data(as_text=True)
    record = client.get(f"/commissions/{commission.id}/decision-record").get_data(as_text=True)
    assert "This record is intact" in record
    assert "Register check" in record


def test_the_requester_trying_to_approve_is_refused(logged_in, make_user, make_eligible_assessor):
    officer, commission = _awaiting_panel(make_user, make_eligible_assessor)
    officer.user.role = Role.PANEL_MEMBER
    db.session.commit()
    response = logged_in(officer).post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert commission.status is CommissionStatus.AWAITING_PANEL


def test_mfa07_an_approval_after_16_minutes_asks_for_a_code_first(
    logged_in, make_user, make_eligible_assessor, clock
):
    _, commission = _awaiting_panel(make_user, make_eligible_assessor)
    client = logged_in(make_user(Role.PANEL_MEMBER))
    clock.shift(timedelta(minutes=16))
    response = client.post(
        f"/commissions/{commission.id}/decision", data={"decision": "approve", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert "/account/confirm-identity" in response.headers["Location"]
    assert commission.status is CommissionStatus.AWAITING_PANEL


def test_the_invited_assessor_sees_the_parties_and_others_do_not(
    logged_in, make_user, make_eligible_assessor
):
    officer = make_user(Role.OFFICER)
    assessor = make_eligible_assessor()
    commission = requests.raise_request(officer.user, case_data(), now=NOW)
    requests.start_search(officer.user, commission, now=NOW)
    selection.select_assessor(officer.user, commission, assessor.id, now=NOW)
    invited = logged_in(MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None))
    page = invited.get(f"/commissions/invitations/{commission.id}").get_data(as_text=True)
    assert "Mr A Parent" in page
    other = logged_in(Role.ASSESSOR)
    assert other.get(f"/commissions/invitations/{commission.id}").status_code == 404
    officer_page = logged_in(officer).get(f"/commissions/{commission.id}").get_data(as_text=True)
    assert "Mr A Parent" not in officer_page


def test_quality_reviews_show_on_the_assessor_record_for_managers_and_panels(
    logged_in, make_user, make_eligible_assessor
):
    from registry.models import QualityReview

    officer, commission = _awaiting_panel(make_user, make_eligible_assessor)
    db.session.add(
        QualityReview(
            commission=commission,
            assessor_id=commission.selected_assessor_id,
            reviewer=officer.user,
            on_time=False,
            answered_questions=True,
            criticised_by_court=True,
            court_citation="[2026] EWFC 99",
            rating=2,
            notes="Late",
            reviewed_at=NOW,
        )
    )
    db.session.commit()
    manager_page = (
        logged_in(Role.REGISTER_MANAGER)
        .get(f"/vetting/assessors/{commission.selected_assessor_id}")
        .get_data(as_text=True)
    )
    assert "[2026] EWFC 99" in manager_page
    panel_page = (
        logged_in(Role.PANEL_MEMBER).get(f"/commissions/{commission.id}").get_data(as_text=True)
    )
    assert "[2026] EWFC 99" in panel_page
