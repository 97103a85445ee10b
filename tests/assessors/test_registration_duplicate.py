"""Information item of issue 9: adding a registration number another record holds says only that
it cannot be added, and tells the register managers in the application."""

from __future__ import annotations

from sqlalchemy import select

from registry.models import AuditEvent, Notification, Registration, Role
from support import DEMO_PASSWORD, MadeUser


def test_a_number_already_held_cannot_be_added_and_nothing_says_whose_it_is(
    db, logged_in, make_assessor, make_registration, make_user
):
    manager = make_user(Role.REGISTER_MANAGER).user
    make_registration("hcpc", "PYL043541")  # held by someone else's record
    other = make_assessor("Someone", "Else")
    client = logged_in(MadeUser(user=other.user, password=DEMO_PASSWORD, seed=None))
    page = client.post(
        "/assessor/registrations/add",
        data={"body": "hcpc", "number": "PYL043541", "profession": "practitioner_psychologist"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "This registration number cannot be added" in page
    assert "contact the register managers" in page
    assert "already on the register" not in page
    assert (
        db.session.scalars(select(Registration).where(Registration.assessor_id == other.id)).all()
        == []
    )
    (notice,) = db.session.scalars(
        select(Notification).where(Notification.user_id == manager.id)
    ).all()
    assert "Someone Else" in notice.body
    assert "PYL043541" in notice.body
    assert (notice.link_endpoint, notice.link_values) == (
        "vetting.assessor_show",
        {"assessor_id": other.id},
    )
    (row,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "registration.duplicate_refused")
    ).all()
    assert (row.actor_id, row.outcome) == (other.user_id, "refused")
