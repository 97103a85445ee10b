"""The shared transport against a local threaded server: REG-01 to REG-04."""

import threading
import time

import pytest
from werkzeug.wrappers import Request, Response

from registry.registers import REGISTERS, get_register
from registry.registers.base import LookupResult, Outcome, RegisterAdapter
from registry.registers.hcpc import Hcpc
from registry.registers.http import MAX_BODY_BYTES, RETRY
from registry.registers.numbers import InvalidNumber
from simulator.data import REFERENCE_NOW, seed_registrant
from simulator.pages import hcpc_entry

HCPC_PATH = "/check-the-register/professional-registration-detail/"
AMELIA = seed_registrant("hcpc", "PYL043541")


def amelia_page() -> Response:
    return Response(hcpc_entry(AMELIA), content_type="text/html; charset=utf-8")


def look_up_amelia(adapter: RegisterAdapter) -> LookupResult:
    return adapter.lookup(AMELIA.number, surname=AMELIA.legal_surname, now=REFERENCE_NOW)


# REG-01


@pytest.mark.parametrize("register", sorted(REGISTERS))
@pytest.mark.parametrize("typed", ["../admin", "1?x=", "%2e%2e/admin", "http://evil.example/"])
def test_reg01_path_and_query_tricks_get_a_form_error_and_send_nothing(httpserver, register, typed):
    adapter = get_register(register, base_url=httpserver.url_for("/").rstrip("/"))
    with pytest.raises(InvalidNumber):
        adapter.lookup(typed, now=REFERENCE_NOW)
    assert httpserver.log == []


def test_reg01_url_is_the_configured_base_plus_the_encoded_number():
    adapter = Hcpc(base_url="https://register.example/")
    assert adapter.entry_url("PYL043541") == (
        "https://register.example/check-the-register/professional-registration-detail/"
        "?query=PYL043541&profession=PYL"
    )


@pytest.mark.parametrize("base_url", ["ftp://register.example", "register.example", "https://"])
def test_reg01_base_url_must_be_http_or_https_with_a_host(base_url):
    with pytest.raises(ValueError, match="base URL"):
        Hcpc(base_url=base_url)


# REG-02


@pytest.mark.slow
def test_reg02_a_handler_that_stalls_gives_unreadable_with_a_short_timeout(
    httpserver, isolated_adapter
):
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(5)
        return amelia_page()

    httpserver.expect_request(HCPC_PATH).respond_with_handler(stall)
    try:
        started = time.monotonic()
        result = look_up_amelia(isolated_adapter("hcpc", httpserver))
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert result.outcome is Outcome.UNREADABLE
    assert result.detail == "The register did not answer in time."
    assert elapsed < 4


# REG-03


def test_reg03_retry_configuration_is_exactly_as_specified():
    assert (RETRY.total, RETRY.connect, RETRY.read, RETRY.status) == (2, 2, 1, 2)
    assert (RETRY.backoff_factor, RETRY.backoff_jitter) == (0.3, 0.3)
    assert set(RETRY.status_forcelist) == {429, 502, 503, 504}
    assert RETRY.allowed_methods == frozenset({"GET"})
    assert RETRY.respect_retry_after_header
    assert RETRY.retry_after_max == 5
    assert not RETRY.raise_on_status


def test_reg03_503_then_200_gives_the_normal_outcome(httpserver, isolated_adapter, respond_in_turn):
    handler = respond_in_turn(Response("busy", status=503), amelia_page())
    httpserver.expect_request(HCPC_PATH).respond_with_handler(handler)
    result = look_up_amelia(isolated_adapter("hcpc", httpserver))
    assert result.outcome is Outcome.CLEAR
    # The last two requests (an earlier test's late retry may land in a shared server's log).
    assert [response.status_code for _, response in httpserver.log][-2:] == [503, 200]


@pytest.mark.slow
def test_reg03_steady_503_is_unreadable_after_exactly_three_attempts(httpserver, isolated_adapter):
    httpserver.expect_request(HCPC_PATH).respond_with_data("down", status=503)
    result = look_up_amelia(isolated_adapter("hcpc", httpserver))
    assert result.outcome is Outcome.UNREADABLE
    assert result.http_status == 503
    assert len(httpserver.log) == 3


@pytest.mark.slow
def test_reg03_retry_after_of_an_hour_is_capped_at_five_seconds(
    httpserver, isolated_adapter, respond_in_turn
):
    handler = respond_in_turn(
        Response("slow down", status=429, headers={"Retry-After": "3600"}), amelia_page()
    )
    httpserver.expect_request(HCPC_PATH).respond_with_handler(handler)
    started = time.monotonic()
    result = look_up_amelia(isolated_adapter("hcpc", httpserver))
    assert time.monotonic() - started <= 15
    assert result.outcome is Outcome.CLEAR
    assert len(httpserver.log) == 2


# REG-04, at the transport


@pytest.mark.parametrize(
    "response",
    [
        Response("missing", status=404),
        Response(status=302, headers={"Location": "/elsewhere"}),
        Response('{"status": "Registered"}', content_type="application/json"),
        Response("", content_type="text/html"),
        Response(b"\x00\xff\xfe garbage", content_type="text/html"),
        Response("<table><tr><th>Status</th><td>Registered", content_type="text/html"),
    ],
    ids=["404", "redirect", "json", "empty", "binary", "truncated"],
)
def test_reg04_odd_answers_are_unreadable(httpserver, response, isolated_adapter):
    httpserver.expect_request(HCPC_PATH).respond_with_response(response)
    result = look_up_amelia(isolated_adapter("hcpc", httpserver))
    assert result.outcome is Outcome.UNREADABLE
    assert len(httpserver.log) == 1


def test_reg04_an_entry_that_also_says_no_results_is_unreadable(httpserver, isolated_adapter):
    page = hcpc_entry(AMELIA).replace("</main>", "<p>No results returned for PYL043541</p></main>")
    httpserver.expect_request(HCPC_PATH).respond_with_data(page, content_type="text/html")
    assert look_up_amelia(isolated_adapter("hcpc", httpserver)).outcome is Outcome.UNREADABLE


def test_reg04_a_page_for_another_number_is_unreadable(httpserver, isolated_adapter):
    page = hcpc_entry(seed_registrant("hcpc", "PYL31200"))
    httpserver.expect_request(HCPC_PATH).respond_with_data(page, content_type="text/html")
    result = look_up_amelia(isolated_adapter("hcpc", httpserver))
    assert result.outcome is Outcome.UNREADABLE
    assert "another number" in result.detail


def test_reg04_a_page_far_larger_than_any_entry_is_unreadable(httpserver, isolated_adapter):
    huge = "<p>" + "x" * (MAX_BODY_BYTES + 1) + "</p>"
    httpserver.expect_request(HCPC_PATH).respond_with_data(huge, content_type="text/html")
    assert look_up_amelia(isolated_adapter("hcpc", httpserver)).outcome is Outcome.UNREADABLE
