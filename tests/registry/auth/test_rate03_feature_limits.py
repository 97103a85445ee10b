"""Per-account limits on search, "why not?", registrations, register checks, uploads, exports.

RATE-03: what triggers lookups on a public register, heavy queries or files has a
per-account limit, set from the environment (docs/requirements/rate-limits.md). Going over gives
the 429 page and writes an audit row. The tests use small limits so that they stay quick; the
defaults are checked on their own.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from config import BASE_DIR, Config, ConfigError
from registry.commissions import requests as commissions
from registry.commissions.case import CaseData
from registry.models import Role
from support import DEMO_PASSWORD, MadeUser, config_for

DEFAULTS = {
    "SEARCH_LIMIT_PER_ACCOUNT": "60 per minute",
    "WHY_NOT_LIMIT_PER_ACCOUNT": "30 per minute",
    "REGISTRATION_ADD_LIMIT_PER_ACCOUNT": "10 per hour",
    "REGISTER_CHECK_LIMIT_PER_ACCOUNT": "30 per hour",
    "UPLOAD_LIMIT_PER_ACCOUNT": "30 per hour",
    "EXPORT_LIMIT_PER_ACCOUNT": "10 per hour",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _commission_searching(officer: MadeUser):
    now = datetime.now(UTC)
    commission = commissions.raise_request(
        officer.user,
        CaseData(
            case_reference="NS/2026/0001",
            context="cp_plan",
            court_permission_on=None,
            subject_sex="male",
            subject_age_band="adult",
            conviction_status="convicted",
            learning_disability=False,
            language_needs=None,
            offence_categories=["contact_intra_familial"],
            assessment_type="adult_male",
            assessment_purpose="risk",
            access_to_child="lives_in_household",
            access_details="Alone with the child",
            needed_by=now.date() + timedelta(42),
            questions="What is the risk?",
            budget_pence=250_000,
        ),
        now=now,
    )
    commissions.start_search(officer.user, commission, now=now)
    return commission


@pytest.fixture
def assessor_client(clock, logged_in, make_assessor):
    """Signed in after the clock is frozen, so the session is not from the future."""
    assessor = make_assessor("Amelia", "Hart")
    return logged_in(MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None))


def _throttled_rows(audit_rows, client) -> list:
    return [r for r in audit_rows("security.throttled") if r.actor_id == client.made_user.id]


# --------------------------------------------------------------------------- search


@pytest.mark.app_settings(SEARCH_LIMIT_PER_ACCOUNT="3 per minute")
def test_rate03_search_limited(logged_in, make_user, audit_rows, clock) -> None:
    officer = logged_in(Role.OFFICER)
    url = f"/commissions/{_commission_searching(officer.made_user).id}/search"
    statuses = [officer.get(url, query_string={"page": n}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    (row,) = _throttled_rows(audit_rows, officer)
    assert row.after == {"path": url}


@pytest.mark.app_settings(SEARCH_LIMIT_PER_ACCOUNT="3 per minute")
def test_rate03_search_limit_is_per_account_and_lifts_after_the_window(logged_in, clock) -> None:
    officer = logged_in(Role.OFFICER)
    url = f"/commissions/{_commission_searching(officer.made_user).id}/search"
    for _ in range(4):
        officer.get(url)
    assert logged_in(Role.OFFICER).get(url).status_code == 200  # a colleague is not held up
    clock.shift(timedelta(minutes=1, seconds=1))
    assert officer.get(url).status_code == 200


@pytest.mark.app_settings(WHY_NOT_LIMIT_PER_ACCOUNT="2 per minute")
def test_rate03_why_not_limited(logged_in, audit_rows, clock) -> None:
    officer = logged_in(Role.OFFICER)
    url = f"/commissions/{_commission_searching(officer.made_user).id}/search"
    # "Why not?" is answered on a page of its own, after a redirect (POST-redirect-GET).
    statuses = [officer.post(url, data={"name": f"Person {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert officer.get(url).status_code == 200  # searching is still allowed
    assert len(_throttled_rows(audit_rows, officer)) == 1


# --------------------------------------------------------------------------- registers


@pytest.mark.app_settings(REGISTRATION_ADD_LIMIT_PER_ACCOUNT="2 per hour")
def test_rate03_adding_registrations_limited(assessor_client, audit_rows, clock) -> None:
    data = {"body": "hcpc", "number": "not a number", "profession": "practitioner_psychologist"}
    statuses = [
        assessor_client.post("/assessor/registrations/add", data=data).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert assessor_client.get("/assessor/registrations/add").status_code == 200
    assert len(_throttled_rows(audit_rows, assessor_client)) == 1


@pytest.mark.slow
@pytest.mark.app_settings(REGISTER_CHECK_LIMIT_PER_ACCOUNT="2 per hour", REGISTER_CHECK_DEADLINE=1)
def test_rate03_register_rechecks_limited(logged_in, make_registration, audit_rows, clock) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    registration = make_registration("hcpc", "PYL043541")
    url = f"/verification/registrations/{registration.id}/recheck"
    statuses = [manager.post(url).status_code for _ in range(3)]
    assert statuses[2] == 429
    assert 429 not in statuses[:2]
    assert len(_throttled_rows(audit_rows, manager)) == 1


# --------------------------------------------------------------------------- files


@pytest.mark.app_settings(UPLOAD_LIMIT_PER_ACCOUNT="2 per hour")
def test_rate03_uploads_limited(assessor_client, audit_rows, clock) -> None:
    def upload(n: int) -> int:
        return assessor_client.post(
            "/assessor/documents",
            data={
                "kind": "qualification",
                "description": f"Certificate {n}",
                "file": (io.BytesIO(PNG), f"certificate{n}.png"),
            },
            content_type="multipart/form-data",
        ).status_code

    assert [upload(n) for n in range(3)] == [302, 302, 429]
    assert len(_throttled_rows(audit_rows, assessor_client)) == 1


@pytest.mark.app_settings(UPLOAD_LIMIT_PER_ACCOUNT="1 per hour")
def test_rate03_manual_check_captures_limited(
    logged_in, make_assessor, make_registration, clock
) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    assessor = make_assessor("Morag", "Campbell")
    registration = make_registration("sssc", "SC123456", assessor, "social_worker")
    url = f"/verification/registrations/{registration.id}/manual-check"

    def record() -> int:
        return manager.post(
            url,
            data={
                "outcome": "clear",
                "status_text": "Registered",
                "source_url": "https://www.sssc.uk.com/the-register/",
                "capture": (io.BytesIO(PNG), "capture.png"),
            },
            content_type="multipart/form-data",
        ).status_code

    assert record() != 429
    assert record() == 429
    assert manager.get(url).status_code == 200  # the form itself is not counted


@pytest.mark.app_settings(EXPORT_LIMIT_PER_ACCOUNT="3 per hour")
def test_rate03_exports_limited_across_formats(assessor_client, audit_rows, clock) -> None:
    urls = ["/assessor/profile/export.json", "/assessor/profile/export.csv"] * 2
    assert [assessor_client.get(url).status_code for url in urls] == [200, 200, 200, 429]
    (row,) = _throttled_rows(audit_rows, assessor_client)
    assert row.after == {"path": "/assessor/profile/export.csv"}


# --------------------------------------------------------------------------- configuration


def test_rate03_defaults_are_the_documented_values() -> None:
    assert {name: getattr(Config, name) for name in DEFAULTS} == DEFAULTS
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    note = (BASE_DIR / "docs" / "requirements" / "rate-limits.md").read_text(encoding="utf-8")
    for name, value in DEFAULTS.items():
        assert f"`{name}`" in readme, name
        assert f"`{name}`" in note, name
        assert value in note, name


def test_rate03_limits_are_read_from_the_environment() -> None:
    env = {**os.environ, **{name: "7 per day" for name in DEFAULTS}}
    names = ", ".join(f"config.Config.{name}" for name in DEFAULTS)
    result = subprocess.run(
        [sys.executable, "-c", f"import config; print({{{names}}})"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "{'7 per day'}"


@pytest.mark.parametrize("value", ["lots", "0 per minute", "60 per fortnight", ""])
def test_rate03_a_malformed_limit_stops_the_app(value: str) -> None:
    broken = config_for(SEARCH_LIMIT_PER_ACCOUNT=value)
    with pytest.raises(ConfigError, match="SEARCH_LIMIT_PER_ACCOUNT"):
        broken.validate()
