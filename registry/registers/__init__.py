"""Adapters for the public professional registers, listed by hand: no discovery, no plugins."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import requests

from registry.registers.base import LookupResult, Outcome, RegisterAdapter, RegisterUnavailable
from registry.registers.breakers import reset_breakers
from registry.registers.gmc import Gmc
from registry.registers.hcpc import Hcpc
from registry.registers.http import DEFAULT_TIMEOUT
from registry.registers.nmc import Nmc
from registry.registers.numbers import (
    AUTOMATED_BODIES,
    BODY_NAMES,
    MANUAL_BODIES,
    InvalidNumber,
    normalise_number,
    normalise_number_with_warning,
)
from registry.registers.social_work_england import SocialWorkEngland

__all__ = [
    "AUTOMATED_BODIES",
    "BODY_NAMES",
    "LIVE_BASE_URLS",
    "MANUAL_BODIES",
    "REGISTERS",
    "InvalidNumber",
    "LookupResult",
    "Outcome",
    "RegisterAdapter",
    "RegisterUnavailable",
    "get_register",
    "normalise_number",
    "normalise_number_with_warning",
    "reset_breakers",
]

REGISTERS: MappingProxyType[str, type[RegisterAdapter]] = MappingProxyType(
    {
        "hcpc": Hcpc,
        "swe": SocialWorkEngland,
        "gmc": Gmc,
        "nmc": Nmc,
    }
)

# The live sites (REGISTERS.md). Configuration chooses the base URL; these are its values in
# production, and tests and the demo point every register at the simulator instead.
LIVE_BASE_URLS = MappingProxyType(
    {
        "hcpc": "https://www.hcpc-uk.org",
        "swe": "https://www.socialworkengland.org.uk",
        "gmc": "https://www.gmc-uk.org",
        "nmc": "https://www.nmc.org.uk",
    }
)


def get_register(
    code: str,
    *,
    base_url: str,
    session: requests.Session | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    **kwargs: Any,
) -> RegisterAdapter:
    """The adapter of a register, talking to base_url. Raises KeyError for an unknown code."""
    return REGISTERS[code](base_url=base_url, session=session, timeout=timeout, **kwargs)
