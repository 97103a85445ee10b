"""Per-register politeness and failure gates: a concurrency cap, a start interval, a breaker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

import pybreaker

DEFAULT_MAX_CONCURRENCY = 2
DEFAULT_MIN_INTERVAL = 0.0
BREAKER_FAIL_MAX = 5
BREAKER_RESET_TIMEOUT = 60
SLOT_WAIT_TIMEOUT = 60.0


class GateClosed(Exception):
    """The gate refused to let a request start; str() explains why in plain English."""


class _Failure(Exception):
    """Replays a transport failure into the breaker."""


def _replay(failed: bool) -> None:
    if failed:
        raise _Failure


class RegisterGate:
    """Guards one register: at most N requests at once, a minimum gap between starts, a breaker."""

    def __init__(
        self,
        code: str,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        min_interval: float = DEFAULT_MIN_INTERVAL,
        fail_max: int = BREAKER_FAIL_MAX,
        reset_timeout: float = BREAKER_RESET_TIMEOUT,
        slot_wait_timeout: float = SLOT_WAIT_TIMEOUT,
    ) -> None:
        if max_concurrency < 1 or min_interval < 0:
            raise ValueError("max_concurrency must be at least 1 and min_interval not negative")
        self.code = code
        self.max_concurrency = max_concurrency
        self.min_interval = min_interval
        self.slot_wait_timeout = slot_wait_timeout
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._storage = pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_timeout,
            state_storage=self._storage,
            name=code,
        )
        self._interval_lock = threading.Lock()
        self._next_start = 0.0
        # Never set: waiting on it with a timeout is how the gate pauses without sleeping.
        self._pause = threading.Event()

    def is_open(self) -> bool:
        """Whether the breaker refuses requests now (open, and its reset timeout not yet over)."""
        if self.breaker.current_state != pybreaker.STATE_OPEN:
            return False
        opened_at = self._storage.opened_at
        if opened_at is None:
            return True
        return datetime.now(UTC) < opened_at + timedelta(seconds=self.breaker.reset_timeout)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the register's request slots, after its turn in the start interval.

        Raises GateClosed if no slot frees up within slot_wait_timeout.
        """
        if not self._slots.acquire(timeout=self.slot_wait_timeout):
            raise GateClosed("The register is busy with other checks, so no request was sent.")
        try:
            self._wait_turn()
            yield
        finally:
            self._slots.release()

    def _wait_turn(self) -> None:
        if self.min_interval <= 0:
            return
        with self._interval_lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.min_interval
        self._pause.wait(start - now)

    def record(self, *, failed: bool) -> None:
        """Tell the breaker how a request went; only transport failures count against it."""
        # pybreaker holds its lock for the whole guarded call, which would serialise every
        # lookup to this register; so the request runs outside it and only its result passes
        # through the breaker, which keeps the half-open trial and the failure count intact.
        with suppress(_Failure, pybreaker.CircuitBreakerError):
            self.breaker.call(_replay, failed)

    def reset(self) -> None:
        """Close the breaker and forget the start interval (for tests and operators)."""
        self.breaker.close()
        with self._interval_lock:
            self._next_start = 0.0


_GATES_LOCK = threading.Lock()
_GATES: dict[str, RegisterGate] = {}


def shared_gate(
    code: str, *, max_concurrency: int | None = None, min_interval: float | None = None
) -> RegisterGate:
    """The process-wide gate of a register, created on first use with the given settings.

    Raises ValueError if settings are given that differ from the gate's: one setting per process.
    """
    with _GATES_LOCK:
        gate = _GATES.get(code)
        if gate is None:
            gate = RegisterGate(
                code,
                max_concurrency=max_concurrency or DEFAULT_MAX_CONCURRENCY,
                min_interval=DEFAULT_MIN_INTERVAL if min_interval is None else min_interval,
            )
            _GATES[code] = gate
    if (max_concurrency is not None and max_concurrency != gate.max_concurrency) or (
        min_interval is not None and min_interval != gate.min_interval
    ):
        raise ValueError(f"The {code} register gate already runs with other settings")
    return gate


def reset_breakers() -> None:
    """Close every shared breaker and forget start intervals (tests call this between tests)."""
    with _GATES_LOCK:
        gates = list(_GATES.values())
    for gate in gates:
        gate.reset()
