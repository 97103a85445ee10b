"""Keys, values and storage failover for rate limits (RATE-01, RATE-02, RATE-03, RATE-05, RATE-06).

The client address is the one ProxyFix derived from the configured hop count, never a raw
X-Forwarded-For value the client sent. Per-account limits key on the signed-in user.

While the limiter's Redis is unreachable, each process counts on its own in memory (never "no
limit"); every limit is then divided by RATELIMIT_FALLBACK_PROCESSES so that the processes
together allow about the configured value. The fallback is logged once when it starts and once
when it ends, and counted for /metrics.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import time
from collections.abc import Callable

from flask import current_app, has_app_context, request
from flask_limiter import Limiter
from flask_login import current_user

log = logging.getLogger("registry.limits")


def client_address() -> str:
    """The client's IP address after ProxyFix."""
    return request.remote_addr or "unknown"


def account_key() -> str:
    """The account named in a sign-in form, normalised like the stored email address."""
    return "account:" + request.form.get("email", "").strip().lower()


def signed_in_key(kind: str) -> Callable[[], str]:
    """A key for a per-account limit: the signed-in user's id, with the kind of limit in front
    (so two limits on one endpoint never share a count, even with equal values)."""

    def key() -> str:
        user_id = (current_user.get_id() or "").partition(":")[0] if current_user else ""
        return f"{kind}:user:{user_id or client_address()}"

    return key


_AMOUNT = re.compile(r"^\s*(\d+)")


def scaled(value: str) -> str:
    """The limit to apply now: as configured, or divided between the processes while each
    process counts on its own (the storage fallback)."""
    processes = (
        current_app.config.get("RATELIMIT_FALLBACK_PROCESSES", 1) if has_app_context() else 1
    )
    from registry.extensions import limiter

    if processes <= 1 or not limiter.storage_dead:
        return value
    match = _AMOUNT.match(value)
    if match is None:
        return value
    amount = max(1, math.ceil(int(match.group(1)) / processes))
    return f"{amount}{value[match.end() :]}"


def setting(name: str) -> Callable[[], str]:
    """The limit's value, read from the app's configuration at request time."""
    return lambda: scaled(current_app.config[name])


def fingerprint(text: str) -> str:
    """A short one-way name for a value kept in limiter keys (no email address in Redis)."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class FailoverState:
    """Counts of storage fallbacks in this process, for /metrics."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fallbacks = 0
        self.recoveries = 0
        self.since: float | None = None


class RegistryLimiter(Limiter):
    """Flask-Limiter with the storage failover logged once per transition and counted, and the
    return to Redis tried every RATELIMIT_RECOVERY_CHECK_SECONDS (the library backs off to about
    a minute).

    Flask-Limiter marks its storage dead or alive by setting `_storage_dead`; this class turns
    that attribute into a property, so that every transition, wherever the library makes it,
    passes through one place.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.failover = FailoverState()
        self._dead = False
        self._last_recovery_check = 0.0
        super().__init__(*args, **kwargs)

    @property
    def storage_dead(self) -> bool:
        return self._dead

    @property
    def _storage_dead(self) -> bool:
        return self._dead

    @_storage_dead.setter
    def _storage_dead(self, dead: bool) -> None:
        state = self.failover
        with state.lock:
            was, self._dead = getattr(self, "_dead", False), bool(dead)
            if dead and not was:
                state.fallbacks += 1
                state.since = time.monotonic()
                log.warning(
                    "ratelimit.fallback_started",
                    extra={"event": "fallback", "storage": self._storage_scheme()},
                )
            elif was and not dead:
                state.recoveries += 1
                seconds = round(time.monotonic() - (state.since or time.monotonic()), 1)
                state.since = None
                log.warning(
                    "ratelimit.fallback_ended",
                    extra={
                        "event": "recovery",
                        "storage": self._storage_scheme(),
                        "seconds": seconds,
                    },
                )

    def _storage_scheme(self) -> str:
        storage = getattr(self, "_storage", None)
        return type(storage).__name__.removesuffix("Storage").lower() if storage else "unknown"

    def _Limiter__should_check_backend(self) -> bool:
        every = 5.0
        if has_app_context():
            every = float(current_app.config.get("RATELIMIT_RECOVERY_CHECK_SECONDS", every))
        now = time.monotonic()
        if now - self._last_recovery_check >= every:
            self._last_recovery_check = now
            return True
        return False
