"""The Nursing and Midwifery Council register (nurses)."""

from __future__ import annotations

import re
from urllib.parse import quote

from registry.registers.base import Outcome
from registry.registers.html_adapter import HtmlRegisterAdapter, optional_text
from registry.registers.judging import LAPSE_WORDS, SANCTION_WORDS, Reading, StatusRules
from registry.registers.numbers import BODY_NAMES
from registry.registers.parsing import Fields, parse_uk_date


class Nmc(HtmlRegisterAdapter):
    """Reads an NMC register entry (REGISTERS.md, NMC). The lookup URL and wording are assumed."""

    code = "nmc"
    name = BODY_NAMES["nmc"]
    version = "nmc-1"
    status_labels = ("Registration status", "Status")
    not_found_pattern = re.compile(r"No (?:results|entries|one) (?:were )?found", re.IGNORECASE)
    # The NMC calls a clear entry "effective registration"; the exact status wording on the page
    # is *assumed* to be "Registered". Any other wording is judged by its words or is unreadable,
    # so a different reality shows up as unreadable on the canary, never as clear.
    rules = StatusRules(
        clear="Registered",
        blocked=(
            "lapsed",
            "suspen",
            "removed",
            "removal",
            "struck off",
            "not registered",
            "interim order",
            "expired",
            "not renewed",
        ),
        restricted=("condition", "undertaking", "caution", "warning"),
        # An entry can read "Registered" while an order is in force: these fields catch that.
        restriction_labels={
            "Conditions of practice": Outcome.RESTRICTED,
            "Conditions": Outcome.RESTRICTED,
            "Undertakings": Outcome.RESTRICTED,
            "Interim order": Outcome.RESTRICTED,
            "Interim orders": Outcome.RESTRICTED,
            "Cautions": Outcome.RESTRICTED,
        },
        # Suspension and striking-off orders are sanctions; a lapse (no revalidation or fee) and
        # voluntary removal are not. A bare "Removed" does not say which, so it is treated as a
        # sanction.
        sanction=(*SANCTION_WORDS, "striking off order", "suspension order"),
        lapse=(*LAPSE_WORDS, "lapsed (did not revalidate)", "lapsed (fee not paid)"),
    )

    def entry_url(self, number: str) -> str:
        """The entry's page. *Assumed*: the live search sits behind a form, consent and CAPTCHA."""
        return f"{self.base_url}/registration/search-the-register/{quote(number, safe='')}"

    def read_entry(self, fields: Fields, number: str) -> Reading:
        """Name, status, start and expiry dates, register entries and any restrictions."""
        start = optional_text(fields, "Start date")
        register_entry = fields.get("Register entry", "Register entries")
        return Reading(
            status_text=fields.require(*self.status_labels).text,
            name=fields.require("Name").text,
            period_from=parse_uk_date(start) if start else None,
            period_to=parse_uk_date(fields.require("Expiry date").text),
            entries=register_entry.items if register_entry is not None else (),
            restrictions=self.read_restrictions(fields),
            data_valid_on=optional_text(fields, "Data valid on"),
        )
