"""The charts of the managers' lists are kept while the register has not changed
(registry/figures_cache.py), and are counted again as soon as it has."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from test_manager_list_statement_counts import grow_register

from registry.extensions import db as _db
from registry.models import Insurance, Registration, Role, VerificationCheck
from registry.models.verification import CheckMethod


def _checks_of_hcpc(html: str) -> int:
    return int(re.search(r"chart-heading-hcpc\">[^<]*: (\d+) checks?", html).group(1))


def _overdue(html: str) -> int:
    return int(re.search(r"(\d+) overdue, then per week", html).group(1))


def test_the_registrations_chart_counts_a_new_check(db, logged_in):
    now = datetime.now(UTC)
    grow_register(4, now)
    client = logged_in(Role.REGISTER_MANAGER)
    before = _checks_of_hcpc(client.get("/verification").get_data(as_text=True))
    assert _checks_of_hcpc(client.get("/verification").get_data(as_text=True)) == before
    registration_id = _db.session.scalar(select(Registration.id).order_by(Registration.id))
    _db.session.execute(
        insert(VerificationCheck).values(
            registration_id=registration_id,
            method=CheckMethod.AUTOMATIC,
            performed_by_label="test",
            checked_at=now,
            outcome="clear",
            status_text="",
            detail="",
            entries=[],
            source_url="http://register.example/",
            adapter_version="test",
        )
    )
    _db.session.commit()
    assert _checks_of_hcpc(client.get("/verification").get_data(as_text=True)) == before + 1


def test_the_expiries_chart_counts_an_item_that_falls_due(db, logged_in):
    now = datetime.now(UTC)
    grow_register(4, now)
    client = logged_in(Role.REGISTER_MANAGER)
    before = _overdue(client.get("/vetting/expiries").get_data(as_text=True))
    insurance = _db.session.scalar(select(Insurance).order_by(Insurance.id))
    insurance.expires_on = now.date() - timedelta(days=3)
    _db.session.commit()
    assert _overdue(client.get("/vetting/expiries").get_data(as_text=True)) == before + 1
