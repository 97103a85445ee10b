"""The one notification path: staged in the unit of work, emailed after its commit (never
before, never after a rollback), with links resolved from an endpoint when shown."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from registry import notifications
from registry.extensions import db
from registry.models import Notification, Role


def test_email_goes_only_after_the_commit_and_carries_the_link(app_context, make_user, outbox):
    manager = make_user(Role.REGISTER_MANAGER).user
    notifications.notify(
        [manager],
        "Something to review",
        "A profile waits for you.",
        link=notifications.Link("vetting.assessor_show", {"assessor_id": 7}),
        now=datetime.now(UTC),
    )
    assert outbox.to(manager.email) == []
    db.session.commit()
    (message,) = outbox.to(manager.email)
    assert "http://localhost/vetting/assessors/7" in message.get_payload(decode=True).decode()
    note = db.session.scalar(select(Notification).where(Notification.user_id == manager.id))
    assert (note.link_endpoint, note.link_values) == ("vetting.assessor_show", {"assessor_id": 7})


def test_a_rolled_back_unit_of_work_sends_nothing(app_context, make_user, outbox):
    manager = make_user(Role.REGISTER_MANAGER).user
    notifications.notify([manager], "Never sent", "Rolled back.", link=None, now=datetime.now(UTC))
    db.session.rollback()
    db.session.commit()
    assert outbox.to(manager.email) == []
    assert db.session.scalar(select(Notification).where(Notification.user_id == manager.id)) is None


def test_the_notifications_page_links_to_where_the_reader_acts(logged_in, make_user):
    made = make_user(Role.REGISTER_MANAGER)
    notifications.notify(
        [made.user],
        "Something to review",
        "A profile waits for you.",
        link=notifications.Link("vetting.assessor_show", {"assessor_id": 7}),
        now=datetime.now(UTC),
    )
    db.session.commit()
    page = logged_in(made).get("/notifications").get_data(as_text=True)
    assert 'href="/vetting/assessors/7"' in page


def test_managers_are_only_active_accounts(app_context, make_user):
    from registry.models import AccountStatus

    active = make_user(Role.REGISTER_MANAGER).user
    disabled = make_user(Role.REGISTER_MANAGER).user
    disabled.status = AccountStatus.DISABLED
    db.session.commit()
    assert [u.id for u in notifications.managers()] == [active.id]
