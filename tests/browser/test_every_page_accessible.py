"""Every page a role can open passes axe-core (no serious or critical violations), including
each form shown with its errors, and shows no raw code (a snake_case value of the vocabulary or
the policy) in its visible text."""

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
    "/notifications",
    "/account",
    "/eligibility-policy",
    *(f"/assessor/profile/{s}" for s in SECTIONS),
    *(f"/assessor/profile/{s}/add" for s in SECTIONS),
]
MANAGER_PAGES = [
    "/",
    "/users",
    "/users/invite",
    "/verification",
    "/vetting",
    "/vetting/expiries",
    "/vetting/reference",
    "/account/password",
    "/account/confirm-identity",
]
OFFICER_PAGES = ["/", "/commissions", "/commissions/new"]
PANEL_PAGES = ["/", "/commissions/panel", "/commissions"]


def assert_in_words(page: Page) -> None:
    """The page's visible text names things in words, never by their codes."""
    shown = codes_shown(page.inner_text("body"))
    assert not shown, f"{page.url} shows codes: {shown}"


def _visit(page: Page, live_server, paths: list[str], *, submit_empty: bool) -> None:
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
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
        (Role.AUDITOR, ["/", "/commissions", "/eligibility-policy"]),
    ],
)
def test_staff_pages_are_accessible(page: Page, live_server, role: Role, paths) -> None:
    made = make_live_user(live_server, role, f"axe.{role.value}@example.test")
    sign_in(page, live_server, made)
    _visit(page, live_server, paths, submit_empty=True)


def test_assessor_pages_are_accessible(page: Page, live_server) -> None:
    made = seed_eligible_assessor(live_server, "axe.assessor@example.test", "PYL000100")
    sign_in(page, live_server, made)
    _visit(page, live_server, ASSESSOR_PAGES, submit_empty=True)
