"""The Social Work England register (social workers in England)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

from registry.registers.base import Outcome
from registry.registers.html_adapter import HtmlRegisterAdapter, optional_text
from registry.registers.judging import (
    LAPSE_WORDS,
    SANCTION_WORDS,
    Reading,
    StatusRules,
    Verdict,
    uk_long_date,
)
from registry.registers.numbers import BODY_NAMES
from registry.registers.parsing import Fields, parse_uk_date

RENEWAL_END = (11, 30)


class SocialWorkEngland(HtmlRegisterAdapter):
    """Reads a Social Work England register entry (REGISTERS.md, Social Work England)."""

    code = "swe"
    name = BODY_NAMES["swe"]
    version = "swe-1"
    status_labels = ("Status",)
    # *Assumed* wording of the register's "no such entry" page.
    not_found_pattern = re.compile(r"No (?:results|social workers?) (?:were )?found", re.I)
    rules = StatusRules(
        clear="Registered",
        blocked=(
            "suspen",
            "removed",
            "removal",
            "not registered",
            "struck off",
            "lapsed",
            "expired",
            "not renewed",
        ),
        restricted=("condition", "interim order", "warning", "caution"),
        # Annotations can be benign (an AMHP approval) or not; we cannot tell them apart from
        # the page, so any annotation goes to a person.
        restriction_labels={
            "Conditions": Outcome.RESTRICTED,
            "Interim order": Outcome.RESTRICTED,
            "Interim orders": Outcome.RESTRICTED,
            "Sanctions": Outcome.RESTRICTED,
            "Annotations": Outcome.RESTRICTED,
        },
        # A removal order is a fitness-to-practise sanction; a social worker who did not renew,
        # or asked to be removed, has lapsed. "Removed" or "Not registered" alone does not say
        # which, so it is treated as a sanction.
        sanction=(*SANCTION_WORDS, "removal order", "removed by order", "final order"),
        lapse=(*LAPSE_WORDS, "voluntarily deregistered", "removed: did not renew"),
    )

    def __init__(self, *, renewal_grace_until: tuple[int, int] = (12, 31), **kwargs: Any) -> None:
        """renewal_grace_until is the month and day up to which a 30 November end is re-checked
        rather than blocked; a date before December means January or later of the next year."""
        date(2001, *renewal_grace_until)  # a real date, 29 February excluded
        self.renewal_grace_until = renewal_grace_until
        super().__init__(**kwargs)

    def entry_url(self, number: str) -> str:
        """The social worker's entry."""
        return (
            f"{self.base_url}/umbraco/surface/searchregister/socialworker/{quote(number, safe='')}"
        )

    def read_entry(self, fields: Fields, number: str) -> Reading:
        """Registered name, number, status, the registered-until date and any restrictions."""
        self.require_number(fields, "Registration Number", number)
        registered_from = optional_text(fields, "Registered from")
        return Reading(
            status_text=fields.require("Status").text,
            name=fields.require("Registered name").text,
            period_from=parse_uk_date(registered_from) if registered_from else None,
            period_to=parse_uk_date(fields.require("Registered until").text),
            restrictions=self.read_restrictions(fields),
            data_valid_on=optional_text(fields, "Data valid on"),
        )

    def grace_end(self, renewal_year: int) -> date:
        """The last day of the December re-check window after 30 November of renewal_year."""
        month, day = self.renewal_grace_until
        year = renewal_year if (month, day) >= (12, 1) else renewal_year + 1
        return date(year, month, day)

    def judge_period(self, reading: Reading, today: date) -> Verdict | None:
        """As for every register, except that in December a 30 November end needs a re-check."""
        verdict = super().judge_period(reading, today)
        end = reading.period_to
        if verdict is None or end is None or today <= end or (end.month, end.day) != RENEWAL_END:
            return verdict
        # Renewal closes on 30 November and the register is updated from 1 December, so for a
        # while an old end date does not mean the registration lapsed.
        window_end = self.grace_end(end.year)
        if today <= window_end:
            return Verdict(
                Outcome.UNREADABLE,
                f"Renewal window: re-check after {uk_long_date(window_end)}. Social Work England "
                f"updates its register from 1 December, so “Registered until "
                f"{uk_long_date(end)}” does not yet mean the registration has lapsed.",
                recheck_after=window_end,
            )
        return verdict
