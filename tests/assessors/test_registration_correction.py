"""Issue 12: an assessor corrects or withdraws a registration. The old entry and its checks stay
as evidence, never edited; the managers see both; a withdrawn or replaced registration never makes
anyone "Regulated", but a sanction it shows still counts for "No restriction" (decision 0007)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from assessors import service
from registry.eligibility.facts import RegistrationFact
from registry.errors import NotFound, ValidationFailed
from registry.models import AuditEvent, Registration, Role
from registry.verification.service import registration_facts
from registry.vocabulary import Outcome
from support import DEMO_PASSWORD, MadeUser

HCPC = {"body": "hcpc", "profession": "practitioner_psychologist"}


@pytest.fixture
def app(make_app, register_simulator):
    """The app with every public register pointed at the simulator."""
    from support import simulator_settings

    return make_app(**simulator_settings(register_simulator))


def _add(client, number, body="hcpc", profession="practitioner_psychologist"):
    return client.post(
        "/assessor/registrations/add",
        data={"body": body, "number": number, "profession": profession},
        follow_redirects=True,
    )


def _registration(assessor, number) -> Registration:
    return db_scalar(
        select(Registration).where(
            Registration.assessor_id == assessor.id, Registration.number == number
        )
    )


def db_scalar(statement):
    from registry.extensions import db

    return db.session.scalar(statement)


def test_correcting_keeps_the_old_entry_and_its_checks_and_adds_a_new_one(
    db, assessor, assessor_client
):
    _add(assessor_client, "PYL043540")  # a typo: not on the register
    wrong = _registration(assessor, "PYL043540")
    checks_before = [(c.id, c.outcome, c.checked_at) for c in wrong.checks]
    assert checks_before, "the wrong number was checked when added"
    form = assessor_client.get(f"/assessor/registrations/{wrong.id}/correct").get_data(as_text=True)
    assert "You are correcting Health and Care Professions Council PYL043540" in form
    page = assessor_client.post(
        f"/assessor/registrations/{wrong.id}/correct",
        data={**HCPC, "number": "PYL043541"},
        follow_redirects=True,
    ).get_data(as_text=True)
    page = " ".join(page.split())
    assert "Registration corrected and checked: Clear." in page
    assert "The register shows you as registered, with no restrictions." in page
    db.session.expire_all()
    new = _registration(assessor, "PYL043541")
    old = db.session.get(Registration, wrong.id)
    assert old.replaced_by_id == new.id
    assert old.withdrawn_at is None
    assert (old.body, old.number, old.profession) == ("hcpc", "PYL043540", HCPC["profession"])
    assert [(c.id, c.outcome, c.checked_at) for c in old.checks] == checks_before
    assert "Corrected or withdrawn" in page
    assert "PYL043540: replaced by Health and Care Professions Council PYL043541" in page
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "registration.corrected")
    )
    assert audit is not None
    # an entry already corrected cannot be corrected or withdrawn again
    assert assessor_client.get(f"/assessor/registrations/{old.id}/correct").status_code == 404
    assert assessor_client.post(f"/assessor/registrations/{old.id}/withdraw").status_code == 404


def test_withdrawing_keeps_the_entry_and_says_it_no_longer_counts(db, assessor, assessor_client):
    _add(assessor_client, "PYL043541")
    registration = _registration(assessor, "PYL043541")
    ask = assessor_client.get(f"/assessor/registrations/{registration.id}/withdraw")
    assert "Withdraw Health and Care Professions Council PYL043541?" in ask.get_data(as_text=True)
    page = assessor_client.post(
        f"/assessor/registrations/{registration.id}/withdraw", follow_redirects=True
    ).get_data(as_text=True)
    page = " ".join(page.split())
    assert "has been withdrawn" in page
    assert "govuk-notification-banner--success" in page
    db.session.expire_all()
    kept = db.session.get(Registration, registration.id)
    assert kept.withdrawn_at is not None
    assert kept.checks
    assert "PYL043541: withdrawn on" in page
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "registration.withdrawn")
    )


def test_correcting_to_the_same_number_is_a_form_error(db, assessor, assessor_client):
    _add(assessor_client, "PYL043541")
    registration = _registration(assessor, "PYL043541")
    page = assessor_client.post(
        f"/assessor/registrations/{registration.id}/correct",
        data={**HCPC, "number": "PYL043541"},
    ).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter the correct register or number" in page
    with pytest.raises(ValidationFailed):
        service.correct_registration(
            assessor,
            registration.id,
            service.NewRegistration("hcpc", "pyl 043541", HCPC["profession"]),
            now=datetime.now(UTC),
        )


def test_another_assessors_registration_is_404(db, assessor_client, make_registration):
    theirs = make_registration("hcpc", "PYL043541")
    assert assessor_client.get(f"/assessor/registrations/{theirs.id}/correct").status_code == 404
    assert assessor_client.post(f"/assessor/registrations/{theirs.id}/withdraw").status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).withdrawn_at is None


def test_the_manager_sees_both_entries(db, assessor, assessor_client, logged_in, make_user):
    _add(assessor_client, "PYL043540")
    wrong = _registration(assessor, "PYL043540")
    assessor_client.post(
        f"/assessor/registrations/{wrong.id}/correct", data={**HCPC, "number": "PYL043541"}
    )
    _add(assessor_client, "7020001", body="gmc", profession="psychiatrist")
    gmc = _registration(assessor, "7020001")
    assessor_client.post(f"/assessor/registrations/{gmc.id}/withdraw")
    new = _registration(assessor, "PYL043541")
    manager = logged_in(make_user(Role.REGISTER_MANAGER))
    old_page = manager.get(f"/verification/registrations/{wrong.id}").get_data(as_text=True)
    assert "Replaced by the assessor on" in old_page
    assert f"/verification/registrations/{new.id}" in old_page
    new_page = manager.get(f"/verification/registrations/{new.id}").get_data(as_text=True)
    assert "This entry replaces" in new_page
    assert f"/verification/registrations/{wrong.id}" in new_page
    withdrawn = manager.get(f"/verification/registrations/{gmc.id}").get_data(as_text=True)
    assert "Withdrawn by the assessor on" in withdrawn


CASE = dict(
    case_reference="NS/2026/0417",
    context="cp_plan",
    court_permission_on=None,
    subject_sex="male",
    subject_age_band="adult",
    conviction_status="convicted",
    learning_disability=False,
    language_needs=None,
    offence_categories=["contact_intra_familial"],
    assessment_type="adult_male",
    assessment_purpose="risk",
    access_to_child="lives_in_household",
    access_details="Alone with the child every evening",
    questions="What is the risk to the child?",
    budget_pence=250_000,
    named_parties=["Mr A Parent"],
)


def _verdict(assessor_id, officer, now):
    from datetime import timedelta

    from registry.commissions import requests, verdicts
    from registry.commissions.case import CaseData
    from registry.eligibility import Stage

    case = CaseData(**CASE, needed_by=now.date() + timedelta(42))
    commission = requests.raise_request(officer, case, now=now)
    return verdicts.evaluate(assessor_id, commission, now=now, stage=Stage.SELECTION)


@pytest.mark.parametrize("how", ["withdrawn", "replaced"])
def test_a_withdrawn_or_replaced_registration_never_makes_anyone_eligible(
    db, make_registration, make_user, how
):
    from registry.verification import service as verification
    from support import add_complete_profile

    officer = make_user(Role.OFFICER).user
    registration = make_registration("hcpc", "PYL043541")
    assessor = registration.assessor
    now = datetime.now(UTC)
    verification.verify(registration, actor=None, now=now)
    add_complete_profile(assessor.id, now)
    db.session.commit()
    assert _verdict(assessor.id, officer, now).eligible
    (fact,) = registration_facts(assessor, now=now)
    assert fact.rejected is False
    if how == "withdrawn":
        service.withdraw_registration(assessor, registration.id, now=now)
    else:  # replaced by an entry of a register that does not count (a membership)
        service.correct_registration(
            assessor,
            registration.id,
            service.NewRegistration("bps", "123456", "practitioner_psychologist"),
            now=now,
        )
    db.session.expire_all()
    verdict = _verdict(assessor.id, officer, now)
    assert not verdict.eligible
    assert not verdict.rule("regulated").passed
    facts = {f.registration_id: f for f in registration_facts(assessor, now=now)}
    assert facts[registration.id].rejected is True  # kept, never relied on as "Regulated"


def test_a_sanction_on_a_withdrawn_registration_still_counts(app_context):
    from dataclasses import replace

    from registry.eligibility import registration as rules
    from registry.policy_store import current_policy

    withdrawn = RegistrationFact(
        1, "hcpc", "practitioner_psychologist", Outcome.RESTRICTED, None,
        sanction=True, rejected=True,
    )  # fmt: skip
    clear = RegistrationFact(
        2, "hcpc", "practitioner_psychologist", Outcome.CLEAR, None, entries=("forensic",)
    )

    class Facts:
        registrations = (withdrawn, clear)

    class Inputs:
        facts = Facts()
        policy = current_policy()

    assert not rules.no_restriction(Inputs()).passed  # decision 0007
    assert rules.statutory(Inputs()) == [withdrawn, clear]
    assert replace(withdrawn, rejected=False).sanction


def test_a_membership_is_accepted_but_the_page_says_it_is_not_regulation(
    db, assessor, assessor_client
):
    page = _add(assessor_client, "123456", body="bps", profession="practitioner_psychologist")
    text = page.get_data(as_text=True)
    assert (
        "Your British Psychological Society (Chartered membership) membership has been added"
        in text
    )
    assert "not statutory regulation" in text
    assert "govuk-notification-banner--success" not in text
    assert _registration(assessor, "123456") is not None


def test_a_pending_check_says_so_and_refreshes_then_says_what_the_register_showed(
    db, assessor, assessor_client, make_registration
):
    registration = make_registration("hcpc", "PYL043541", assessor=assessor)
    registration.check_pending_since = datetime.now(UTC)
    db.session.commit()
    page = assessor_client.get("/assessor/registrations").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in page
    assert "We are checking the register now." in page
    registration.check_pending_since = None
    db.session.commit()
    page = assessor_client.get("/assessor/registrations").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' not in page
    assert "The register has not been checked yet." in page


def test_other_roles_cannot_reach_the_pages(db, logged_in, make_user, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    officer = logged_in(make_user(Role.OFFICER))
    assert officer.get(f"/assessor/registrations/{registration.id}/correct").status_code in (
        403,
        404,
    )
    with pytest.raises(NotFound):
        service.own_registration(registration.assessor, registration.id + 1000)


def test_a_rejected_registration_once_corrected_is_resubmitted_and_no_longer_listed(
    db, make_assessor, logged_in, make_registration
):
    from registry.models import AdmissionStatus, ItemReview, ReviewStatus
    from registry.vetting.service import resubmit

    applicant = make_assessor("Amelia", "Hart", admission_status=AdmissionStatus.SUBMITTED)
    wrong = make_registration("hcpc", "PYL043540", assessor=applicant)
    now = datetime.now(UTC)
    db.session.add(
        ItemReview(
            assessor_id=applicant.id,
            item_type="registration",
            item_id=wrong.id,
            status=ReviewStatus.REJECTED,
            message="This number is not on the HCPC register.",
            submitted_at=now,
            decided_at=now,
        )
    )
    db.session.commit()
    client = logged_in(MadeUser(user=applicant.user, password=DEMO_PASSWORD, seed=None))
    assert "This number is not on the HCPC register." in client.get("/").get_data(as_text=True)
    new = service.correct_registration(
        applicant,
        wrong.id,
        service.NewRegistration("hcpc", "PYL043541", HCPC["profession"]),
        now=now,
    )
    result = resubmit(applicant.user, now=now)
    assert result.unchanged_rejections == 0  # the replaced entry is not waiting for a change
    assert db.session.scalar(
        select(ItemReview).where(
            ItemReview.item_id == new.id, ItemReview.status == ReviewStatus.PENDING
        )
    )
    assert "This number is not on the HCPC register." not in client.get("/").get_data(as_text=True)
