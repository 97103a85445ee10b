"""Issue 12: submitting or attesting an empty profile is refused with the sections named (an
error summary linking to each); the task list and the home page lead to submit and attest; the
home page lists what needs doing, each with a link; the assessor's commissions page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from registry.errors import InvalidTransition
from registry.models import (
    AdmissionStatus,
    Attestation,
    CheckMethod,
    Commission,
    CommissionStatus,
    ItemReview,
    ReviewStatus,
    VerificationCheck,
)
from registry.vetting import attestation
from registry.vetting.service import IncompleteProfile, submit_for_vetting
from support import DEMO_PASSWORD, MadeUser

REQUIRED = (
    "Your name on the register",
    "Registrations",
    "Experience",
    "DBS certificate",
    "Professional indemnity insurance",
    "Supervision",
)


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def applicant(make_assessor):
    return make_assessor("Amelia", "Hart", admission_status=AdmissionStatus.APPLYING)


@pytest.fixture
def applicant_client(logged_in, applicant):
    return logged_in(MadeUser(user=applicant.user, password=DEMO_PASSWORD, seed=None))


def test_an_empty_profile_is_refused_with_every_empty_section_named(db, applicant):
    with pytest.raises(IncompleteProfile) as refused:
        submit_for_vetting(applicant.user, now=datetime.now(UTC))
    assert [key for key, _ in refused.value.missing] == [
        "registration",
        "experience_entry",
        "dbs_check",
        "insurance",
        "supervision",
    ]
    assert isinstance(refused.value, InvalidTransition)
    assert "Experience (add at least one experience entry)" in refused.value.message
    assert applicant.admission_status is AdmissionStatus.APPLYING
    assert db.session.scalar(select(ItemReview)) is None


def test_submitting_an_empty_profile_shows_an_error_summary_linking_each_section(
    db, applicant, applicant_client
):
    task_list = _text(applicant_client.get("/assessor/profile"))
    assert 'action="/assessor/vetting/submit"' in task_list  # reachable from the task list
    response = applicant_client.post("/assessor/vetting/submit")
    assert response.status_code == 409
    page = _text(response)
    assert "<title>Error: Vetting of your profile" in page
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    for section in REQUIRED[1:]:
        assert section in page
    for href in (
        "/assessor/registrations",
        "/assessor/profile/experience",
        "/assessor/profile/dbs",
        "/assessor/profile/insurance",
        "/assessor/profile/supervision",
    ):
        assert f'href="{href}"' in page
    assert "govuk-notification-banner--success" not in page
    db.session.expire_all()
    assert applicant.admission_status is AdmissionStatus.APPLYING


def test_attesting_an_empty_profile_is_refused_the_same_way(db, applicant, applicant_client):
    response = applicant_client.post("/assessor/attestation", data={"signed_name": "Amelia Hart"})
    assert response.status_code == 409
    page = _text(response)
    assert "govuk-error-summary" in page
    assert "Before you attest your profile, complete these sections:" in page
    assert 'href="/assessor/profile/dbs"' in page
    assert db.session.scalar(select(Attestation)) is None
    with pytest.raises(IncompleteProfile):
        attestation.attest(applicant.user, "Amelia Hart", now=datetime.now(UTC))


def test_a_complete_profile_is_submitted_from_the_task_list(
    db, applicant, applicant_client, fill_profile, make_registration
):
    fill_profile(applicant)
    make_registration("hcpc", "PYL043541", assessor=applicant)
    page = _text(applicant_client.post("/assessor/vetting/submit", follow_redirects=True))
    assert "Submitted for vetting:" in page
    assert "govuk-notification-banner--success" in page
    db.session.expire_all()
    assert applicant.admission_status is AdmissionStatus.SUBMITTED


def test_submit_and_attest_are_on_the_home_page(applicant_client):
    page = _text(applicant_client.get("/"))
    assert 'action="/assessor/vetting/submit"' in page
    assert 'href="/assessor/attestation"' in page
    assert "You have completed 1 of 12 sections." in page
    assert 'href="/assessor/profile"' in page
    assert 'href="/assessor/commissions"' in page


def test_the_home_page_lists_what_needs_doing_each_with_a_link(
    db, assessor, assessor_client, fill_profile, make_registration
):
    items = fill_profile(assessor)
    now = datetime.now(UTC)  # after the changes' own reviews: the rejection is the latest
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type="dbs_check",
            item_id=items["dbs_check"].id,
            status=ReviewStatus.REJECTED,
            message="The certificate number has 11 digits; check it.",
            submitted_at=now,
            decided_at=now,
        )
    )
    items["insurance"].expires_on = now.date() + timedelta(days=10)
    db.session.add(
        Attestation(
            assessor_id=assessor.id,
            statement="Accurate",
            signed_name="Amelia Hart",
            attested_at=now - timedelta(days=130),
        )
    )
    registration = make_registration("hcpc", "PYL043541", assessor=assessor)
    db.session.add(
        VerificationCheck(
            registration_id=registration.id,
            outcome="not_found",
            checked_at=now,
            **_check_fields(),
        )
    )
    db.session.commit()
    page = _text(assessor_client.get("/"))
    assert "Things to do" in page
    assert "The certificate number has 11 digits; check it." in page
    assert 'href="/assessor/profile/dbs"' in page
    assert "it is overdue" in page
    assert 'href="/assessor/attestation"' in page
    assert "Professional indemnity insurance: an item expires within 30 days." in page
    assert 'href="/assessor/profile/insurance"' in page
    assert "PYL043541: The register has no entry for the number you gave." in page
    assert 'href="/assessor/registrations"' in page


def _check_fields() -> dict:
    return {
        "method": CheckMethod.AUTOMATIC,
        "performed_by_label": "Scheduled check",
        "source_url": "http://register.test/PYL043541",
        "adapter_version": "test",
        "detail": "No entry for the number given",
    }


def test_the_commissions_page_groups_and_says_what_is_due_when(
    db, assessor, assessor_client, make_user
):
    from registry.models import Role

    officer = make_user(Role.OFFICER).user
    today = datetime.now(UTC).date()
    for number, status in enumerate(
        (
            CommissionStatus.AWAITING_ASSESSOR,
            CommissionStatus.AWAITING_PANEL,
            CommissionStatus.INSTRUCTED,
            CommissionStatus.CLOSED,
        )
    ):
        db.session.add(_commission(officer, assessor, f"NS/2026/00{number}", status, today))
    db.session.commit()
    page = _text(assessor_client.get("/assessor/commissions"))
    for heading in ("Invitations to answer", "Accepted", "In progress", "Finished"):
        assert f">{heading}</h2>" in page
    assert "Case NS/2026/000" in page
    assert "Answer the invitation" in page
    assert "The council’s panel is considering the request" in page
    due = today + timedelta(days=30)
    assert f"Your report is due by {due.day} {due:%B %Y}." in page
    assert "Closed. Nothing more is due." in page
    assert officer.organisation.name in page
    assert ">None<" not in page


def _commission(officer, assessor, reference, status, today) -> Commission:
    now = datetime.now(UTC)
    return Commission(
        organisation_id=officer.organisation_id,
        requester_id=officer.id,
        status=status,
        case_reference=reference,
        context="cp_plan",
        subject_sex="male",
        subject_age_band="adult",
        conviction_status="convicted",
        offence_categories=["contact_intra_familial"],
        assessment_type="adult_male",
        assessment_purpose="risk",
        access_to_child="lives_in_household",
        needed_by=today + timedelta(days=30),
        selected_assessor_id=assessor.id,
        selected_at=now,
        created_at=now,
        updated_at=now,
    )


def test_a_withdrawn_registration_does_not_fill_the_registrations_section(
    db, applicant, fill_profile, make_registration
):
    fill_profile(applicant)
    registration = make_registration("hcpc", "PYL043541", assessor=applicant)
    registration.withdrawn_at = datetime.now(UTC)
    db.session.commit()
    with pytest.raises(IncompleteProfile) as refused:
        submit_for_vetting(applicant.user, now=datetime.now(UTC))
    assert [key for key, _ in refused.value.missing] == ["registration"]
