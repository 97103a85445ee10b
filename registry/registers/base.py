"""The contract every public-register adapter keeps: RegisterAdapter, LookupResult, Outcome."""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests

from registry.registers.http import DEFAULT_TIMEOUT, RegisterClient, RegisterUnavailable
from registry.vocabulary import Outcome

__all__ = ["LookupResult", "Outcome", "RegisterAdapter", "RegisterUnavailable"]


@dataclass(frozen=True)
class LookupResult:
    """One check of one registration, with the evidence it rests on (REGISTERS.md, REG-06)."""

    body: str
    number: str
    outcome: Outcome
    detail: str
    checked_at: datetime
    adapter_version: str
    source_url: str
    http_status: int | None = None
    body_sha256: str | None = None
    status_text: str = ""
    name: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    entries: tuple[str, ...] = ()
    conditions: str | None = None
    data_valid_on: str | None = None
    recheck_after: date | None = None
    # For blocked and restricted: whether it is (or may be) a sanction rather than a lapse
    # without one. Uncertain wording counts as a sanction. False for every other outcome.
    sanction: bool = False
    # The page as the register served it (bytes whose SHA-256 is body_sha256), kept as evidence
    # so that a case review can read what the register said; None when no page was read.
    page: bytes | None = field(default=None, repr=False, compare=False)
    page_type: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The result as JSON-safe values: dates and times in ISO 8601, entries as a list (the
        page's bytes are left out: its SHA-256 stands for it)."""
        out: dict[str, Any] = {}
        for item in fields(self):
            if item.name == "page":
                continue
            value = getattr(self, item.name)
            if isinstance(value, date):  # datetime is a date too
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, enum.Enum):
                value = value.value
            out[item.name] = value
        return out


class RegisterAdapter(abc.ABC):
    """Looks registrations up on one public register. Knows HTTP and parsing, nothing else.

    The base URL, session and timeout come from the caller, so tests point it at the simulator.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    version: ClassVar[str]

    def __init__(
        self,
        *,
        base_url: str,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        client: RegisterClient | None = None,
        max_concurrency: int | None = None,
        min_interval: float | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query:
            raise ValueError(f"Not a usable base URL for the {self.code} register: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.client = client or RegisterClient(
            self.code,
            timeout=timeout,
            session=session,
            max_concurrency=max_concurrency,
            min_interval=min_interval,
        )

    @abc.abstractmethod
    def lookup(
        self,
        number: str,
        *,
        surname: str | None = None,
        given_names: str | None = None,
        now: datetime,
    ) -> LookupResult:
        """Check one registration as of `now` (aware). Raises InvalidNumber before any request.

        Never raises for a network or page problem: those come back as `unreadable`. Without a
        surname there is no name check.
        """
