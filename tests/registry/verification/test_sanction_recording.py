"""Whether a check showed a sanction or a lapse is kept on the check and reaches the gate's facts.

Automatic checks run against the simulator over real HTTP; manual checks go through the form.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from registry.eligibility import Outcome
from registry.extensions import db
from registry.models import AuditEvent, CheckMethod, Role, VerificationCheck
from registry.verification import service

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TREATED_AS_ONE = "the register does not say whether this was a sanction, so it is treated as one"


@pytest.mark.parametrize(
    ("body", "number", "outcome", "sanction"),
    [
        ("hcpc", "PYL20003", "blocked", True),  # suspended
        ("hcpc", "PYL20002", "restricted", True),  # conditions of practice
        ("hcpc", "PYL20005", "blocked", False),  # lapsed
        ("hcpc", "PYL043541", "clear", False),
        ("swe", "SW2016", "blocked", False),  # voluntarily removed
        ("swe", "SW2004", "blocked", True),  # "Removed": uncertain
        ("gmc", "7020005", "blocked", True),  # erased
        ("gmc", "7020001", "restricted", True),  # conditions
        ("gmc", "7020018", "blocked", False),  # voluntary erasure
        ("nmc", "12B0003E", "blocked", True),  # suspended
        ("nmc", "12B0004E", "blocked", False),  # lapsed
        ("nmc", "12B0005E", "blocked", True),  # "Removed": uncertain
    ],
)
def test_an_automatic_check_keeps_whether_it_was_a_sanction(
    registers_app, make_registration, body, number, outcome, sanction
):
    registration = make_registration(body, number)
    now = datetime.now(UTC)
    check = service.verify(registration, actor=None, now=now).check
    db.session.expire_all()
    stored = db.session.get(VerificationCheck, check.id)
    assert (stored.outcome, stored.sanction) == (outcome, sanction), stored.detail
    (fact,) = service.registration_facts(registration.assessor, now=now)
    assert (fact.outcome, fact.sanction) == (outcome, sanction)


def test_uncertain_wording_is_recorded_as_a_sanction_with_the_reason(
    registers_app, make_registration
):
    registration = make_registration("hcpc", "PYL20017")
    check = service.verify(registration, actor=None, now=datetime.now(UTC)).check
    assert check.sanction is True
    assert check.detail == f"The register shows the status “Removed”; {TREATED_AS_ONE}."


def test_a_suspension_noticed_later_becomes_a_sanction_fact(
    registers_app, register_simulator, make_registration
):
    registration = make_registration("swe", "SW123")
    now = datetime.now(UTC)
    service.verify(registration, actor=None, now=now)
    assert not service.registration_facts(registration.assessor, now=now)[0].sanction
    register_simulator.app.set_status("swe", "SW123", "Suspended")
    later = now + timedelta(minutes=1)
    service.verify(registration, actor=None, now=later)
    (fact,) = service.registration_facts(registration.assessor, now=later)
    assert (fact.outcome, fact.sanction) == (Outcome.BLOCKED, True)


def _old_check(registration, outcome: str, at: datetime) -> VerificationCheck:
    """A check as recorded before sanctions were kept: sanction is None."""
    check = VerificationCheck(
        registration=registration,
        method=CheckMethod.AUTOMATIC,
        performed_by_label="Scheduled check (verify-due)",
        checked_at=at,
        outcome=outcome,
        status_text="Lapsed" if outcome == "blocked" else "Registered",
        detail="",
        entries=[],
        source_url="https://www.hcpc-uk.org/check-the-register/",
        adapter_version="hcpc-1",
    )
    db.session.add(check)
    db.session.commit()
    assert check.sanction is None
    return check


@pytest.mark.parametrize(
    ("outcome", "sanction"),
    [("blocked", True), ("restricted", True), ("clear", False), ("not_found", False)],
)
def test_a_check_recorded_before_sanctions_were_kept_fails_closed(
    registers_app, make_registration, outcome, sanction
):
    registration = make_registration("hcpc", "PYL043541")
    now = datetime.now(UTC)
    check = _old_check(registration, outcome, now)
    (fact,) = service.registration_facts(registration.assessor, now=now)
    assert fact.evidence_id == check.id
    assert fact.sanction is sanction


def test_shows_sanction_reads_the_check_first():
    def check(outcome, sanction):
        return VerificationCheck(outcome=outcome, sanction=sanction)

    assert service.shows_sanction(None) is False
    assert service.shows_sanction(check("blocked", False)) is False
    assert service.shows_sanction(check("blocked", True)) is True
    assert service.shows_sanction(check("blocked", None)) is True
    assert service.shows_sanction(check("name_mismatch", None)) is False


# Manual checks.


@pytest.fixture
def sssc_registration(make_assessor, make_registration):
    assessor = make_assessor("Morag", "Campbell")
    return make_registration("sssc", "SC123456", assessor=assessor, profession="social_worker")


def post_manual(client, registration, **fields):
    data = {
        "outcome": "blocked",
        "status_text": "Removed",
        "source_url": "https://www.sssc.uk.com/the-register/",
        "notes": "Checked by hand",
        "capture": (io.BytesIO(PNG), "capture.png"),
        **fields,
    }
    return client.post(
        f"/verification/registrations/{registration.id}/manual-check",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_the_manual_check_form_asks_sanction_or_lapse(logged_in, sssc_registration):
    page = (
        logged_in(Role.REGISTER_MANAGER)
        .get(f"/verification/registrations/{sssc_registration.id}/manual-check")
        .get_data(as_text=True)
    )
    assert "Is this a sanction (suspension, conditions, striking-off…)" in page
    assert "A lapse without a sanction (voluntary removal, not renewed)" in page
    assert "I cannot tell" in page
    assert 'name="sanction"' in page


@pytest.mark.slow
@pytest.mark.parametrize(
    ("outcome", "answer", "sanction"),
    [
        ("blocked", "sanction", True),
        ("blocked", "lapse", False),
        ("blocked", "unknown", True),
        ("restricted", "sanction", True),
        ("restricted", "unknown", True),
        ("clear", None, False),
        ("not_found", None, False),
        ("clear", "sanction", False),
    ],
)
def test_a_manual_check_records_the_manager_answer(
    logged_in, sssc_registration, outcome, answer, sanction
):
    fields = {"outcome": outcome} | ({"sanction": answer} if answer else {})
    response = post_manual(logged_in(Role.REGISTER_MANAGER), sssc_registration, **fields)
    assert "Manual check recorded." in response.get_data(as_text=True)
    check = db.session.scalar(select(VerificationCheck))
    assert (check.outcome, check.sanction) == (outcome, sanction)
    cannot_tell = "could not tell whether this was a sanction, so it is treated as one"
    assert (cannot_tell in check.detail) is (answer == "unknown" and sanction)
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "registration.manual_check")
    )
    assert audit is not None
    (fact,) = service.registration_facts(sssc_registration.assessor, now=datetime.now(UTC))
    assert fact.sanction is sanction


@pytest.mark.parametrize("outcome", ["blocked", "restricted"])
def test_a_blocked_or_restricted_manual_check_needs_the_answer(
    logged_in, sssc_registration, outcome
):
    response = post_manual(logged_in(Role.REGISTER_MANAGER), sssc_registration, outcome=outcome)
    page = response.get_data(as_text=True)
    assert "Select whether this is a sanction or a lapse without a sanction" in page
    assert db.session.scalar(select(VerificationCheck)) is None


def test_a_restriction_cannot_be_recorded_as_a_lapse(logged_in, sssc_registration):
    response = post_manual(
        logged_in(Role.REGISTER_MANAGER), sssc_registration, outcome="restricted", sanction="lapse"
    )
    assert "Conditions, a caution or undertakings are a sanction" in response.get_data(as_text=True)
    assert db.session.scalar(select(VerificationCheck)) is None


def test_an_unknown_answer_is_refused(logged_in, sssc_registration):
    response = post_manual(logged_in(Role.REGISTER_MANAGER), sssc_registration, sanction="maybe")
    assert "Manual check recorded." not in response.get_data(as_text=True)
    assert db.session.scalar(select(VerificationCheck)) is None
