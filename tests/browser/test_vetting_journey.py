"""Journey: an assessor applies and submits; a manager rejects an item with a message; the
assessor fixes it; two register managers admit."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from browser_helpers import assert_accessible, make_live_user, sign_in
from playwright.sync_api import Page, expect

from registry.extensions import db
from registry.models import (
    Assessor,
    DbsCheck,
    DbsLevel,
    Role,
)
from support import body_of, complete_profile


def _apply_and_enrol(page: Page, live_server, outbox) -> None:
    page.goto(live_server.url + "/sign-in")
    page.get_by_role("link", name="apply to join the register").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Quinn")
    page.get_by_label("Email address").fill("nadia.quinn@psychology.org.uk")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    (message,) = outbox.to("nadia.quinn@psychology.org.uk")
    page.goto(re.search(r"http://\S+/invitations/\S+", body_of(message)).group(0))
    passphrase = "orchard lantern velvet harbour"
    page.get_by_role("textbox", name="New password", exact=True).fill(passphrase)
    page.get_by_role("textbox", name="Confirm new password").fill(passphrase)
    page.get_by_role("button", name="Save password").click()
    page.get_by_role("button", name="Show the QR code").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()


def _seed_rest_of_profile(live_server) -> None:
    def seed() -> None:
        assessor = db.session.scalar(db.select(Assessor).where(Assessor.legal_surname == "Quinn"))
        now = datetime.now(UTC)
        items = complete_profile(assessor.id, now, attested=False)
        # A standard DBS check, which the manager will reject: the assessor must upgrade it.
        for item in items:
            if isinstance(item, DbsCheck):
                item.level = DbsLevel.STANDARD
        db.session.add_all(items)

    live_server.seed(seed)


def _decide_all(page: Page, reject: str | None = None, message: str = "") -> None:
    forms = page.locator("form", has=page.get_by_role("button", name="Save decision"))
    while forms.count():
        card = forms.first.locator("xpath=ancestor::div[contains(@class,'govuk-summary-card')]")
        title = card.locator(".govuk-summary-card__title").inner_text()
        if reject and reject in title:
            forms.first.get_by_label("Reject", exact=True).check()
            forms.first.get_by_label(re.compile("Message to the assessor")).fill(message)
        else:
            forms.first.get_by_label("Accept", exact=True).check()
        forms.first.get_by_role("button", name="Save decision").click()
        expect(page.get_by_role("heading", name="Nadia Quinn", exact=True)).to_be_visible()
        if reject and reject in title:
            reject = None


def test_assessor_applies_is_rejected_then_fixed_and_two_managers_admit(
    page: Page, live_server, outbox, register_simulator
) -> None:
    # A registrant of her own on the simulator, so no other journey shares the number.
    register_simulator.app.set_status("hcpc", "PYL077777", "Registered", name="Nadia Quinn")
    _apply_and_enrol(page, live_server, outbox)
    page.get_by_role("link", name="Start your profile").click()
    page.get_by_label("Given names").fill("Nadia")
    page.get_by_label("Surname").fill("Quinn")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Add a registration").click()
    page.get_by_label("Register").select_option(label="Health and Care Professions Council")
    page.get_by_label("Registration number").fill("PYL077777")
    page.get_by_label("Profession").select_option(value="practitioner_psychologist")
    page.get_by_role("button", name="Add and check the register").click()
    expect(page.get_by_text("Registration added and checked: Clear.")).to_be_visible()
    _seed_rest_of_profile(live_server)
    page.goto(live_server.url + "/assessor/profile")
    assert_accessible(page)
    page.goto(live_server.url + "/assessor/vetting")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for vetting").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    first = make_live_user(live_server, Role.REGISTER_MANAGER, "vet1@example.test", "Rosa One")
    sign_in(page, live_server, first)
    page.get_by_role("link", name="Vetting").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Nadia Quinn").click()
    assert_accessible(page)
    _decide_all(
        page,
        reject="DBS",
        message="A standard check is not enough: upload an enhanced DBS certificate",
    )
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(live_server.url + "/sign-in")
    # The assessor sees the message, changes the DBS item and resubmits.
    applicant = _applicant(live_server)
    sign_in(page, live_server, applicant, step=1)
    page.goto(live_server.url + "/assessor/vetting")
    expect(page.get_by_text("upload an enhanced DBS certificate")).to_be_visible()
    page.goto(live_server.url + "/assessor/profile/dbs")
    page.get_by_role("link", name=re.compile("Change")).first.click()
    page.get_by_label("Enhanced with barred list check").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    page.goto(live_server.url + "/assessor/vetting")
    page.get_by_role("button", name="Resubmit changed items").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server, first, step=1)
    page.goto(live_server.url + "/vetting")
    page.get_by_role("link", name="Nadia Quinn").click()
    _decide_all(page)
    page.get_by_role("link", name="Propose admission").click()
    page.get_by_label(re.compile("Reason")).fill("Every item checked")
    page.get_by_role("button", name=re.compile("Continue|Propose")).click()
    expect(page.get_by_text("A second register manager must confirm.")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    second = make_live_user(live_server, Role.REGISTER_MANAGER, "vet2@example.test", "Idris Two")
    sign_in(page, live_server, second)
    # Nothing is left to review, so the queue no longer lists her: the second manager's home
    # page lists the admission waiting for them.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Nadia Quinn")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm admission").click()
    expect(page.get_by_text(re.compile("Admitted", re.IGNORECASE)).first).to_be_visible()


def _applicant(live_server):
    """The applicant as a MadeUser whose TOTP seed is read back for the sign-in helper."""
    from registry.auth import totp
    from registry.models import User
    from support import MadeUser

    def read() -> tuple[User, str]:
        user = db.session.scalar(db.select(User).where(User.email.like("nadia.quinn@%")))
        seed = totp.decrypt_seed(
            user.totp_secret_encrypted,
            live_server.app.config["TOTP_ENCRYPTION_KEY"],
            user_id=user.id,
        )
        db.session.expunge(user)
        return user, seed

    with live_server.app.app_context():
        user, seed = read()
    return MadeUser(user=user, password="orchard lantern velvet harbour", seed=seed)
