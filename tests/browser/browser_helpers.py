"""Helpers for the browser journeys: accessible-page check, live users, signing in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from registry.auth import passwords, totp
from registry.extensions import db
from registry.models import AccountStatus, Organisation, OrganisationKind, Role, User
from support import DEMO_PASSWORD, MadeUser, add_complete_profile

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
ORGANISATION_OF = {
    Role.REGISTER_MANAGER: ("Regional Assessor Register", OrganisationKind.REGISTER_BODY),
    Role.OFFICER: ("Northshire County Council", OrganisationKind.LOCAL_AUTHORITY),
    Role.PANEL_MEMBER: ("Northshire County Council", OrganisationKind.LOCAL_AUTHORITY),
    Role.AUDITOR: ("Northshire County Council", OrganisationKind.LOCAL_AUTHORITY),
}


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page: no serious or critical violations.

    The script is evaluated through the DevTools protocol, so the page's CSP stays in force.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}" for v in bad]
    assert not bad, f"axe on {page.url}: " + "; ".join(summary)
    assert_fits_a_phone(page)


PHONE = {"width": 390, "height": 844}


def assert_fits_a_phone(page: Page) -> None:
    """At 390 x 844 nothing scrolls sideways and every visible button of the page's main part is
    within the screen's width. Every page checked by assert_accessible is checked so too."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"
        beyond = page.evaluate(
            """(limit) => [...document.querySelectorAll('main button, main .govuk-button')]
                .filter((b) => b.offsetParent !== null)
                .filter((b) => b.getBoundingClientRect().right > limit + 1)
                .map((b) => b.textContent.trim())""",
            PHONE["width"],
        )
        assert not beyond, f"{page.url}: buttons beyond the screen on a phone: {beyond}"
    finally:
        if desktop:
            page.set_viewport_size(desktop)


def _organisation(role: Role) -> Organisation | None:
    if role not in ORGANISATION_OF:
        return None
    name, kind = ORGANISATION_OF[role]
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name, kind=kind, created_at=datetime.now(UTC))
        db.session.add(found)
        db.session.flush()
    return found


def make_live_user(live_server, role: Role, email: str, name: str = "Journey User") -> MadeUser:
    """A committed, enrolled user in the live server's database."""
    seed = totp.new_seed()
    key = live_server.app.config["TOTP_ENCRYPTION_KEY"]

    def create() -> int:
        user = User(
            email=email,
            full_name=name,
            role=role,
            organisation=_organisation(role),
            status=AccountStatus.ACTIVE,
            password_hash=passwords.hash_password(DEMO_PASSWORD, "cheapest"),
            created_at=datetime.now(UTC),
            totp_enrolled_at=datetime.now(UTC),
        )
        db.session.add(user)
        db.session.flush()
        user.totp_secret_encrypted = totp.encrypt_seed(seed, key, user_id=user.id)
        return user.id

    user_id = live_server.seed(create)
    with live_server.app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
    return MadeUser(user=user, password=DEMO_PASSWORD, seed=seed)


def sign_in(page: Page, live_server, made: MadeUser, *, step: int = 0) -> None:
    """Sign in through the real pages: password, then a TOTP code.

    A code works once, so signing the same user in again within 30 seconds needs the next
    step's code (step=1), which the server's one-step window accepts.
    """
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(made.email)
    page.get_by_role("textbox", name="Password").fill(made.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Security code").fill(
        made.code(datetime.now(UTC) + timedelta(seconds=30 * step))
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


def ensure_organisation(live_server, role: Role) -> None:
    """Make sure the organisation a role belongs to exists in the live database."""
    live_server.seed(lambda: _organisation(role))


def seed_eligible_assessor(live_server, email: str, number: str = "PYL043541") -> MadeUser:
    """An admitted assessor (a simulator registrant) with a complete profile, verified clear."""

    from registry.models import (
        AdmissionStatus,
        Assessor,
        Registration,
    )
    from registry.verification import service as verification
    from simulator.data import seed_registrant

    registrant = seed_registrant("hcpc", number)
    made = make_live_user(
        live_server,
        Role.ASSESSOR,
        email,
        f"{registrant.legal_given_names} {registrant.legal_surname}",
    )

    def create() -> None:
        now = datetime.now(UTC)
        assessor = Assessor(
            user_id=made.id,
            legal_given_names=registrant.legal_given_names,
            legal_surname=registrant.legal_surname,
            admission_status=AdmissionStatus.ADMITTED,
            created_at=now,
            regions=["North East"],
            languages=["English"],
            availability="available",
        )
        registration = Registration(
            assessor=assessor,
            body="hcpc",
            number=number,
            profession="practitioner_psychologist",
            created_at=now,
        )
        db.session.add(registration)
        db.session.commit()
        verification.verify(registration, actor=None, now=now)
        add_complete_profile(assessor.id, now)

    live_server.seed(create)
    return made
