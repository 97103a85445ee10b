"""Journeys: a register manager signs in with TOTP and invites someone, who joins and enrols."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import sqlalchemy as sa
from browser_helpers import assert_accessible, ensure_organisation, make_live_user, sign_in
from playwright.sync_api import Page, expect

from registry.extensions import db
from registry.models import AccountStatus, Role, User
from support import body_of


def test_manager_signs_in_with_password_and_code(page: Page, live_server) -> None:
    manager = make_live_user(live_server, Role.REGISTER_MANAGER, "journey.manager@example.test")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    assert_accessible(page)
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_role("textbox", name="Password").fill(manager.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Security code").fill(manager.code())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_invited_officer_joins_and_sets_up_two_factor(page: Page, live_server, outbox) -> None:
    manager = make_live_user(live_server, Role.REGISTER_MANAGER, "inviter@example.test")
    ensure_organisation(live_server, Role.OFFICER)
    sign_in(page, live_server, manager)

    page.get_by_role("link", name="Users").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Officer")
    page.get_by_label("Email address").fill("nadia.officer@northshire.gov.uk")
    page.get_by_label("Commissioning officer").check()
    page.get_by_label("Organisation").select_option(label="Northshire County Council")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to nadia.officer@northshire.gov.uk")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    (message,) = outbox.to("nadia.officer@northshire.gov.uk")
    link = re.search(r"http://\S+/invitations/\S+", body_of(message)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Create your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="New password", exact=True).fill("password123456")
    page.get_by_role("textbox", name="Confirm new password").fill("password123456")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Password must not contain").first).to_be_visible()
    assert_accessible(page)
    passphrase = "lantern orchard velvet compass"
    page.get_by_role("textbox", name="New password", exact=True).fill(passphrase)
    page.get_by_role("textbox", name="Confirm new password").fill(passphrase)
    page.get_by_role("button", name="Save password").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Show the QR code").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert_accessible(page)
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(page.get_by_role("heading", name="Welcome, Nadia Officer")).to_be_visible()

    def status() -> AccountStatus:
        return db.session.scalar(
            sa.select(User.status).where(User.email == "nadia.officer@northshire.gov.uk")
        )

    assert live_server.seed(status) is AccountStatus.ACTIVE


def test_public_pages_are_accessible(page: Page, live_server) -> None:
    for path in ("/accessibility", "/privacy", "/password-reset", "/no-such-page"):
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_code_from_ninety_seconds_ago_is_refused(page: Page, live_server) -> None:
    officer = make_live_user(live_server, Role.OFFICER, "late.code@example.test")
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_role("textbox", name="Password").fill(officer.password)
    page.get_by_role("button", name="Sign in").click()
    stale = officer.code(datetime.now(UTC) - timedelta(seconds=90))
    page.get_by_label("Security code").fill(stale)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The security code is not correct").first).to_be_visible()
