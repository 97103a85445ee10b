"""Redirects, the breaker and politeness against local threaded servers: REG-05, 07 and 09."""

import threading
import time
from itertools import pairwise

import pytest
from werkzeug.wrappers import Request, Response

from registry.registers.base import LookupResult, Outcome, RegisterAdapter
from registry.registers.breakers import RegisterGate, reset_breakers, shared_gate
from registry.registers.http import (
    USER_AGENT,
    RegisterClient,
    RegisterUnavailable,
    close_register_session,
)
from simulator.data import REFERENCE_NOW, seed_registrant
from simulator.pages import gmc_entry, hcpc_entry

HCPC_PATH = "/check-the-register/professional-registration-detail/"
PRIYA = seed_registrant("gmc", "7012345")
AMELIA = seed_registrant("hcpc", "PYL043541")


def amelia_page() -> Response:
    return Response(hcpc_entry(AMELIA), content_type="text/html; charset=utf-8")


def look_up_amelia(adapter: RegisterAdapter) -> LookupResult:
    return adapter.lookup(AMELIA.number, surname=AMELIA.legal_surname, now=REFERENCE_NOW)


# REG-05


@pytest.mark.slow
def test_reg05_redirect_to_another_host_is_unreadable_and_never_followed(
    httpserver, other_host, isolated_adapter
):
    other_host.expect_request("/registrants/7012345").respond_with_data(gmc_entry(PRIYA))
    elsewhere = other_host.url_for("/registrants/7012345")
    httpserver.expect_request("/doctors/7012345").respond_with_response(
        Response(status=302, headers={"Location": elsewhere})
    )
    result = isolated_adapter("gmc", httpserver).lookup(
        "7012345", surname="Raman", now=REFERENCE_NOW
    )
    assert result.outcome is Outcome.UNREADABLE
    assert "another site" in result.detail
    assert other_host.log == []
    assert len(httpserver.log) == 1


def test_reg05_same_port_but_another_host_name_is_another_host(httpserver, isolated_adapter):
    port = httpserver.port
    httpserver.expect_request("/doctors/7012345").respond_with_response(
        Response(status=302, headers={"Location": f"http://localhost:{port}/registrants/7012345"})
    )
    result = isolated_adapter("gmc", httpserver).lookup("7012345", now=REFERENCE_NOW)
    assert result.outcome is Outcome.UNREADABLE
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("location", ["http://[::1", "http://127.0.0.1:99999/x", ""])
def test_reg05_a_broken_redirect_is_unreadable(httpserver, isolated_adapter, location):
    httpserver.expect_request("/doctors/7012345").respond_with_response(
        Response(status=302, headers={"Location": location})
    )
    result = isolated_adapter("gmc", httpserver).lookup("7012345", now=REFERENCE_NOW)
    assert result.outcome is Outcome.UNREADABLE
    assert len(httpserver.log) == 1


def test_reg05_one_redirect_on_the_same_host_is_followed_but_not_two(httpserver, isolated_adapter):
    httpserver.expect_request("/doctors/7012345").respond_with_response(
        Response(status=301, headers={"Location": "/registrants/7012345"})
    )
    httpserver.expect_request("/registrants/7012345").respond_with_response(
        Response(status=302, headers={"Location": "/doctors/7012345"})
    )
    result = isolated_adapter("gmc", httpserver).lookup("7012345", now=REFERENCE_NOW)
    assert result.outcome is Outcome.UNREADABLE
    assert "more than once" in result.detail
    assert len(httpserver.log) == 2


def test_reg05_same_host_redirect_records_the_final_url(httpserver, isolated_adapter):
    httpserver.expect_request("/doctors/7012345").respond_with_response(
        Response(status=302, headers={"Location": "/registrants/7012345"})
    )
    httpserver.expect_request("/registrants/7012345").respond_with_data(
        gmc_entry(PRIYA), content_type="text/html"
    )
    result = isolated_adapter("gmc", httpserver).lookup(
        "7012345", surname="Raman", now=REFERENCE_NOW
    )
    assert result.outcome is Outcome.CLEAR
    assert result.source_url == httpserver.url_for("/registrants/7012345")


# REG-07


def test_reg07_after_five_failures_the_next_check_sends_nothing(httpserver, isolated_adapter):
    httpserver.expect_request(HCPC_PATH).respond_with_data("broken", status=500)
    adapter = isolated_adapter("hcpc", httpserver)
    for _ in range(5):
        assert look_up_amelia(adapter).outcome is Outcome.UNREADABLE
    assert len(httpserver.log) == 5
    result = look_up_amelia(adapter)
    assert result.outcome is Outcome.UNREADABLE
    assert "no request was sent" in result.detail
    assert len(httpserver.log) == 5


def test_reg07_register_answers_do_not_count_as_failures(httpserver, isolated_adapter):
    httpserver.expect_request(HCPC_PATH).respond_with_data(
        "<p>No results returned for PYL043541</p>", content_type="text/html"
    )
    gate = RegisterGate("hcpc")
    adapter = isolated_adapter("hcpc", httpserver, gate)
    for _ in range(6):
        assert look_up_amelia(adapter).outcome is Outcome.NOT_FOUND
    assert not gate.is_open()
    assert len(httpserver.log) == 6


def test_reg07_after_the_reset_timeout_one_trial_goes_through(
    httpserver, isolated_adapter, respond_in_turn
):
    handler = respond_in_turn(*[Response("broken", status=500)] * 5, amelia_page())
    httpserver.expect_request(HCPC_PATH).respond_with_handler(handler)
    gate = RegisterGate("hcpc", reset_timeout=0)
    adapter = isolated_adapter("hcpc", httpserver, gate)
    for _ in range(5):
        look_up_amelia(adapter)
    assert look_up_amelia(adapter).outcome is Outcome.CLEAR
    assert gate.breaker.current_state == "closed"


def test_reg07_reset_breakers_closes_the_shared_breakers():
    gate = shared_gate("hcpc")
    for _ in range(5):
        gate.record(failed=True)
    assert gate.is_open()
    reset_breakers()
    assert not gate.is_open()


def test_reg07_open_breaker_raises_register_unavailable_from_the_client(httpserver):
    gate = RegisterGate("hcpc", fail_max=1)
    gate.record(failed=True)
    client = RegisterClient("hcpc", gate=gate)
    with pytest.raises(RegisterUnavailable, match="no request was sent"):
        client.get(httpserver.url_for(HCPC_PATH))
    assert httpserver.log == []


# REG-09


@pytest.mark.slow
def test_reg09_concurrent_lookups_never_exceed_the_register_cap(httpserver):
    lock = threading.Lock()
    in_flight = {"now": 0, "most": 0}
    cap_reached, too_many, release = threading.Event(), threading.Event(), threading.Event()

    def hold(request: Request) -> Response:
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
            if in_flight["now"] == 2:
                cap_reached.set()
            if in_flight["now"] > 2:
                too_many.set()
        release.wait(5)
        with lock:
            in_flight["now"] -= 1
        return amelia_page()

    httpserver.expect_request(HCPC_PATH).respond_with_handler(hold)
    client = RegisterClient("hcpc", timeout=(1, 10), gate=RegisterGate("hcpc", max_concurrency=2))
    outcomes: list[int] = []

    def work() -> None:
        try:
            outcomes.append(client.get(httpserver.url_for(HCPC_PATH)).status)
        finally:
            close_register_session()

    workers = [threading.Thread(target=work) for _ in range(8)]
    for worker in workers:
        worker.start()
    assert cap_reached.wait(5)
    # Give the other six a chance to break the cap before letting everyone through.
    assert not too_many.wait(0.3)
    release.set()
    for worker in workers:
        worker.join(10)
    assert in_flight["most"] == 2
    assert outcomes == [200] * 8


def test_reg09_requests_name_the_service_in_their_user_agent(httpserver, isolated_adapter):
    httpserver.expect_request(HCPC_PATH, headers={"User-Agent": USER_AGENT}).respond_with_response(
        amelia_page()
    )
    assert look_up_amelia(isolated_adapter("hcpc", httpserver)).outcome is Outcome.CLEAR
    httpserver.check_assertions()


@pytest.mark.slow
def test_reg09_min_interval_spaces_out_request_starts(httpserver, isolated_adapter):
    starts: list[float] = []

    def record(request: Request) -> Response:
        starts.append(time.monotonic())
        return amelia_page()

    httpserver.expect_request(HCPC_PATH).respond_with_handler(record)
    adapter = isolated_adapter("hcpc", httpserver, RegisterGate("hcpc", min_interval=0.2))
    for _ in range(3):
        look_up_amelia(adapter)
    gaps = [later - earlier for earlier, later in pairwise(starts)]
    assert all(gap >= 0.18 for gap in gaps)
