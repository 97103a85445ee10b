"""AC-06: two panel members deciding at the same moment produce exactly one decision."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from commission_support import case_data
from sqlalchemy import func, select

from registry import create_app
from registry.auth import passwords
from registry.commissions import panel as panel_decisions
from registry.commissions import requests, selection
from registry.errors import InvalidTransition, NotAllowed
from registry.extensions import db
from registry.models import (
    AccountStatus,
    AdmissionStatus,
    Assessor,
    Commission,
    Organisation,
    OrganisationKind,
    PanelDecision,
    Registration,
    Role,
    User,
)
from registry.verification import service as verification
from support import (
    add_complete_profile,
    config_for,
    migrate_to_head,
    scratch_database,
    simulator_settings,
)


def _user(role: Role, email: str, organisation: Organisation | None, now: datetime) -> User:
    user = User(
        email=email,
        full_name=email.split("@")[0],
        role=role,
        organisation=organisation,
        status=AccountStatus.ACTIVE,
        created_at=now,
        password_hash=passwords.hash_password("x" * 20, "cheapest"),
    )
    db.session.add(user)
    return user


def _seed(now: datetime) -> tuple[int, list[int]]:
    council = Organisation(
        name="Northshire County Council", kind=OrganisationKind.LOCAL_AUTHORITY, created_at=now
    )
    officer = _user(Role.OFFICER, "officer@example.test", council, now)
    members = [_user(Role.PANEL_MEMBER, f"panel{i}@example.test", council, now) for i in (1, 2)]
    assessor = Assessor(
        user=_user(Role.ASSESSOR, "hart@example.test", None, now),
        legal_given_names="Amelia",
        legal_surname="Hart",
        admission_status=AdmissionStatus.ADMITTED,
        created_at=now,
    )
    registration = Registration(
        assessor=assessor,
        body="hcpc",
        number="PYL043541",
        profession="practitioner_psychologist",
        created_at=now,
    )
    db.session.add(registration)
    db.session.commit()
    verification.verify(registration, actor=None, now=now)
    add_complete_profile(assessor.id, now)
    db.session.commit()
    commission = requests.raise_request(officer, case_data(), now=now)
    requests.start_search(officer, commission, now=now)
    selection.select_assessor(officer, commission, assessor.id, now=now)
    answer = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)
    selection.respond(assessor.user, commission, answer, now=now)
    return commission.id, [m.id for m in members]


@pytest.mark.postgres
def test_ac06_two_panel_members_at_once_produce_exactly_one_decision(
    database_url, tmp_root, register_simulator, smtp_server
):
    url = scratch_database(database_url, "concurrency", tmp_root)
    settings = simulator_settings(register_simulator)
    app = create_app(config_for(url, MAIL_PORT=smtp_server[0].port, **settings))
    migrate_to_head(app)
    now = datetime.now(UTC)
    with app.app_context():
        commission_id, member_ids = _seed(now)
        db.session.remove()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(member_id: int) -> None:
        with app.app_context():
            member = db.session.get(User, member_id)
            commission = db.session.get(Commission, commission_id)
            barrier.wait(timeout=10)
            try:
                panel_decisions.decide(member, commission, True, "", now=now)
                results.append("decided")
            except (InvalidTransition, NotAllowed):
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(m,)) for m in member_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(PanelDecision))
        status = db.session.get(Commission, commission_id).status
        db.session.remove()
        db.engine.dispose()
    assert sorted(results) == ["decided", "refused"]
    assert count == 1
    assert status == "approved"
