"""The register simulator: page shapes, its control API, and per-instance data."""

from datetime import date

import pytest
import requests

from simulator.app import make_simulator_app
from simulator.data import (
    CANARY_NUMBERS,
    SEED_REGISTRANTS,
    Behaviour,
    seed_registrant,
)
from simulator.store import canonical_number


def url(simulator, path: str) -> str:
    return f"{simulator.base_url}{path}"


def test_health_answers_ok(register_simulator):
    answer = requests.get(url(register_simulator, "/_simulator/health"), timeout=5)
    assert answer.json() == {"status": "ok"}


def test_request_counts_are_per_register(register_simulator):
    requests.get(
        url(register_simulator, "/umbraco/surface/searchregister/socialworker/SW123"), timeout=5
    )
    counts = requests.get(url(register_simulator, "/_simulator/requests"), timeout=5).json()
    assert counts == {"hcpc": 0, "swe": 1, "gmc": 0, "nmc": 0}


def test_gmc_doctors_path_redirects_to_registrants_on_the_same_host(register_simulator):
    answer = requests.get(
        url(register_simulator, "/doctors/7012345"), timeout=5, allow_redirects=False
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/registrants/7012345"


def test_hcpc_answers_nothing_found_when_the_profession_does_not_match(register_simulator):
    answer = requests.get(
        url(register_simulator, "/check-the-register/professional-registration-detail/"),
        params={"query": "PYL31200", "profession": "CS"},
        timeout=5,
    )
    assert answer.status_code == 200
    assert "No results returned for PYL31200" in answer.text


def test_rate_limited_registrant_gets_429_with_retry_after(register_simulator):
    answer = requests.get(url(register_simulator, "/registrants/7020013"), timeout=5)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "1"


def test_control_api_changes_a_registrant(register_simulator):
    answer = requests.post(
        url(register_simulator, "/_simulator/registrants/hcpc/PYL043541"),
        json={"status": "Suspended", "period_to": "2026-01-31", "conditions": "Do not practise."},
        timeout=5,
    )
    assert answer.status_code == 200
    changed = register_simulator.app.registrant("hcpc", "PYL43541")
    assert changed.status == "Suspended"
    assert changed.period_to == date(2026, 1, 31)
    assert changed.restrictions == (("Conditions", "Do not practise."),)


def test_control_api_adds_a_registrant(register_simulator):
    answer = requests.post(
        url(register_simulator, "/_simulator/registrants/nmc/34C5678D"),
        json={"name": "Kim Lee", "status": "Registered"},
        timeout=5,
    )
    assert answer.json()["name"] == "Kim Lee"
    assert register_simulator.app.registrant("nmc", "34C5678D").legal_surname == "Lee"


@pytest.mark.parametrize(
    "payload",
    [["not", "an", "object"], {"colour": "red"}, {"period_to": "31/01/2026"}, {"status": 7}],
)
def test_control_api_refuses_bad_requests(register_simulator, payload):
    answer = requests.post(
        url(register_simulator, "/_simulator/registrants/hcpc/PYL043541"), json=payload, timeout=5
    )
    assert answer.status_code == 400


def test_reset_restores_the_seed_and_counts(register_simulator):
    register_simulator.app.set_status("swe", "SW123", "Removed")
    requests.get(
        url(register_simulator, "/umbraco/surface/searchregister/socialworker/SW123"), timeout=5
    )
    answer = requests.post(url(register_simulator, "/_simulator/reset"), timeout=5)
    assert answer.status_code == 200
    assert register_simulator.app.registrant("swe", "SW123") == seed_registrant("swe", "SW123")
    assert sum(register_simulator.app.request_counts().values()) == 0


def test_latency_can_be_set_and_is_validated(register_simulator):
    endpoint = url(register_simulator, "/_simulator/latency")
    assert requests.post(endpoint, json={"seconds": 0.05}, timeout=5).status_code == 200
    assert requests.post(endpoint, json={"seconds": -1}, timeout=5).status_code == 400
    assert requests.post(endpoint, json={"seconds": True}, timeout=5).status_code == 400


def test_unknown_paths_are_404(register_simulator):
    assert requests.get(url(register_simulator, "/admin"), timeout=5).status_code == 404


def test_each_app_has_its_own_copy_of_the_data():
    first, second = make_simulator_app(), make_simulator_app()
    first.set_status("gmc", "7012345", "Erased")
    assert second.registrant("gmc", "7012345").status == "Registered with a licence to practise"


def test_the_seed_covers_every_case_for_every_register():
    for body in CANARY_NUMBERS:
        behaviours = {r.behaviour for r in SEED_REGISTRANTS if r.body == body}
        assert {Behaviour.PAGE, Behaviour.MISSING_LABEL, Behaviour.RATE_LIMITED} <= behaviours
        assert {Behaviour.UNAVAILABLE, Behaviour.STALL} <= behaviours
        assert behaviours & {Behaviour.CHALLENGE, Behaviour.CAPTCHA}


def test_seed_numbers_are_unique_and_canaries_are_clear():
    keys = [(r.body, canonical_number(r.body, r.number)) for r in SEED_REGISTRANTS]
    assert len(keys) == len(set(keys))
    for body, number in CANARY_NUMBERS.items():
        assert seed_registrant(body, number).expected == "clear"
