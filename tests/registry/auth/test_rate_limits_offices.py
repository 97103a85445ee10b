"""Sign-in and reset limits that fit councils (issue 13; docs/requirements/rate-limits.md).

A council's staff share one address. Guessing against any one account is stopped (10 failures
per 5 minutes per account); spraying many accounts from one address is stopped (50 failures per
5 minutes on distinct accounts that do not exist, and a ceiling of 300 failures of any kind); but
a correct password for an account that has not itself failed too often is not refused because
colleagues behind the same address mistyped theirs.
"""

from __future__ import annotations

import pytest
from auth_helpers import password_step, redirect_path

from config import Config, ConfigError, TestConfig
from registry.models import Role

WRONG = "not the right password"
OFFICE = {"REMOTE_ADDR": "198.51.100.10"}  # one council's address, as the proxy saw it


def _sign_in(client, email: str, password: str, address: dict = OFFICE) -> int:
    response = client.post(
        "/sign-in", data={"email": email, "password": password}, environ_base=address
    )
    return response.status_code


def test_defaults() -> None:
    assert (
        Config.SIGN_IN_LIMIT_PER_ACCOUNT,
        Config.SIGN_IN_LIMIT_PER_IP,
        Config.SIGN_IN_CEILING_PER_IP,
        Config.RESET_LIMIT_PER_ACCOUNT,
        Config.RESET_LIMIT_PER_IP,
    ) == (
        "10 per 5 minutes",
        "50 per 5 minutes",
        "300 per 5 minutes",
        "5 per 15 minutes",
        "100 per 15 minutes",
    )


@pytest.mark.parametrize("name", ["SIGN_IN_CEILING_PER_IP", "RESET_LIMIT_PER_IP"])
def test_a_malformed_limit_stops_the_app(name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        type("Bad", (TestConfig,), {name: "lots"}).validate()


@pytest.mark.slow
def test_an_office_of_200_signs_in_while_50_of_them_mistype(app, make_user, clock) -> None:
    """200 staff on one address; 50 mistype their password once or twice (75 failures) and 10
    mistype their email address; then every one of the 200 signs in."""
    staff = [make_user(Role.OFFICER, email=f"staff{n}@northshire.example") for n in range(200)]
    client = app.test_client()
    failures = []
    for n, made in enumerate(staff[:50]):
        for _ in range(1 + n % 2):
            failures.append(_sign_in(client, made.email, WRONG))
    for n in range(10):
        failures.append(_sign_in(client, f"staff{n}@northshire.exmaple", staff[n].password))
    assert failures == [200] * 85
    signed_in = [_sign_in(app.test_client(), made.email, made.password) for made in staff]
    assert signed_in == [302] * 200


def test_one_colleague_guessed_out_does_not_lock_out_the_office(app, make_user, clock) -> None:
    victim, colleague = make_user(), make_user()
    client = app.test_client()
    assert [_sign_in(client, victim.email, WRONG) for _ in range(11)] == [200] * 10 + [429]
    assert _sign_in(client, victim.email, victim.password) == 429  # the account's own limit
    assert _sign_in(client, colleague.email, colleague.password) == 302


def test_guessing_one_account_from_many_addresses_is_stopped(client, make_user, clock) -> None:
    made = make_user()
    statuses = [
        _sign_in(client, made.email, WRONG, {"REMOTE_ADDR": f"192.0.2.{n}"}) for n in range(10)
    ]
    assert statuses == [200] * 10
    assert _sign_in(client, made.email, made.password, {"REMOTE_ADDR": "192.0.2.99"}) == 429


def test_spraying_names_that_do_not_exist_from_one_address_is_stopped(
    client, make_user, clock
) -> None:
    made = make_user()
    statuses = [_sign_in(client, f"guess{n}@northshire.example", WRONG) for n in range(51)]
    assert statuses == [200] * 50 + [429]
    assert _sign_in(client, made.email, made.password) == 429
    # Another address is not affected.
    assert _sign_in(client, made.email, made.password, {"REMOTE_ADDR": "192.0.2.1"}) == 302


def test_one_mistyped_address_counts_once_towards_the_address_limit(
    client, make_user, clock
) -> None:
    made = make_user()
    typo = "stafff@northshire.example"
    for _ in range(3):  # each round is within that name's own limit of 10
        assert [_sign_in(client, typo, WRONG) for _ in range(3)] == [200] * 3
    statuses = [_sign_in(client, f"guess{n}@northshire.example", WRONG) for n in range(49)]
    assert statuses == [200] * 49  # 1 distinct typo + 49 guesses = 50
    assert _sign_in(client, "one-more@northshire.example", WRONG) == 429
    assert _sign_in(client, made.email, made.password) == 429


@pytest.mark.app_settings(SIGN_IN_CEILING_PER_IP="40 per 5 minutes")
def test_spraying_real_accounts_from_one_address_meets_the_ceiling(
    client, make_user, clock
) -> None:
    """An attacker with a list of real addresses, one guess each: the ceiling stops them (set
    low here to keep the test short; 300 by default)."""
    accounts = [make_user() for _ in range(41)]
    statuses = [_sign_in(client, made.email, WRONG) for made in accounts[:40]]
    assert statuses == [200] * 40
    assert _sign_in(client, accounts[40].email, accounts[40].password) == 429


@pytest.mark.app_settings(SIGN_IN_CEILING_PER_IP="40 per 5 minutes")
def test_successful_sign_ins_do_not_count_towards_the_ceiling(app, make_user, clock) -> None:
    accounts = [make_user() for _ in range(45)]
    statuses = [_sign_in(app.test_client(), made.email, made.password) for made in accounts]
    assert statuses == [302] * 45


def test_an_office_can_ask_for_many_password_resets(client, clock) -> None:
    statuses = [
        client.post(
            "/password-reset", data={"email": f"r{n}@northshire.example"}, environ_base=OFFICE
        ).status_code
        for n in range(101)
    ]
    assert statuses == [200] * 100 + [429]


def test_resets_for_one_account_stay_limited(client, clock) -> None:
    statuses = [
        client.post(
            "/password-reset",
            data={"email": "one@northshire.example"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_a_second_factor_after_colleagues_mistyped_still_works(app, make_user, clock) -> None:
    """The code limit is per account: colleagues' wrong codes never block another's."""
    first, second = make_user(), make_user()
    one = app.test_client()
    assert redirect_path(password_step(one, first)) == "/sign-in/code"
    for _ in range(6):
        one.post("/sign-in/code", data={"code": "000000"})
    two = app.test_client()
    assert redirect_path(password_step(two, second)) == "/sign-in/code"
    assert redirect_path(two.post("/sign-in/code", data={"code": second.code()})) == "/"
