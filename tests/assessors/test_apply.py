"""Applying to join: a public page, an emailed link, then password and TOTP as for everyone."""

import re

from sqlalchemy import select

from registry.extensions import db
from registry.models import AccountStatus, AuditEvent, Role, User
from support import body_of


def test_an_assessor_applies_and_confirms_the_email_address(client, outbox):
    response = client.post(
        "/assessor/apply", data={"full_name": "Priya Shah", "email": "priya.shah@nhs.net"}
    )
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "priya.shah@nhs.net"))
    assert user.role is Role.ASSESSOR
    assert user.status is AccountStatus.INVITED
    (message,) = outbox.to("priya.shah@nhs.net")
    link = re.search(r"/invitations/\S+", body_of(message)).group(0)
    page = client.get(link)
    assert page.status_code == 200
    assert "Create your password" in page.get_data(as_text=True)
    done = client.post(
        link, data={"password": "quiet harbour lantern", "confirm": "quiet harbour lantern"}
    )
    assert done.headers["Location"].endswith("/account/two-factor")


def test_auth06_applying_with_a_known_address_gives_the_same_answer(client, make_user, outbox):
    known = make_user(Role.OFFICER, email="known@northshire.gov.uk")
    new = client.post(
        "/assessor/apply", data={"full_name": "A", "email": "unknown@northshire.gov.uk"}
    )
    old = client.post("/assessor/apply", data={"full_name": "A", "email": known.email})
    assert new.status_code == old.status_code == 200
    assert new.get_data(as_text=True).replace("unknown@", "known@") == old.get_data(as_text=True)
    (notice,) = outbox.to(known.email)
    assert notice["Subject"] == "You already have an account"
    assert db.session.scalar(select(User).where(User.email == known.email)).role is Role.OFFICER


def test_apply_keeps_what_was_typed_on_a_bad_address(client):
    page = client.post("/assessor/apply", data={"full_name": "Priya Shah", "email": "not-an"})
    text = page.get_data(as_text=True)
    assert "Enter an email address in the correct format" in text
    assert 'value="Priya Shah"' in text
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessor.applied")) is None
    )
