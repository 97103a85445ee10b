"""The profile services: rules, ownership, review on change, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from assessors import profile
from assessors.profile_data import (
    CpdData,
    DbsData,
    ExperienceData,
    InsuranceData,
    QualificationData,
    ServicesData,
    ToolTrainingData,
)
from registry.clock import uk_date_of
from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.models import AdmissionStatus, AuditEvent, ItemReview, Qualification, ReviewStatus

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TODAY = uk_date_of(NOW)
DAY = timedelta(days=1)

QUALIFICATION = QualificationData("MSc Forensic Psychology", "University of Leeds", TODAY - DAY)
TRAINING = ToolTrainingData("RM2000", "University of Birmingham", TODAY - 100 * DAY)
EXPERIENCE = ExperienceData(
    "iioc", "online", "risk", 12, TODAY - 900 * DAY, TODAY - 10 * DAY, TODAY - 20 * DAY
)
DBS = DbsData("enhanced", "001234567890", TODAY - 30 * DAY, False, None, False)
INSURANCE = InsuranceData("Hiscox", "PI-1", 100_000_000, TODAY + 90 * DAY, True)
CPD = CpdData("Workshop", TODAY - 5 * DAY, 7)


def add(assessor, item_type, data):
    return profile.add_item(assessor.user, item_type, data, now=NOW)


def refused(assessor, item_type, data) -> tuple[str, str | None]:
    with pytest.raises(ValidationFailed) as caught:
        add(assessor, item_type, data)
    return caught.value.field, caught.value.message


@pytest.mark.parametrize(
    ("item_type", "data", "field"),
    [
        ("qualification", replace(QUALIFICATION, awarded_on=TODAY + DAY), "awarded_on"),
        ("tool_training", replace(TRAINING, trained_on=TODAY + DAY), "trained_on"),
        ("experience_entry", replace(EXPERIENCE, period_to=TODAY + DAY), "period_to"),
        ("experience_entry", replace(EXPERIENCE, last_case_on=TODAY + DAY), "last_case_on"),
        ("dbs_check", replace(DBS, issued_on=TODAY + DAY), "issued_on"),
        ("cpd_record", replace(CPD, completed_on=TODAY + DAY), "completed_on"),
    ],
)
def test_a_date_in_the_future_is_refused_where_it_must_be_past(assessor, item_type, data, field):
    assert refused(assessor, item_type, data)[0] == field


@pytest.mark.parametrize("expires_on", [TODAY, TODAY - DAY])
def test_insurance_that_has_expired_is_refused(assessor, expires_on):
    field, message = refused(assessor, "insurance", replace(INSURANCE, expires_on=expires_on))
    assert (field, message) == ("expires_on", "The expiry date must be in the future")


def test_a_negative_count_of_assessments_is_refused(assessor):
    assert refused(assessor, "experience_entry", replace(EXPERIENCE, count=-1))[0] == "count"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_from": TODAY - 5 * DAY, "period_to": TODAY - 50 * DAY}, "period_from"),
        ({"last_case_on": TODAY - 901 * DAY}, "last_case_on"),
        ({"offence_category": "shoplifting"}, "offence_category"),
        ({"population": "everyone"}, "population"),
    ],
)
def test_experience_periods_and_words_must_make_sense(assessor, changes, field):
    assert refused(assessor, "experience_entry", replace(EXPERIENCE, **changes))[0] == field


@pytest.mark.parametrize("hours", [0, 501])
def test_cpd_hours_must_be_between_1_and_500(assessor, hours):
    assert refused(assessor, "cpd_record", replace(CPD, hours=hours))[0] == "hours"


def test_a_tool_not_in_the_policy_is_refused(assessor):
    assert refused(assessor, "tool_training", replace(TRAINING, tool_code="PCL-R"))[0] == (
        "tool_code"
    )


def test_a_tool_whose_owner_approves_practitioners_needs_the_approval_reference(assessor):
    field, message = refused(assessor, "tool_training", replace(TRAINING, tool_code="AIM3"))
    assert field == "owner_approval_reference"
    assert "the AIM Project" in message


def test_an_approval_reference_records_the_owner_approval(assessor):
    training = add(
        assessor,
        "tool_training",
        replace(TRAINING, tool_code="AIM3", owner_approval_reference="AIM-2291"),
    )
    assert (training.owner_approved, training.owner_approval_reference) == (True, "AIM-2291")


def test_a_status_check_needs_the_update_service(assessor):
    data = replace(DBS, last_status_check_on=TODAY - DAY)
    assert refused(assessor, "dbs_check", data)[0] == "last_status_check_on"


def test_another_assessors_document_cannot_be_cited(assessor, make_assessor):
    from registry.models import Document, DocumentKind

    other = make_assessor("Bea", "Other")
    document = Document(
        assessor_id=other.id, uploaded_by_id=other.user_id, kind=DocumentKind.OTHER,
        description="x", original_name="x.pdf", content_type="application/pdf", size_bytes=1,
        sha256="0" * 64, stored_name="a" * 64, uploaded_at=NOW,
    )  # fmt: skip
    db.session.add(document)
    db.session.commit()
    data = replace(QUALIFICATION, document_id=document.id)
    assert refused(assessor, "qualification", data)[0] == "document_id"


def test_another_assessors_item_is_not_found(assessor, make_assessor):
    other = make_assessor("Bea", "Other")
    theirs = add(other, "qualification", QUALIFICATION)
    with pytest.raises(NotFound):
        profile.change_item(assessor.user, "qualification", theirs.id, QUALIFICATION, now=NOW)
    with pytest.raises(NotFound):
        profile.remove_item(assessor.user, "qualification", theirs.id, now=NOW)
    assert db.session.get(Qualification, theirs.id) is not None


def reviews_of(assessor):
    return list(db.session.scalars(select(ItemReview).where(ItemReview.assessor_id == assessor.id)))


@pytest.mark.parametrize("status", [AdmissionStatus.SUBMITTED, AdmissionStatus.ADMITTED])
def test_changing_an_item_of_a_vetted_profile_sends_it_back_to_review(make_assessor, status):
    assessor = make_assessor(admission_status=status)
    item = add(assessor, "qualification", QUALIFICATION)
    profile.change_item(
        assessor.user, "qualification", item.id, replace(QUALIFICATION, title="PhD"), now=NOW
    )
    keys = [(r.item_type, r.item_id, r.status) for r in reviews_of(assessor)]
    assert keys[-1] == ("qualification", item.id, ReviewStatus.PENDING)


def test_an_applying_assessors_changes_need_no_review(make_assessor):
    assessor = make_assessor(admission_status=AdmissionStatus.APPLYING)
    add(assessor, "qualification", QUALIFICATION)
    assert reviews_of(assessor) == []


def test_every_change_is_audited(assessor):
    item = add(assessor, "cpd_record", CPD)
    profile.change_item(assessor.user, "cpd_record", item.id, replace(CPD, hours=8), now=NOW)
    profile.remove_item(assessor.user, "cpd_record", item.id, now=NOW)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "cpd_record")
    ).all()
    assert actions == ["profile.cpd_record_added", "profile.cpd_record_changed",
                       "profile.cpd_record_removed"]  # fmt: skip


def test_changing_a_dbs_certificate_clears_the_managers_disclosure_decision(assessor):
    item = add(assessor, "dbs_check", replace(DBS, disclosure=True))
    item.disclosure_decision = "Old caution, not relevant"
    db.session.commit()
    changed = replace(DBS, disclosure=True, certificate_number="009999999999")
    profile.change_item(assessor.user, "dbs_check", item.id, changed, now=NOW)
    assert item.disclosure_decision is None


def test_services_keep_only_the_listed_regions(assessor):
    with pytest.raises(ValidationFailed):
        profile.save_services(
            assessor.user, ServicesData(("Narnia",), (), "available", None), now=NOW
        )
    profile.save_services(
        assessor.user,
        ServicesData(("Wales", "London"), ("English", " Welsh "), "limited", 85_050),
        now=NOW,
    )
    assert (assessor.regions, assessor.languages, assessor.day_rate_pence) == (
        ["London", "Wales"],
        ["English", "Welsh"],
        85_050,
    )
    count = db.session.scalar(
        select(func.count(ItemReview.id)).where(ItemReview.item_type == "services")
    )
    assert count == 1  # admitted: the save went to review; the refused one did not
