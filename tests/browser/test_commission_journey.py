"""Journey: an officer describes a case, finds and selects an eligible assessor (asking "why
not?" for another), the assessor accepts, a panel member approves and opens the record."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from browser_helpers import assert_accessible, make_live_user, seed_eligible_assessor, sign_in
from playwright.sync_api import Page, expect

from registry.models import Role


def _raise_request(page: Page, live_server, reference: str) -> None:
    needed = datetime.now(UTC).date() + timedelta(days=42)
    page.get_by_role("link", name="Commissions").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Raise a commission request").click()
    assert_accessible(page)
    page.get_by_label("Case reference").fill(reference)
    page.get_by_label("Child protection plan").check()
    page.get_by_role("radio", name="Male", exact=True).check()
    page.get_by_role("radio", name="Adult", exact=True).check()
    page.get_by_label("Convicted", exact=True).check()
    page.get_by_label("Contact offending against a child within the family").check()
    page.get_by_label("Risk posed by an adult male who has sexually offended").check()
    page.get_by_label("Risk posed by the subject").check()
    page.get_by_label("Lives in the household").check()
    group = page.get_by_role("group", name="Date the assessment is needed by")
    group.get_by_label("Day").fill(str(needed.day))
    group.get_by_label("Month").fill(str(needed.month))
    group.get_by_label("Year").fill(str(needed.year))
    page.get_by_label("Questions for the assessor").fill("What risk does he pose to the child?")
    page.get_by_label("Names of the parties").fill("Mr A Parent\nMs B Partner")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check your answers before saving the request")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save request").click()
    expect(page.get_by_text("Commission request saved as a draft")).to_be_visible()
    assert_accessible(page)


def test_officer_selects_assessor_accepts_and_panel_approves(page: Page, live_server) -> None:
    assessor = seed_eligible_assessor(live_server, "hart.journey@example.test")
    make_live_user(live_server, Role.ASSESSOR, "nobody@example.test", "Rhys Nobody")
    officer = make_live_user(
        live_server, Role.OFFICER, "officer.journey@example.test", "Olivia Officer"
    )
    panel = make_live_user(
        live_server, Role.PANEL_MEMBER, "panel.journey@example.test", "Patrick Panel"
    )

    sign_in(page, live_server, officer)
    _raise_request(page, live_server, "NS/2026/0001")
    page.get_by_role("button", name="Find eligible assessors").click()
    expect(page.get_by_role("heading", name="Eligible assessors")).to_be_visible()
    expect(page.get_by_role("heading", name="Amelia Hart")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Assessor's name").fill("Hart")
    page.get_by_role("button", name="Why not?").click()
    expect(page.get_by_text("Amelia Hart: eligible")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Select Amelia Hart").click()
    expect(page.get_by_role("heading", name="Are you sure you want to select")).to_be_visible()
    page.get_by_role("button", name="Select and invite").click()
    expect(page.get_by_text("Assessor selected and invited")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server, assessor)
    page.get_by_role("link", name="Answer the invitation for NS/2026/0001").click()
    expect(page.get_by_text("Mr A Parent")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Yes, I accept").check()
    page.get_by_label("No, I have no conflict with any of these parties").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("The panel will now consider the request")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server, panel)
    page.get_by_role("link", name="Panel decisions").click()
    assert_accessible(page)
    page.get_by_role("link", name="NS/2026/0001").click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Yes, approve the request").click()
    expect(page.get_by_text("Request approved")).to_be_visible()
    page.get_by_role("link", name="Open the decision record").click()
    expect(page.get_by_text("This record is intact")).to_be_visible()
    assert_accessible(page)


def test_a_suspension_after_selection_blocks_approval_with_the_reason(
    page: Page, live_server, register_simulator
) -> None:
    from registry.commissions import requests, selection
    from registry.extensions import db
    from registry.models import User

    assessor = seed_eligible_assessor(live_server, "hart.two@example.test", "PYL31200")
    officer = make_live_user(live_server, Role.OFFICER, "officer.two@example.test")
    panel = make_live_user(live_server, Role.PANEL_MEMBER, "panel.two@example.test")

    def prepare() -> int:
        from commission_support_browser import case

        now = datetime.now(UTC)
        raiser = db.session.get(User, officer.id)
        commission = requests.raise_request(raiser, case("NS/2026/0002"), now=now)
        requests.start_search(raiser, commission, now=now)
        chosen = db.session.get(User, assessor.id)
        selection.select_assessor(raiser, commission, _assessor_id(chosen), now=now)
        selection.respond(
            chosen,
            commission,
            selection.Answer(True, "", False, False, False, False, "", no_conflict=True),
            now=now,
        )
        return commission.id

    commission_id = live_server.seed(prepare)
    register_simulator.app.set_status("hcpc", "PYL31200", "Suspended")

    def recheck() -> None:
        from registry.models import Registration
        from registry.verification import service as verification

        registration = db.session.scalar(
            db.select(Registration).where(Registration.number == "PYL31200")
        )
        verification.verify(registration, actor=None, now=datetime.now(UTC))

    live_server.seed(recheck)
    sign_in(page, live_server, panel)
    page.goto(f"{live_server.url}/commissions/{commission_id}")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Yes, approve the request").click()
    expect(page.get_by_text("not eligible")).to_be_visible()
    expect(page.get_by_text(re.compile("Suspended"))).to_be_visible()


def _assessor_id(user) -> int:
    from registry.extensions import db
    from registry.models import Assessor

    return db.session.scalar(db.select(Assessor.id).where(Assessor.user_id == user.id))
