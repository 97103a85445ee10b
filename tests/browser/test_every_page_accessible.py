"""Every page a role can open passes axe-core (no serious or critical violations), including
each form shown with its errors, shows no raw code (a snake_case value of the vocabulary or the
policy) in its visible text, and works on a phone: at 390 x 844 nothing scrolls sideways and every
button is within the screen's width."""

from __future__ import annotations

import pytest
from browser_helpers import assert_accessible, make_live_user, seed_eligible_assessor, sign_in
from page_codes import codes_shown
from playwright.sync_api import Page

from registry.models import Role

SECTIONS = (
    "qualifications",
    "tool-training",
    "experience",
    "referees",
    "dbs",
    "insurance",
    "cpd",
    "supervision",
)
ASSESSOR_PAGES = [
    "/",
    "/assessor/profile",
    "/assessor/identity",
    "/assessor/registrations",
    "/assessor/registrations/add",
    "/assessor/documents",
    "/assessor/profile/services",
    "/assessor/vetting",
    "/assessor/attestation",
    "/assessor/commissions",
    "/notifications",
    "/account",
    "/eligibility-policy",
    *(f"/assessor/profile/{s}" for s in SECTIONS),
    *(f"/assessor/profile/{s}/add" for s in SECTIONS),
]
MANAGER_PAGES = [
    "/",
    "/users",
    "/users?role=officer",
    "/users/invite",
    "/users/grants",
    "/verification",
    "/vetting",
    "/vetting?sort=name",
    "/vetting/expiries",
    "/vetting/expiries?within=90",
    "/vetting/reference",
    "/background-jobs/failed",
    "/audit-trail",
    "/notifications",
    "/account",
    "/account/password",
    "/account/confirm-identity",
    "/eligibility-policy",
]
SIGNED_IN_PAGES = ["/notifications", "/account", "/account/password", "/eligibility-policy"]
OFFICER_PAGES = ["/", "/commissions", "/commissions/new", *SIGNED_IN_PAGES]
PANEL_PAGES = ["/", "/commissions/panel", "/commissions", *SIGNED_IN_PAGES]
AUDITOR_PAGES = ["/", "/commissions", "/audit-trail", *SIGNED_IN_PAGES]
PUBLIC_PAGES = ["/sign-in", "/password-reset", "/assessor/apply", "/accessibility", "/privacy"]


def assert_in_words(page: Page) -> None:
    """The page's visible text names things in words, never by their codes."""
    shown = codes_shown(page.inner_text("body"))
    assert not shown, f"{page.url} shows codes: {shown}"


def _visit(page: Page, live_server, paths: list[str], *, submit_empty: bool) -> None:
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)  # and fits a phone
        assert_in_words(page)
        button = page.locator(
            "main form[method=post] button[type=submit], main form[method=post] input[type=submit]"
        )
        if (
            submit_empty
            and path.endswith(("/add", "/new", "/invite", "/identity"))
            and (button.count())
        ):
            button.last.click()
            assert_accessible(page)
            assert_in_words(page)


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (Role.REGISTER_MANAGER, MANAGER_PAGES),
        (Role.OFFICER, OFFICER_PAGES),
        (Role.PANEL_MEMBER, PANEL_PAGES),
        (Role.AUDITOR, AUDITOR_PAGES),
    ],
)
def test_staff_pages_are_accessible(page: Page, live_server, role: Role, paths) -> None:
    made = make_live_user(live_server, role, f"axe.{role.value}@example.test")
    sign_in(page, live_server, made)
    _visit(page, live_server, paths, submit_empty=True)


def test_public_pages_are_accessible(page: Page, live_server) -> None:
    page.context.clear_cookies()
    _visit(page, live_server, PUBLIC_PAGES, submit_empty=False)


def test_assessor_pages_are_accessible(page: Page, live_server) -> None:
    made = seed_eligible_assessor(live_server, "axe.assessor@example.test", "PYL000100")
    sign_in(page, live_server, made)
    _visit(page, live_server, ASSESSOR_PAGES, submit_empty=True)


def _restricted_assessor(live_server) -> tuple[int, int, int]:
    """An admitted assessor whose registration came back restricted and whose DBS certificate
    shows a disclosure with no decision: (assessor id, registration id, DBS id)."""
    seed_eligible_assessor(live_server, "phone.assessor@example.test", "PYL048210")

    def restrict() -> tuple[int, int, int]:
        from datetime import UTC, datetime

        from registry.extensions import db
        from registry.models import Assessor, CheckMethod, DbsCheck, User, VerificationCheck

        user = db.session.scalar(db.select(User).where(User.email == "phone.assessor@example.test"))
        assessor = db.session.scalar(db.select(Assessor).where(Assessor.user_id == user.id))
        registration = assessor.registrations[0]
        db.session.add(
            VerificationCheck(
                registration=registration,
                method=CheckMethod.AUTOMATIC,
                performed_by_label="Register check",
                checked_at=datetime.now(UTC),
                outcome="restricted",
                conditions="Must not undertake unsupervised risk assessments of adults.",
                source_url="https://register.invalid/very/long/address/" + "x" * 120,
                body_sha256="ab" * 32,
                adapter_version="test",
                sanction=True,
            )
        )
        dbs = db.session.scalar(db.select(DbsCheck).where(DbsCheck.assessor_id == assessor.id))
        dbs.disclosure = True
        db.session.commit()
        return assessor.id, registration.id, dbs.id

    return live_server.seed(restrict)


def test_the_managers_pages_of_one_assessor_are_accessible(page: Page, live_server) -> None:
    assessor_id, registration_id, _ = _restricted_assessor(live_server)
    made = make_live_user(live_server, Role.REGISTER_MANAGER, "axe.phone.manager@example.test")
    sign_in(page, live_server, made)
    paths = [
        f"/vetting/assessors/{assessor_id}",
        f"/verification/registrations/{registration_id}",
        f"/verification/registrations/{registration_id}/restriction-review",
        f"/users/{made.id}",
        "/verification",
    ]
    _visit(page, live_server, paths, submit_empty=False)
    # The review form and the disclosure form shown with their errors.
    page.goto(f"{live_server.url}/verification/registrations/{registration_id}/restriction-review")
    page.get_by_role("button", name="Record the review").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/vetting/assessors/{assessor_id}")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
