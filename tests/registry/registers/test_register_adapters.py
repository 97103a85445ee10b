"""Each adapter against the simulator over real HTTP: every seeded case, and the evidence kept."""

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from itertools import zip_longest

import pytest
import requests

from registry.registers import REGISTERS, get_register
from registry.registers.base import LookupResult, Outcome
from registry.registers.numbers import InvalidNumber
from simulator.data import (
    DATA_VALID_ON,
    HCPC_PREFIX_MISMATCH,
    NOT_FOUND_NUMBERS,
    REFERENCE_NOW,
    SEED_REGISTRANTS,
    SWE_DECEMBER_WINDOW,
    TYPED_VARIANTS,
    Behaviour,
    SimRegistrant,
    seed_registrant,
)

# A read timeout far shorter than the simulator's stall, as REG-02 prescribes.
SHORT_TIMEOUT = (1, 0.5)


def check(simulator, registrant: SimRegistrant, *, now: datetime = REFERENCE_NOW) -> LookupResult:
    adapter = get_register(registrant.body, base_url=simulator.base_url, timeout=SHORT_TIMEOUT)
    return adapter.lookup(
        registrant.number,
        surname=registrant.legal_surname,
        given_names=registrant.legal_given_names,
        now=now,
    )


def case_id(registrant: SimRegistrant) -> str:
    return f"{registrant.body}-{registrant.number}-{registrant.behaviour}"


# Rate-limited and stalling registers take a second or more each: slow (make test-fast skips them).
SLOW_BEHAVIOURS = {"rate_limited", "stall"}
SEED_CASES = [
    pytest.param(
        registrant,
        id=case_id(registrant),
        marks=[pytest.mark.slow] if registrant.behaviour in SLOW_BEHAVIOURS else [],
    )
    for registrant in SEED_REGISTRANTS
]


@pytest.mark.parametrize("registrant", SEED_CASES)
def test_reg04_every_simulator_case_has_its_documented_outcome(register_simulator, registrant):
    result = check(register_simulator, registrant)
    assert result.outcome == registrant.expected, result.detail


@pytest.mark.slow
def test_reg04_only_registrants_marked_clear_come_back_clear(register_simulator):
    # Interleave the registers so that each one's concurrency cap does not queue the others.
    by_body = [[r for r in SEED_REGISTRANTS if r.body == body] for body in REGISTERS]
    interleaved = [r for row in zip_longest(*by_body) for r in row if r is not None]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda r: check(register_simulator, r), interleaved))
    came_back_clear = {
        (r.body, r.number)
        for r, result in zip(interleaved, results, strict=True)
        if result.outcome is Outcome.CLEAR
    }
    marked_clear = {(r.body, r.number) for r in SEED_REGISTRANTS if r.expected is Outcome.CLEAR}
    assert came_back_clear == marked_clear


def test_reg04_every_failure_case_in_the_data_is_expected_unreadable():
    failures = [r for r in SEED_REGISTRANTS if r.behaviour is not Behaviour.PAGE]
    assert {r.behaviour for r in failures} == set(Behaviour) - {Behaviour.PAGE}
    assert all(r.expected is Outcome.UNREADABLE for r in failures)


@pytest.mark.slow
def test_reg02_a_stalling_register_gives_unreadable_instead_of_hanging(register_simulator):
    stalling = seed_registrant("hcpc", "PYL20013")
    started = time.monotonic()
    result = check(register_simulator, stalling)
    assert result.outcome is Outcome.UNREADABLE
    assert "did not answer in time" in result.detail
    assert time.monotonic() - started < 4


@pytest.mark.parametrize(("body", "number"), NOT_FOUND_NUMBERS.items())
def test_not_found_is_read_from_an_http_200_body(register_simulator, body, number):
    adapter = get_register(body, base_url=register_simulator.base_url, timeout=SHORT_TIMEOUT)
    result = adapter.lookup(number, surname="Anyone", now=REFERENCE_NOW)
    assert result.outcome is Outcome.NOT_FOUND
    assert result.http_status == 200


def test_hcpc_prefix_that_does_not_match_finds_nothing(register_simulator):
    adapter = get_register("hcpc", base_url=register_simulator.base_url)
    result = adapter.lookup(HCPC_PREFIX_MISMATCH, now=REFERENCE_NOW)
    assert result.outcome is Outcome.NOT_FOUND
    assert "profession=CS" in result.source_url


@pytest.mark.parametrize(("body", "typed", "stored"), TYPED_VARIANTS)
def test_leading_zeros_find_the_same_entry(register_simulator, body, typed, stored):
    registrant = seed_registrant(body, stored)
    adapter = get_register(body, base_url=register_simulator.base_url)
    result = adapter.lookup(typed, surname=registrant.legal_surname, now=REFERENCE_NOW)
    assert result.outcome is Outcome.CLEAR
    assert result.name == registrant.register_name


def test_hcpc_clear_result_keeps_the_evidence(register_simulator):
    registrant = seed_registrant("hcpc", "PYL043541")
    result = check(register_simulator, registrant)
    page = requests.get(result.source_url, timeout=5)
    assert result.outcome is Outcome.CLEAR
    assert result.http_status == 200
    assert result.body_sha256 == hashlib.sha256(page.content).hexdigest()
    assert result.data_valid_on == DATA_VALID_ON
    assert result.checked_at == REFERENCE_NOW
    assert result.adapter_version == REGISTERS["hcpc"].version
    assert result.status_text == "Registered"
    assert result.entries == ("Forensic psychologist",)
    assert (result.period_from, result.period_to) == (date(2025, 6, 1), date(2027, 5, 31))
    assert result.conditions is None


def test_gmc_follows_its_own_redirect_and_records_the_final_url(register_simulator):
    registrant = seed_registrant("gmc", "7012345")
    result = check(register_simulator, registrant)
    assert result.outcome is Outcome.CLEAR
    assert result.source_url == f"{register_simulator.base_url}/registrants/7012345"
    assert result.entries == ("Forensic Psychiatry", "General Psychiatry")
    assert register_simulator.app.request_counts()["gmc"] == 2


def test_gmc_consultant_code_is_looked_up_without_its_c(register_simulator):
    adapter = get_register("gmc", base_url=register_simulator.base_url)
    result = adapter.lookup("C7012345", surname="Raman", now=REFERENCE_NOW)
    assert result.number == "7012345"
    assert result.outcome is Outcome.CLEAR


def test_restriction_fields_are_kept_verbatim(register_simulator):
    result = check(register_simulator, seed_registrant("nmc", "12B0002E"))
    assert result.outcome is Outcome.RESTRICTED
    assert result.conditions == "Undertakings: To complete a medicines management course."


def test_without_a_surname_there_is_no_name_check(register_simulator):
    adapter = get_register("hcpc", base_url=register_simulator.base_url)
    result = adapter.lookup("PYL20014", now=REFERENCE_NOW)
    assert result.outcome is Outcome.CLEAR
    assert "name was not checked" in result.detail


def test_a_different_first_initial_is_a_name_mismatch(register_simulator):
    adapter = get_register("hcpc", base_url=register_simulator.base_url)
    result = adapter.lookup("PYL043541", surname="Hart", given_names="Beatrice", now=REFERENCE_NOW)
    assert result.outcome is Outcome.NAME_MISMATCH


def test_a_suspension_made_while_running_is_seen_by_the_next_check(register_simulator):
    registrant = seed_registrant("swe", "SW123")
    assert check(register_simulator, registrant).outcome is Outcome.CLEAR
    answer = requests.post(
        f"{register_simulator.base_url}/_simulator/registrants/swe/SW123",
        json={"status": "Suspended"},
        timeout=5,
    )
    assert answer.status_code == 200
    assert check(register_simulator, registrant).outcome is Outcome.BLOCKED


def test_conditions_added_while_running_make_a_clear_entry_restricted(register_simulator):
    registrant = seed_registrant("gmc", "7012345")
    register_simulator.app.set_status("gmc", "7012345", conditions="Supervised practice only.")
    result = check(register_simulator, registrant)
    assert result.outcome is Outcome.RESTRICTED
    assert result.conditions == "Conditions: Supervised practice only."


@pytest.mark.parametrize(
    ("now", "expected", "recheck_after"),
    [
        (datetime(2026, 11, 28, 12, tzinfo=UTC), Outcome.CLEAR, None),
        (datetime(2026, 12, 1, 9, tzinfo=UTC), Outcome.UNREADABLE, date(2026, 12, 31)),
        (datetime(2026, 12, 31, 23, tzinfo=UTC), Outcome.UNREADABLE, date(2026, 12, 31)),
        (datetime(2027, 1, 1, 9, tzinfo=UTC), Outcome.BLOCKED, None),
    ],
)
def test_swe_december_window_asks_for_a_recheck_instead_of_blocking(
    register_simulator, now, expected, recheck_after
):
    result = check(register_simulator, seed_registrant("swe", SWE_DECEMBER_WINDOW), now=now)
    assert result.outcome is expected
    assert result.recheck_after == recheck_after
    if recheck_after:
        assert result.detail.startswith("Renewal window: re-check after 31 December 2026.")


def test_swe_grace_date_is_configurable_into_january(register_simulator):
    adapter = get_register("swe", base_url=register_simulator.base_url, renewal_grace_until=(1, 15))
    registrant = seed_registrant("swe", SWE_DECEMBER_WINDOW)
    in_window = adapter.lookup(
        registrant.number,
        surname=registrant.legal_surname,
        now=datetime(2027, 1, 10, tzinfo=UTC),
    )
    assert in_window.outcome is Outcome.UNREADABLE
    assert in_window.recheck_after == date(2027, 1, 15)


def test_uk_date_decides_the_period_not_the_utc_date(register_simulator):
    registrant = seed_registrant("hcpc", "PYL043541")
    # 31 May 2027 23:30 UTC is already 1 June in the UK (BST), the day after the period.
    result = check(register_simulator, registrant, now=datetime(2027, 5, 31, 23, 30, tzinfo=UTC))
    assert result.outcome is Outcome.BLOCKED


def test_an_invalid_number_is_refused_before_any_request(register_simulator):
    adapter = get_register("nmc", base_url=register_simulator.base_url)
    with pytest.raises(InvalidNumber):
        adapter.lookup("../admin", now=REFERENCE_NOW)
    assert register_simulator.app.request_counts() == {"hcpc": 0, "swe": 0, "gmc": 0, "nmc": 0}


def test_lookup_needs_an_aware_now(register_simulator):
    adapter = get_register("hcpc", base_url=register_simulator.base_url)
    with pytest.raises(ValueError, match="aware"):
        adapter.lookup("PYL043541", now=datetime(2026, 12, 10))  # noqa: DTZ001


def test_result_serialises_to_json(register_simulator):
    result = check(register_simulator, seed_registrant("swe", SWE_DECEMBER_WINDOW))
    data = json.loads(json.dumps(result.to_json_dict()))
    assert data["outcome"] == "unreadable"
    assert data["recheck_after"] == "2026-12-31"
    assert data["checked_at"] == REFERENCE_NOW.isoformat()
    assert data["period_to"] == "2026-11-30"
