"""Fixtures for the public-register adapters: the simulator and a threaded httpserver."""

import threading
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from registry.registers import REGISTERS
from registry.registers.base import RegisterAdapter
from registry.registers.breakers import RegisterGate, reset_breakers
from registry.registers.http import RegisterClient
from support import RunningRegisters


@pytest.fixture(autouse=True)
def fresh_registers(register_simulator: RunningRegisters) -> None:
    """Every test starts from the seeded data, with every shared breaker closed."""
    register_simulator.app.reset()
    reset_breakers()


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's server, threaded, so a handler that waits does not block the rest."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def isolated_adapter() -> Callable[..., RegisterAdapter]:
    """Build an adapter for a local server, with its own gate so no test shares a breaker."""

    def build(code: str, server: HTTPServer, gate: RegisterGate | None = None) -> RegisterAdapter:
        client = RegisterClient(code, timeout=(1, 0.5), gate=gate or RegisterGate(code))
        return REGISTERS[code](base_url=server.url_for("/").rstrip("/"), client=client)

    return build


@pytest.fixture
def respond_in_turn() -> Callable[..., Callable[[Request], Response]]:
    """Build a handler that answers with each response in turn, then repeats the last."""

    def build(*responses: Response) -> Callable[[Request], Response]:
        queue = list(responses)
        lock = threading.Lock()

        def handler(request: Request) -> Response:
            with lock:
                return queue.pop(0) if len(queue) > 1 else queue[0]

        return handler

    return build


@pytest.fixture
def other_host() -> Iterator[HTTPServer]:
    """A second local server standing for another host, to prove it is never contacted."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()
