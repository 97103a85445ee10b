"""Journey (issue 12): an assessor corrects a mistyped registration and withdraws another, sees
the task list's count, and is refused submission with the empty sections named. Every page passes
axe-core, and none scrolls sideways on a 390 px wide phone."""

from __future__ import annotations

from datetime import UTC, datetime

from browser_helpers import assert_accessible, make_live_user, sign_in
from playwright.sync_api import Page, expect

from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, Role

PHONE = {"width": 390, "height": 844}


def _check(page: Page) -> None:
    """axe-core, and nothing wider than the phone's screen."""
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def _add(page: Page, register: str, number: str, profession: str) -> None:
    page.get_by_label("Register").select_option(label=register)
    page.get_by_label("Registration number").fill(number)
    page.get_by_label("Profession").select_option(value=profession)


def test_assessor_corrects_and_withdraws_registrations_and_is_refused_submission(
    page: Page, live_server
) -> None:
    made = make_live_user(live_server, Role.ASSESSOR, "amelia.journey@example.test", "Amelia Hart")

    def create() -> None:
        db.session.add(
            Assessor(
                user_id=made.id,
                legal_given_names="Amelia",
                legal_surname="Hart",
                admission_status=AdmissionStatus.APPLYING,
                created_at=datetime.now(UTC),
            )
        )

    live_server.seed(create)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, made)
    expect(page.get_by_text("You have completed 1 of 12 sections.")).to_be_visible()
    _check(page)

    page.goto(live_server.url + "/assessor/profile")
    expect(page.get_by_text("You have completed 1 of 12 sections.")).to_be_visible()
    _check(page)

    # A mistyped number: the register has no entry for it, and the page says what to do.
    page.goto(live_server.url + "/assessor/registrations/add")
    _check(page)
    _add(page, "Health and Care Professions Council", "PYL043540", "practitioner_psychologist")
    page.get_by_role("button", name="Add and check the register").click()
    expect(
        page.get_by_text("The register has no entry for the number you gave.").first
    ).to_be_visible()
    _check(page)

    page.get_by_role("link", name="Correct Health and Care Professions Council PYL043540").click()
    expect(page.get_by_role("heading", name="Correct a registration")).to_be_visible()
    _check(page)
    page.get_by_label("Registration number").fill("PYL043541")
    page.get_by_role("button", name="Save the corrected registration").click()
    expect(page.get_by_text("Registration corrected and checked: Clear.")).to_be_visible()
    expect(
        page.get_by_text("PYL043540: replaced by Health and Care Professions Council PYL043541")
    ).to_be_visible()
    _check(page)

    # A second registration, then withdrawn: kept on record, no longer counting.
    page.goto(live_server.url + "/assessor/registrations/add")
    _add(
        page,
        "British Psychological Society (Chartered membership)",
        "123456",
        "practitioner_psychologist",
    )
    page.get_by_role("button", name="Add and check the register").click()
    expect(page.get_by_text("It is a membership, not statutory regulation").first).to_be_visible()
    _check(page)
    page.get_by_role(
        "link", name="Withdraw British Psychological Society (Chartered membership) 123456"
    ).click()
    expect(
        page.get_by_role(
            "heading", name="Withdraw British Psychological Society (Chartered membership) 123456?"
        )
    ).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Withdraw this registration").click()
    expect(page.get_by_text("123456: withdrawn on")).to_be_visible()
    _check(page)

    # Two of twelve now: the name and a registration that counts.
    page.goto(live_server.url + "/assessor/profile")
    expect(page.get_by_text("You have completed 2 of 12 sections.")).to_be_visible()
    page.get_by_role("button", name="Submit for vetting").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    for section in (
        "Experience",
        "DBS certificate",
        "Professional indemnity insurance",
        "Supervision",
    ):
        expect(summary.get_by_role("link", name=section)).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    _check(page)

    page.goto(live_server.url + "/assessor/attestation")
    page.get_by_label("Your full name").fill("Amelia Hart")
    page.get_by_role("button", name="I confirm my profile is accurate").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page)

    for path in ("/assessor/vetting", "/assessor/commissions", "/assessor/documents", "/"):
        page.goto(live_server.url + path)
        _check(page)
