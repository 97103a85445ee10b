"""Adding a registration checks it at once; managers see the evidence, re-check, record manual
checks."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, Registration, Role, VerificationCheck

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def assessor_client(logged_in, make_assessor, given="Amelia", surname="Hart"):
    assessor = make_assessor(given, surname)
    client = logged_in(_made(assessor))
    return client, assessor


def _made(assessor):
    from support import DEMO_PASSWORD, MadeUser

    return MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)


def add(client, body="hcpc", number="PYL043541", profession="practitioner_psychologist"):
    return client.post(
        "/assessor/registrations/add",
        data={"body": body, "number": number, "profession": profession},
        follow_redirects=True,
    )


def test_adding_a_registration_checks_the_public_register_at_once(logged_in, make_assessor):
    client, assessor = assessor_client(logged_in, make_assessor)
    page = add(client).get_data(as_text=True)
    assert "Registration added and checked: Clear." in page
    registration = db.session.scalar(select(Registration).where(Registration.assessor == assessor))
    (check,) = db.session.scalars(select(VerificationCheck)).all()
    assert check.registration_id == registration.id
    assert check.performed_by_id == assessor.user_id


def test_reg01_an_invalid_number_is_a_form_error_and_no_request_is_made(
    logged_in, make_assessor, register_simulator
):
    client, _ = assessor_client(logged_in, make_assessor)
    for number in ("../admin", "1?x=", "PYL-1"):
        response = add(client, number=number)
        assert response.status_code == 200
        assert "Enter an HCPC registration number in the correct format" in response.get_data(
            as_text=True
        )
    assert sum(register_simulator.app.request_counts().values()) == 0
    assert db.session.scalar(select(Registration)) is None


def test_a_registration_already_on_the_register_is_refused_with_a_message(
    logged_in, make_assessor, make_registration
):
    make_registration("hcpc", "PYL043541")
    client, _ = assessor_client(logged_in, make_assessor, "Someone", "Else")
    page = add(client, number="PYL043541").get_data(as_text=True)
    assert "This registration number cannot be added" in page
    assert 'value="PYL043541"' in page


@pytest.mark.slow
def test_reg08_a_slow_register_leaves_the_check_pending_never_success(
    make_app, register_simulator, make_assessor
):
    """Issue 13: an unreadable register is tried again within minutes; the page says pending."""
    from support import simulator_settings

    app = make_app(**simulator_settings(register_simulator))
    with app.app_context():
        client, _ = assessor_client(_Logged(app), make_assessor, "Rhys", "Morgan")
        page = add(client, number="PYL20013").get_data(as_text=True)
        assert "Checking the public register" in page
        assert "Success" not in page
        assert '<meta http-equiv="refresh"' in page
        db.session.expire_all()
        (check,) = db.session.scalars(select(VerificationCheck)).all()
        assert check.outcome == "unreadable"
        assert "did not answer in time" in check.detail
        assert check.registration.check_pending_since is not None
        assert check.registration.check_attempts == 1


class _Logged:
    """Sign a client of a given app in, like the logged_in fixture does for the default app."""

    def __init__(self, app):
        self.app = app

    def __call__(self, made):
        from datetime import UTC, datetime

        client = self.app.test_client()
        now = datetime.now(UTC).timestamp()
        with client.session_transaction() as session:
            session.update(_user_id=made.user.get_id(), auth_at=now, seen_at=now, mfa_at=now)
        return client


def test_managers_see_registrations_that_are_not_clear(logged_in, make_registration):
    from datetime import UTC, datetime

    from registry.verification import service

    registration = make_registration("gmc", "7020004")
    service.verify(registration, actor=None, now=datetime.now(UTC))
    page = logged_in(Role.REGISTER_MANAGER).get("/verification").get_data(as_text=True)
    assert "Deborah Fox" in page
    assert "Not registered or suspended" in page


def test_other_roles_cannot_see_the_verification_pages(logged_in):
    for role in (Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, Role.ASSESSOR):
        assert logged_in(role).get("/verification").status_code == 403


def test_a_manager_can_check_a_registration_again(logged_in, make_registration):
    registration = make_registration("swe", "SW123")
    client = logged_in(Role.REGISTER_MANAGER)
    response = client.post(
        f"/verification/registrations/{registration.id}/recheck", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Checked: Clear." in page
    assert "On request by" in page
    assert "SHA-256 of the page" in page


def test_a_manual_check_is_recorded_with_its_capture_and_labelled_manual(
    logged_in, make_assessor, make_registration
):
    assessor = make_assessor("Morag", "Campbell")
    registration = make_registration(
        "sssc", "SC123456", assessor=assessor, profession="social_worker"
    )
    client = logged_in(Role.REGISTER_MANAGER)
    response = client.post(
        f"/verification/registrations/{registration.id}/manual-check",
        data={
            "outcome": "clear",
            "status_text": "Registered",
            "source_url": "https://www.sssc.uk.com/the-register/",
            "notes": "Checked by hand",
            "capture": (io.BytesIO(PNG), "capture.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Manual check recorded." in page
    assert "(manual check)" in page
    check = db.session.scalar(select(VerificationCheck))
    assert check.is_manual
    assert len(check.capture_sha256) == 64
    download = client.get(f"/verification/checks/{check.id}/capture")
    assert download.data == PNG
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "evidence.capture_downloaded")
    )


def test_a_capture_that_is_not_a_pdf_or_image_is_refused(
    logged_in, make_assessor, make_registration
):
    assessor = make_assessor("Morag", "Campbell")
    registration = make_registration(
        "sssc", "SC123456", assessor=assessor, profession="social_worker"
    )
    response = logged_in(Role.REGISTER_MANAGER).post(
        f"/verification/registrations/{registration.id}/manual-check",
        data={
            "outcome": "clear",
            "status_text": "Registered",
            "source_url": "https://www.sssc.uk.com/the-register/",
            "capture": (io.BytesIO(b"<html><script>alert(1)</script>"), "capture.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "must be a PDF, PNG or JPEG" in response.get_data(as_text=True)
    assert db.session.scalar(select(VerificationCheck)) is None


def test_automatic_registers_have_no_manual_check_form(logged_in, make_registration):
    registration = make_registration("hcpc", "PYL043541")
    response = logged_in(Role.REGISTER_MANAGER).get(
        f"/verification/registrations/{registration.id}/manual-check"
    )
    assert response.status_code == 404


def test_a_lapse_notification_is_shown_in_the_application_until_read(
    logged_in, make_user, make_registration, register_simulator
):
    from datetime import UTC, datetime, timedelta

    from registry.verification import service

    manager = make_user(Role.REGISTER_MANAGER)
    registration = make_registration("hcpc", "PYL043541")
    now = datetime.now(UTC)
    service.verify(registration, actor=None, now=now)
    register_simulator.app.set_status("hcpc", "PYL043541", "Suspended")
    service.verify(registration, actor=None, now=now + timedelta(minutes=1))

    client = logged_in(manager)
    home = client.get("/").get_data(as_text=True)
    assert "Notifications (1)" in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "Registration no longer clear: HCPC PYL043541" in page
    client.post("/notifications/read")
    assert "Notifications (1)" not in client.get("/").get_data(as_text=True)
