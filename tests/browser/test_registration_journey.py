"""Journey: an assessor adds a registration that is checked against the public register over
HTTP; a register manager sees a suspended one on the attention page with its evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from browser_helpers import assert_accessible, make_live_user, sign_in
from playwright.sync_api import Page, expect

from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, Role


def _give_profile(live_server, made, given: str, surname: str) -> None:
    def create() -> None:
        db.session.add(
            Assessor(
                user_id=made.id,
                legal_given_names=given,
                legal_surname=surname,
                admission_status=AdmissionStatus.APPLYING,
                created_at=datetime.now(UTC),
            )
        )

    live_server.seed(create)


def test_assessor_adds_a_registration_that_is_checked_at_once(page: Page, live_server) -> None:
    assessor = make_live_user(live_server, Role.ASSESSOR, "amelia.hart@example.test", "Amelia Hart")
    _give_profile(live_server, assessor, "Amelia", "Hart")
    sign_in(page, live_server, assessor)
    page.get_by_role("link", name="Registrations").first.click()
    expect(page.get_by_role("heading", name="Your registrations")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a registration").click()
    assert_accessible(page)
    page.get_by_label("Register").select_option(label="Health and Care Professions Council")
    page.get_by_label("Registration number").fill("PYL-43541")
    page.get_by_label("Profession").select_option(value="practitioner_psychologist")
    page.get_by_role("button", name="Add and check the register").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Registration number").fill("PYL43541")
    page.get_by_role("button", name="Add and check the register").click()
    expect(page.get_by_text("Registration added and checked: Clear.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Health and Care Professions Council PYL43541")
    ).to_be_visible()
    assert_accessible(page)


def test_manager_sees_a_suspended_registration_and_its_evidence(
    page: Page, live_server, register_simulator
) -> None:
    assessor = make_live_user(live_server, Role.ASSESSOR, "deborah.fox@example.test", "Deborah Fox")
    _give_profile(live_server, assessor, "Deborah", "Fox")
    sign_in(page, live_server, assessor)
    page.goto(live_server.url + "/assessor/registrations/add")
    page.get_by_label("Register").select_option(label="General Medical Council")
    page.get_by_label("Registration number").fill("7020004")
    page.get_by_label("Profession").select_option(value="psychiatrist")
    page.get_by_role("button", name="Add and check the register").click()
    expect(page.get_by_text("Not registered or suspended").first).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    manager = make_live_user(live_server, Role.REGISTER_MANAGER, "attention@example.test")
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Registrations").first.click()
    expect(page.get_by_role("heading", name="Registrations needing attention")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="General Medical Council 7020004").click()
    expect(page.get_by_text("Suspended").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check the register again now").click()
    expect(page.get_by_text("Checked: Not registered or suspended.")).to_be_visible()
