"""Rate limits on sign-in, codes and emailed links (RATE-01..06).

The limits are the documented decisions (requirements.md), read from config: sign-in 10 failures per
5 minutes per account, and per address 50 failures on distinct accounts that do not exist (with a
ceiling of 300 failures of any kind: test_rate_limits_offices.py); codes 5 wrong per 5 minutes per
account; reset requests 5 per 15 minutes per account and 100 per address; invitations 30 per hour
per manager.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from auth_helpers import REDIS_KEY_PREFIX, REDIS_URL, password_step, redirect_path, text_of

from config import BASE_DIR, ConfigError, ProductionConfig, TestConfig
from registry.models import Role
from support import config_for

WRONG = "not the right password"


def _fail_sign_in(client, email: str, times: int, **kwargs) -> list[int]:
    return [
        client.post("/sign-in", data={"email": email, "password": WRONG}, **kwargs).status_code
        for _ in range(times)
    ]


# --------------------------------------------------------------------------- RATE-01


def test_rate01_eleventh_attempt_on_an_account_is_refused_even_with_the_right_password(
    client,
    make_user,
    clock,
) -> None:
    made = make_user()
    assert _fail_sign_in(client, made.email, 10) == [200] * 10
    assert password_step(client, made).status_code == 429


def test_rate01_sign_in_works_again_after_the_window(client, make_user, clock) -> None:
    made = make_user()
    _fail_sign_in(client, made.email, 11)
    clock.shift(timedelta(minutes=5, seconds=1))
    assert redirect_path(password_step(client, made)) == "/sign-in/code"


def test_rate01_the_account_limit_ignores_case_and_spaces(client, make_user, clock) -> None:
    made = make_user(email="casey@example.test")
    _fail_sign_in(client, "  CASEY@example.test ", 10)
    assert password_step(client, made).status_code == 429


def test_rate01_successful_sign_ins_do_not_count(app, make_user, clock) -> None:
    made = make_user()
    statuses = [password_step(app.test_client(), made).status_code for _ in range(12)]
    assert statuses == [302] * 12


def test_rate01_fifty_unknown_accounts_from_one_address_throttle_it(
    client, make_user, clock
) -> None:
    made = make_user()
    statuses = [
        client.post(
            "/sign-in", data={"email": f"guess{n}@example.test", "password": WRONG}
        ).status_code
        for n in range(50)
    ]
    assert statuses == [200] * 50
    assert password_step(client, made).status_code == 429


def test_rate01_throttled_page_says_to_wait(client, make_user, clock) -> None:
    made = make_user()
    _fail_sign_in(client, made.email, 10)
    response = password_step(client, made)
    assert response.status_code == 429
    assert "Traceback" not in text_of(response)


# --------------------------------------------------------------------------- RATE-02


def _code_stage(client, made) -> None:
    assert redirect_path(password_step(client, made)) == "/sign-in/code"


def test_rate02_sixth_wrong_code_gets_429(client, make_user, clock) -> None:
    made = make_user()
    _code_stage(client, made)
    wrong = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(5)]
    assert wrong == [200] * 5
    assert client.post("/sign-in/code", data={"code": made.code()}).status_code == 429


def test_rate02_wrong_recovery_codes_count_towards_the_same_limit(client, make_user, clock) -> None:
    made = make_user()
    _code_stage(client, made)
    for _ in range(3):
        client.post("/sign-in/code", data={"code": "000000"})
    for _ in range(2):
        client.post("/sign-in/recovery-code", data={"code": "aaaaa-bbbbb"})
    assert client.post("/sign-in/code", data={"code": made.code()}).status_code == 429


def test_rate02_wrong_codes_when_reauthenticating_are_limited(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    made = client.made_user
    url = "/account/confirm-identity"
    for _ in range(5):
        assert (
            client.post(url, data={"password": made.password, "code": "000000"}).status_code == 200
        )
    response = client.post(url, data={"password": made.password, "code": made.code()})
    assert response.status_code == 429


def test_rate02_code_limit_lifts_after_the_window(client, make_user, clock) -> None:
    made = make_user()
    _code_stage(client, made)
    for _ in range(6):
        client.post("/sign-in/code", data={"code": "000000"})
    clock.shift(timedelta(minutes=5, seconds=1))
    response = client.post("/sign-in/code", data={"code": made.code()})
    assert redirect_path(response) == "/"


# --------------------------------------------------------------------------- RATE-03


@pytest.mark.app_settings(RESET_LIMIT_PER_IP="5 per 15 minutes")
def test_rate03_reset_requests_over_the_address_limit_get_429_and_are_audited(
    client,
    audit_rows,
    clock,
) -> None:
    statuses = [
        client.post("/password-reset", data={"email": f"r{n}@example.org"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    (row,) = audit_rows("security.throttled")
    assert row.after == {"path": "/password-reset"}


def test_rate03_sixth_reset_request_for_one_account_gets_429(client, clock) -> None:
    statuses = [
        client.post(
            "/password-reset",
            data={"email": "target@example.org"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_rate03_thirty_first_invitation_in_an_hour_gets_429_and_is_audited(
    logged_in,
    make_organisation,
    audit_rows,
    clock,
) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    statuses = [
        manager.post(
            "/users/invite",
            data={
                "full_name": f"Invitee {n}",
                "email": f"invitee{n}@example.org",
                "role": "assessor",
            },
        ).status_code
        for n in range(31)
    ]
    assert statuses == [302] * 30 + [429]
    (row,) = audit_rows("security.throttled")
    assert row.actor_id == manager.made_user.id


# --------------------------------------------------------------------------- RATE-04

OTHER_INSTANCE = textwrap.dedent(
    """
    import sys
    from registry import create_app
    from registry.extensions import db
    from support import config_for

    database_url, storage, prefix, email = sys.argv[1:5]
    app = create_app(config_for(
        database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_KEY_PREFIX=prefix, MAIL_PORT=9,
    ))
    with app.app_context():
        db.create_all()
    response = app.test_client().post("/sign-in", data={"email": email, "password": "wrong"})
    print(response.status_code)
    """
)


def _sign_in_from_another_instance(tmp_path: Path, email: str) -> int:
    """One failed sign-in through a second app instance in a separate process."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            OTHER_INSTANCE,
            f"sqlite:///{tmp_path / 'other-instance.db'}",
            REDIS_URL,
            REDIS_KEY_PREFIX,
            email,
        ],
        cwd=BASE_DIR,
        env={"PYTHONPATH": f"{BASE_DIR}:{BASE_DIR / 'tests'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.app_settings(RATELIMIT_STORAGE_URI=REDIS_URL)
def test_rate04_two_app_instances_sharing_redis_share_one_count(
    client, make_user, tmp_path
) -> None:
    made = make_user()
    assert _fail_sign_in(client, made.email, 9) == [200] * 9
    assert _sign_in_from_another_instance(tmp_path, made.email) == 200  # the 10th failure
    assert password_step(client, made).status_code == 429


def test_rate04_production_refuses_memory_storage() -> None:
    production = config_for(
        "postgresql+psycopg://app@db/register",
        base=ProductionConfig,
        SECRET_KEY="0123456789abcdef" * 4,
        TOTP_ENCRYPTION_KEY=TestConfig.TOTP_ENCRYPTION_KEY,
        TRUSTED_HOSTS=["register.example.org"],
        RATELIMIT_STORAGE_URI="memory://",
    )
    with pytest.raises(ConfigError, match="Redis"):
        production.validate()


# --------------------------------------------------------------------------- RATE-05

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # the one trusted proxy hop in front of the app


@pytest.mark.app_settings(
    SIGN_IN_LIMIT_PER_IP="3 per 5 minutes", SIGN_IN_LIMIT_PER_ACCOUNT="100 per 5 minutes"
)
def test_rate05_forwarded_for_sent_by_the_client_does_not_change_the_limit_key(
    client,
    clock,
) -> None:
    statuses = [
        client.post(
            "/sign-in",
            data={"email": f"g{n}@example.test", "password": WRONG},
            headers={"X-Forwarded-For": f"6.6.6.{n}, 203.0.113.9"},
            environ_base=PROXY,
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.app_settings(
    SIGN_IN_LIMIT_PER_IP="3 per 5 minutes", SIGN_IN_LIMIT_PER_ACCOUNT="100 per 5 minutes"
)
def test_rate05_each_real_client_address_has_its_own_count(client, clock) -> None:
    for n in range(3):
        client.post(
            "/sign-in",
            data={"email": f"g{n}@example.test", "password": WRONG},
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base=PROXY,
        )
    response = client.post(
        "/sign-in",
        data={"email": "other@example.test", "password": WRONG},
        headers={"X-Forwarded-For": "198.51.100.20"},
        environ_base=PROXY,
    )
    assert response.status_code == 200


def test_rate05_audited_ip_is_the_address_the_proxy_saw(client, audit_rows) -> None:
    client.post(
        "/sign-in",
        data={"email": "nobody@example.test", "password": WRONG},
        headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"},
        environ_base=PROXY,
    )
    (row,) = audit_rows("auth.sign_in_failed")
    assert row.ip == "203.0.113.9"


# --------------------------------------------------------------------------- RATE-06

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.mark.app_settings(RATELIMIT_STORAGE_URI=UNREACHABLE)
def test_rate06_with_redis_unreachable_the_eleventh_bad_sign_in_is_refused(
    client,
    make_user,
    clock,
) -> None:
    made = make_user()
    assert _fail_sign_in(client, made.email, 10) == [200] * 10
    assert password_step(client, made).status_code == 429


@pytest.mark.app_settings(RATELIMIT_STORAGE_URI=UNREACHABLE)
def test_rate06_with_redis_unreachable_the_sixth_wrong_code_is_refused(
    client,
    make_user,
    clock,
) -> None:
    made = make_user()
    _code_stage(client, made)
    for _ in range(5):
        client.post("/sign-in/code", data={"code": "000000"})
    assert client.post("/sign-in/code", data={"code": made.code()}).status_code == 429


def test_rate06_errors_are_not_swallowed(app) -> None:
    assert app.config["RATELIMIT_SWALLOW_ERRORS"] is False
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
