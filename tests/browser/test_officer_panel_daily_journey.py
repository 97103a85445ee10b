"""Journey at a phone's width: an officer's search finds nobody and says why, the case is
changed, "why not?" is asked through the suggestions, two assessors are shortlisted and one is
selected after a confirmation; the panel's rejection without a reason is refused with an error,
and an approval goes through its confirmation. Every page passes axe-core and none scrolls
sideways at 390 px."""

from __future__ import annotations

from browser_helpers import assert_accessible, make_live_user, seed_eligible_assessor, sign_in
from playwright.sync_api import Page, expect

from registry.models import Role

SHOTS = "screenshots"


def check(page: Page, name: str | None = None) -> None:
    """axe-core finds nothing, and the page does not scroll sideways at 390 px."""
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"
    if name:
        from pathlib import Path

        folder = Path(__file__).resolve().parents[2] / "instance" / SHOTS
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_officer_search_explained_why_not_shortlist_select_then_panel(
    page: Page, live_server
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    hart = seed_eligible_assessor(live_server, "hart.daily@example.test")
    byrne = seed_eligible_assessor(live_server, "byrne.daily@example.test", "PYL31200")
    officer = make_live_user(live_server, Role.OFFICER, "officer.daily@example.test", "Olu Officer")
    panel = make_live_user(live_server, Role.PANEL_MEMBER, "panel.daily@example.test", "Pia Panel")

    sign_in(page, live_server, officer)
    check(page, "officer-home")
    page.get_by_role("link", name="Raise a commission request").click()
    check(page)
    page.get_by_label("Case reference").fill("NS/2026/0101")
    page.get_by_label("Child protection plan").check()
    page.get_by_role("radio", name="Male", exact=True).check()
    page.get_by_role("radio", name="Adult", exact=True).check()
    page.get_by_label("Convicted", exact=True).check()
    page.get_by_label("Contact offending against a child outside the family").check()
    page.get_by_label("Risk posed by an adult male who has sexually offended").check()
    page.get_by_label("Risk posed by the subject").check()
    page.get_by_label("Lives in the household").check()
    from datetime import UTC, datetime, timedelta

    needed = datetime.now(UTC).date() + timedelta(days=42)
    group = page.get_by_role("group", name="Date the assessment is needed by")
    group.get_by_label("Day").fill(str(needed.day))
    group.get_by_label("Month").fill(str(needed.month))
    group.get_by_label("Year").fill(str(needed.year))
    page.get_by_label("Questions for the assessor").fill("Is he a risk?\nTo whom?")
    page.get_by_label("Names of the parties").fill("Mr A Parent")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    check(page, "check-answers")
    page.get_by_role("button", name="Change questions").click()
    expect(page.get_by_label("Questions for the assessor")).to_have_value("Is he a risk?\nTo whom?")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Save request").click()
    expect(page.get_by_text("Commission request saved as a draft")).to_be_visible()
    check(page)

    # Nobody has experience of offending outside the family: the page says why, in counts.
    page.get_by_role("button", name="Find eligible assessors").click()
    expect(page.get_by_role("heading", name="Why nobody is eligible for this case")).to_be_visible()
    expect(page.get_by_text("2 have fewer than")).to_be_visible()
    expect(page.get_by_text("Amelia Hart")).to_have_count(0)
    check(page, "search-explained")

    # "Why not?" through the suggestions: choosing one asks about them on a page of its own.
    page.get_by_label("Assessor's name or registration number").press_sequentially("Har")
    page.get_by_role("link", name="Amelia Hart (PYL043541)").click()
    expect(page.get_by_text("Amelia Hart: not eligible")).to_be_visible()
    assert "Hart" not in page.url
    check(page, "why-not")
    page.go_back()
    expect(page.get_by_role("heading", name="Eligible assessors")).to_be_visible()

    # The case answers the officer could check: the offence categories.
    page.get_by_role("link", name="The offence categories").click()
    page.get_by_label("Contact offending against a child outside the family").uncheck()
    page.get_by_label("Contact offending against a child within the family").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("link", name="Find eligible assessors").click()
    expect(page.get_by_role("heading", name="Amelia Hart")).to_be_visible()
    page.get_by_role("button", name="Shortlist Amelia Hart").click()
    expect(page.get_by_text("Added to the shortlist")).to_be_visible()
    expect(page.get_by_role("heading", name="Eligible assessors")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Shortlist Siobhan").click()
    expect(page.get_by_text("Added to the shortlist")).to_be_visible()
    page.get_by_role("link", name="Your shortlist (2)").click()
    check(page)
    page.get_by_role("button", name="Select Amelia Hart").click()
    expect(page.get_by_role("heading", name="Are you sure you want to select")).to_be_visible()
    expect(page.get_by_text("declare any conflict of interest")).to_be_visible()
    check(page, "select-confirm")
    page.get_by_role("button", name="Select and invite").click()
    expect(page.get_by_text("Assessor selected and invited")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server, hart)
    page.get_by_role("link", name="Answer the invitation for NS/2026/0101").click()
    page.get_by_label("Yes, I accept").check()
    page.get_by_label("No, I have no conflict with any of these parties").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("The panel will now consider the request")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server, panel)
    expect(page.get_by_text("Asked by Olu Officer")).to_be_visible()
    check(page, "panel-home")
    page.get_by_role("link", name="NS/2026/0101").click()
    expect(page.get_by_role("heading", name="Why this assessor is eligible now")).to_be_visible()
    check(page, "panel-decision")
    page.get_by_label("Reject").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for rejecting the request"
    )
    check(page, "panel-reject-error")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Are you sure you want to approve")).to_be_visible()
    check(page, "panel-approve-confirm")
    page.get_by_role("button", name="Yes, approve the request").click()
    expect(page.get_by_text("Request approved")).to_be_visible()
    check(page)
    assert byrne  # shortlisted, not selected
