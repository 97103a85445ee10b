"""A restricted registration gets a recorded review of its conditions: kept, shown, audited,
append-only, and never a change to the gate's verdict (decision 0007)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from registry.errors import NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import (
    AuditEvent,
    CheckMethod,
    Registration,
    RestrictionReview,
    Role,
    VerificationCheck,
)
from registry.verification import restrictions
from registry.verification.service import registration_facts
from registry.vocabulary import Outcome

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


def _check(registration, outcome, **fields):
    check = VerificationCheck(
        registration=registration,
        method=CheckMethod.AUTOMATIC,
        performed_by_label="test",
        checked_at=NOW,
        outcome=outcome,
        source_url="https://register.invalid/",
        adapter_version="test",
        **fields,
    )
    db.session.add(check)
    db.session.commit()
    return check


@pytest.fixture
def restricted(db, make_assessor):
    assessor = make_assessor("Rita", "Stone")
    registration = Registration(
        assessor=assessor,
        body="hcpc",
        number="PYL000777",
        profession="practitioner_psychologist",
        created_at=NOW,
    )
    db.session.add(registration)
    db.session.commit()
    _check(
        registration,
        "restricted",
        conditions="Must not undertake unsupervised risk assessments.",
        sanction=True,
    )
    return registration


@pytest.fixture
def manager(make_user):
    return make_user(Role.REGISTER_MANAGER, full_name="Mona Manager").user


def _data(
    summary="Limits unsupervised risk work: not usable for these cases.", day=date(2026, 11, 1)
):
    return restrictions.ReviewData(summary=summary, reviewed_on=day)


def test_a_review_is_kept_and_audited_and_the_gate_is_unchanged(restricted, manager):
    assessor = restricted.assessor
    before = registration_facts(assessor, now=NOW)
    review = restrictions.record_review(manager, restricted, _data(), now=NOW)
    assert review.check_id == restricted.checks[-1].id
    assert review.reviewed_by_id == manager.id
    assert restrictions.reviews_of(restricted) == [review]
    after = registration_facts(assessor, now=NOW)
    assert after == before
    assert after[0].outcome is Outcome.RESTRICTED
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "registration.restriction_reviewed")
    )
    assert event.object_id == restricted.id
    assert event.actor_id == manager.id


def test_only_a_restricted_registration_is_reviewed(restricted, manager):
    _check(restricted, "clear")
    with pytest.raises(ValidationFailed, match="not restricted"):
        restrictions.record_review(manager, restricted, _data(), now=NOW)


@pytest.mark.parametrize(
    ("data", "field"),
    [(_data(summary="   "), "summary"), (_data(day=date(2026, 11, 3)), "reviewed_on")],
)
def test_an_empty_summary_or_a_future_date_is_refused(restricted, manager, data, field):
    with pytest.raises(ValidationFailed) as refused:
        restrictions.record_review(manager, restricted, data, now=NOW)
    assert refused.value.field == field


def test_only_managers_review(restricted, make_user):
    officer = make_user(Role.OFFICER).user
    with pytest.raises(NotAllowed):
        restrictions.record_review(officer, restricted, _data(), now=NOW)


def test_the_manager_records_a_review_through_the_pages(restricted, manager, logged_in):
    from support import DEMO_PASSWORD, MadeUser

    client = logged_in(MadeUser(user=manager, password=DEMO_PASSWORD, seed=None))
    show = f"/verification/registrations/{restricted.id}"
    page = client.get(show).get_data(as_text=True)
    assert "The conditions have not been reviewed yet." in page
    assert "Conditions not reviewed yet" in client.get("/verification").get_data(as_text=True)
    form = client.get(f"{show}/restriction-review").get_data(as_text=True)
    assert "Must not undertake unsupervised risk assessments." in form
    empty = client.post(f"{show}/restriction-review", data={"summary": ""})
    assert "Enter what the conditions mean for this work" in empty.get_data(as_text=True)
    response = client.post(
        f"{show}/restriction-review",
        data=MultiDict(
            [
                ("summary", "Cannot assess alone."),
                ("reviewed_on", "1"),
                ("reviewed_on", "11"),
                ("reviewed_on", "2026"),
            ]
        ),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Review of the conditions recorded." in page
    assert "Cannot assess alone." in page
    assert "Read on 1 November 2026 by Mona Manager" in page
    assert db.session.scalar(select(RestrictionReview)) is not None
    listing = client.get("/verification").get_data(as_text=True)
    assert "Conditions reviewed on 1 November 2026" in listing


def test_no_review_page_for_a_clear_registration(restricted, manager, logged_in):
    _check(restricted, "clear")
    client = logged_in(Role.REGISTER_MANAGER)
    assert (
        client.get(f"/verification/registrations/{restricted.id}/restriction-review").status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, Role.ASSESSOR])
def test_other_roles_cannot_review(restricted, logged_in, role):
    url = f"/verification/registrations/{restricted.id}/restriction-review"
    assert logged_in(role).get(url).status_code == 403
