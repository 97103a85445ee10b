"""The General Medical Council's register of doctors (psychiatrists)."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

from registry.registers.base import Outcome
from registry.registers.html_adapter import HtmlRegisterAdapter, optional_text
from registry.registers.http import REDIRECT_STATUSES, FetchedPage, RegisterUnavailable
from registry.registers.judging import LAPSE_WORDS, SANCTION_WORDS, Reading, StatusRules
from registry.registers.numbers import BODY_NAMES
from registry.registers.parsing import Fields

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int, bool] | None:
    """Scheme, host, port and "has credentials" of a URL. Raises ValueError for a broken URL."""
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    if not parts.hostname or port is None:
        return None
    has_credentials = parts.username is not None or parts.password is not None
    return parts.scheme.lower(), parts.hostname.lower(), port, has_credentials


class Gmc(HtmlRegisterAdapter):
    """Reads a doctor's entry on the GMC register (REGISTERS.md, GMC)."""

    code = "gmc"
    name = BODY_NAMES["gmc"]
    version = "gmc-1"
    status_labels = ("Registration status", "Status")
    # *Assumed* wording of the register's "no such doctor" page.
    not_found_pattern = re.compile(
        r"(?:could not|couldn't|cannot) find a doctor|No (?:doctors?|results) (?:were )?found",
        re.IGNORECASE,
    )
    rules = StatusRules(
        clear="Registered with a licence to practise",
        blocked=(
            "without a licence",
            "no licence",
            "not registered",
            "provisional",
            "suspen",
            "erased",
            "erasure",
            "interim order",
            "removed",
            "relinquished",
            "lapsed",
            "revoked",
            "not renewed",
        ),
        restricted=("condition", "undertaking", "warning"),
        restriction_labels={
            "Conditions": Outcome.RESTRICTED,
            "Undertakings": Outcome.RESTRICTED,
            "Warnings": Outcome.RESTRICTED,
            "Interim orders": Outcome.BLOCKED,
            "Interim order": Outcome.BLOCKED,
        },
        # Erasure by a tribunal and suspension are sanctions. Administrative erasure (a fee or
        # revalidation not kept up), voluntary erasure, relinquished registration and
        # provisional registration are not. A bare "Removed" or "without a licence" does not say
        # why, so it is treated as a sanction.
        sanction=(*SANCTION_WORDS, "erased", "erasure", "revoked"),
        lapse=(
            *LAPSE_WORDS,
            "administrative erasure",
            "administratively erased",
            "erased for administrative reasons",
            "voluntary erasure",
            "voluntarily erased",
            "relinquished",
            "provisionally registered",
        ),
    )

    def entry_url(self, number: str) -> str:
        """The doctor's page; the register may redirect it to /registrants/{number}."""
        return f"{self.base_url}/doctors/{quote(number, safe='')}"

    def fetch(self, url: str) -> FetchedPage:
        """The page, following at most one redirect and only on the configured host (REG-05)."""
        page = self.client.get(url)
        if page.status not in REDIRECT_STATUSES:
            return page
        followed = self.client.get(self._redirect_target(page))
        if followed.status in REDIRECT_STATUSES:
            raise RegisterUnavailable(
                "The register redirected more than once, so the entry was not read.",
                url=followed.url,
                http_status=followed.status,
                body_sha256=followed.sha256,
            )
        return followed

    def _redirect_target(self, page: FetchedPage) -> str:
        location = page.headers.get("Location", "")
        try:
            target = urljoin(page.url, location)
            origin = _origin(target)
        except ValueError:
            origin = None
        if not location or origin is None or origin != _origin(self.base_url):
            raise RegisterUnavailable(
                "The register redirected to another site, which was not contacted.",
                url=page.url,
                http_status=page.status,
                body_sha256=page.sha256,
            )
        return target

    def read_entry(self, fields: Fields, number: str) -> Reading:
        """Name, reference number, status, specialist register entries and any restrictions."""
        self.require_number(fields, "GMC reference number", number)
        specialist = fields.get("Specialist register")
        return Reading(
            status_text=fields.require(*self.status_labels).text,
            name=fields.require("Name").text,
            entries=specialist.items if specialist is not None else (),
            restrictions=self.read_restrictions(fields),
            data_valid_on=optional_text(fields, "Data valid on"),
        )
