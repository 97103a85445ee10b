"""The profile pages: task list, sections, add/change/remove, ownership, errors kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from assessors import profile
from assessors.overview import SECTIONS
from assessors.profile_data import QualificationData
from registry.extensions import db
from registry.models import AdmissionStatus, ItemReview, Qualification, ReviewStatus
from support import accept_everything

FORM = {
    "kind": "other",
    "title": "MSc Forensic Psychology",
    "awarding_body": "University of Leeds",
    "awarded_on": ["3", "7", "2015"],
    "document_id": "",
}


def qualifications_of(assessor):
    return list(
        db.session.scalars(select(Qualification).where(Qualification.assessor_id == assessor.id))
    )


def test_the_task_list_shows_every_section_not_started(assessor_client):
    page = assessor_client.get("/assessor/profile").get_data(as_text=True)
    assert "govuk-task-list" in page
    # Only the name is in: 11 of the 12 sections are not started, each as a blue tag.
    assert page.count("Not started") == 11
    assert "You have completed 1 of 12 sections." in page
    for link in ("/assessor/identity", "/assessor/registrations", "/assessor/documents"):
        assert link in page


def test_a_filled_profile_shows_completed_and_expiring_insurance(
    assessor, assessor_client, fill_profile
):
    items = fill_profile(assessor)
    accept_everything(assessor)
    insurance = items["insurance"]
    insurance.expires_on = datetime.now(UTC).date() + timedelta(days=10)
    db.session.commit()
    page = assessor_client.get("/assessor/profile").get_data(as_text=True)
    assert "Expires soon" in page
    assert "In progress" in page  # one referee of the two needed
    assert page.count("Completed") == 8  # name, six item sections and services
    # ...and insurance that expires soon still counts: no registration, referees or documents.
    assert "You have completed 9 of 12 sections." in page


def test_items_of_an_admitted_assessor_awaiting_review_are_shown_as_such(
    assessor, assessor_client, fill_profile
):
    """Decision 0007: the task list says which items are waiting and that they do not count."""
    fill_profile(assessor)
    db.session.commit()
    page = assessor_client.get("/assessor/profile").get_data(as_text=True)
    assert page.count("Awaiting review") == 8
    assert "1 added or changed item does not count for eligibility until a register manager " in (
        page
    )


def test_a_rejected_item_shows_the_managers_message(assessor, assessor_client, fill_profile):
    items = fill_profile(assessor)
    db.session.add(
        ItemReview(
            assessor_id=assessor.id, item_type="cpd_record", item_id=items["cpd_record"].id,
            status=ReviewStatus.REJECTED, submitted_at=datetime.now(UTC) + timedelta(seconds=5),
            message="The certificate is for someone else",
        )
    )  # fmt: skip
    db.session.commit()
    page = assessor_client.get("/assessor/profile").get_data(as_text=True)
    assert "Rejected" in page
    assert "The certificate is for someone else" in page


def test_adding_a_qualification_redirects_to_the_section(assessor, assessor_client):
    response = assessor_client.post("/assessor/profile/qualifications/add", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/assessor/profile/qualifications")
    assert [q.title for q in qualifications_of(assessor)] == ["MSc Forensic Psychology"]
    assert "MSc Forensic Psychology" in assessor_client.get(
        "/assessor/profile/qualifications"
    ).get_data(as_text=True)


def test_form_errors_keep_what_was_typed(assessor, assessor_client):
    data = {**FORM, "awarded_on": ["3", "7", "2999"], "title": "Typed title kept"}
    response = assessor_client.post("/assessor/profile/qualifications/add", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "The date awarded must be today or in the past" in page
    assert 'value="Typed title kept"' in page
    assert 'value="2999"' in page
    assert qualifications_of(assessor) == []


def test_a_missing_field_is_worded_the_govuk_way(assessor_client):
    response = assessor_client.post(
        "/assessor/profile/qualifications/add", data={**FORM, "title": ""}
    )
    assert "Enter the name of the qualification" in response.get_data(as_text=True)


def test_an_impossible_date_is_worded_the_govuk_way(assessor_client):
    data = {**FORM, "awarded_on": ["31", "2", "2015"]}
    page = assessor_client.post("/assessor/profile/qualifications/add", data=data).get_data(
        as_text=True
    )
    assert "Date awarded must be a real date" in page


def test_changing_an_item_fills_the_form_and_saves(assessor, assessor_client):
    item = profile.add_item(
        assessor.user, "qualification",
        QualificationData("MSc", "Leeds", date(2015, 7, 3)), now=datetime.now(UTC),
    )  # fmt: skip
    url = f"/assessor/profile/qualifications/{item.id}/change"
    assert 'value="Leeds"' in assessor_client.get(url).get_data(as_text=True)
    assert assessor_client.post(url, data=FORM).status_code == 302
    assert item.title == "MSc Forensic Psychology"


def test_another_assessors_item_is_404_for_change_and_remove(assessor_client, make_assessor):
    other = make_assessor("Bea", "Other")
    theirs = profile.add_item(
        other.user, "qualification",
        QualificationData("MSc", "Leeds", date(2015, 7, 3)), now=datetime.now(UTC),
    )  # fmt: skip
    base = f"/assessor/profile/qualifications/{theirs.id}"
    assert assessor_client.get(f"{base}/change").status_code == 404
    assert assessor_client.post(f"{base}/change", data=FORM).status_code == 404
    assert assessor_client.post(f"{base}/remove").status_code == 404
    assert theirs.title == "MSc"
    assert db.session.get(Qualification, theirs.id) is not None


def test_an_item_of_another_type_is_404(assessor, assessor_client):
    item = profile.add_item(
        assessor.user, "qualification",
        QualificationData("MSc", "Leeds", date(2015, 7, 3)), now=datetime.now(UTC),
    )  # fmt: skip
    assert assessor_client.get(f"/assessor/profile/insurance/{item.id}/change").status_code == 404


def test_removing_an_item(assessor, assessor_client):
    item = profile.add_item(
        assessor.user, "qualification",
        QualificationData("MSc", "Leeds", date(2015, 7, 3)), now=datetime.now(UTC),
    )  # fmt: skip
    response = assessor_client.post(f"/assessor/profile/qualifications/{item.id}/remove")
    assert response.status_code == 302
    assert qualifications_of(assessor) == []


def test_posted_owner_and_status_fields_change_nothing(assessor, assessor_client, make_assessor):
    other = make_assessor("Bea", "Other")
    data = {
        **FORM,
        "assessor_id": str(other.id),
        "admission_status": "admitted",
        "decided_by_id": "1",
        "status": "accepted",
        "owner_approved": "y",
    }
    assessor_client.post("/assessor/profile/qualifications/add", data=data)
    assert [q.assessor_id for q in qualifications_of(assessor)] == [assessor.id]
    assert qualifications_of(other) == []
    reviews = db.session.scalars(select(ItemReview).where(ItemReview.assessor_id == assessor.id))
    assert {r.status for r in reviews} == {ReviewStatus.PENDING}


def test_posted_admission_status_on_services_changes_nothing(make_assessor, logged_in):
    from support import DEMO_PASSWORD, MadeUser

    applicant = make_assessor(admission_status=AdmissionStatus.APPLYING)
    client = logged_in(MadeUser(user=applicant.user, password=DEMO_PASSWORD, seed=None))
    response = client.post(
        "/assessor/profile/services",
        data={"regions": ["London"], "languages": "English", "availability": "available",
              "day_rate": "850", "admission_status": "admitted", "user_id": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert (applicant.admission_status, applicant.day_rate_pence) == (
        AdmissionStatus.APPLYING,
        85_000,
    )


@pytest.mark.slow
def test_every_section_has_its_add_page(assessor_client):
    for section in ("qualifications", "tool-training", "experience", "referees", "dbs",
                    "insurance", "cpd", "supervision"):  # fmt: skip
        assert assessor_client.get(f"/assessor/profile/{section}").status_code == 200
        assert assessor_client.get(f"/assessor/profile/{section}/add").status_code == 200
    assert assessor_client.get("/assessor/profile/services").status_code == 200


def test_an_assessor_without_a_profile_is_sent_to_identity(logged_in):
    from registry.models import Role

    client = logged_in(Role.ASSESSOR)
    assert client.get("/assessor/profile").headers["Location"].endswith("/assessor/identity")


@pytest.mark.slow
def test_every_filled_item_opens_in_its_change_form(assessor, assessor_client, fill_profile):
    items = fill_profile(assessor)
    keys = {section.item_type: section.key for section in SECTIONS}
    for item_type, item in items.items():
        response = assessor_client.get(f"/assessor/profile/{keys[item_type]}/{item.id}/change")
        assert response.status_code == 200, item_type
    page = assessor_client.get(f"/assessor/profile/insurance/{items['insurance'].id}/change")
    assert 'value="5000000"' in page.get_data(as_text=True)
    services = assessor_client.get("/assessor/profile/services").get_data(as_text=True)
    assert 'value="950"' in services
