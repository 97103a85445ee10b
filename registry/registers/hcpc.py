"""The Health and Care Professions Council register (practitioner psychologists and others)."""

from __future__ import annotations

import re
from urllib.parse import quote

from registry.registers.base import Outcome
from registry.registers.html_adapter import HtmlRegisterAdapter, optional_text
from registry.registers.judging import LAPSE_WORDS, SANCTION_WORDS, Reading, StatusRules
from registry.registers.numbers import BODY_NAMES, hcpc_prefix, same_hcpc_number
from registry.registers.parsing import Fields, parse_period


class Hcpc(HtmlRegisterAdapter):
    """Reads the HCPC's professional registration detail page (REGISTERS.md, HCPC)."""

    code = "hcpc"
    name = BODY_NAMES["hcpc"]
    version = "hcpc-1"
    status_labels = ("Status",)
    not_found_pattern = re.compile(r"No results returned for", re.IGNORECASE)
    # "Registered" alone means no restriction, caution or conditions. The wording of the
    # sanctions is *assumed*, so anything else is judged by its words or is unreadable.
    rules = StatusRules(
        clear="Registered",
        blocked=(
            "suspen",
            "struck off",
            "striking off",
            "lapsed",
            "removed",
            "removal",
            "deregistered",
            "not registered",
            "interim order",
            "expired",
            "not renewed",
        ),
        restricted=("caution", "condition"),
        restriction_labels={
            "Conditions": Outcome.RESTRICTED,
            "Conditions of practice": Outcome.RESTRICTED,
            "Caution": Outcome.RESTRICTED,
        },
        # Suspension, striking off, conditions and caution are the HCPC's sanctions. "Lapsed"
        # (did not renew) and removal at the registrant's own request are not; a bare "Removed"
        # or "Deregistered" does not say why, so it is treated as a sanction.
        sanction=(*SANCTION_WORDS, "struck off"),
        lapse=(*LAPSE_WORDS, "deregistered (lapsed)", "voluntary deregistration"),
    )

    def entry_url(self, number: str) -> str:
        """The detail page; the profession must be the number's own letters or nothing is found."""
        return (
            f"{self.base_url}/check-the-register/professional-registration-detail/"
            f"?query={quote(number, safe='')}&profession={quote(hcpc_prefix(number), safe='')}"
        )

    def shows_number(self, shown: str, number: str) -> bool:
        """The HCPC compares numbers numerically: PYL43541 is PYL043541."""
        return same_hcpc_number("".join(shown.split()).upper(), number)

    def read_entry(self, fields: Fields, number: str) -> Reading:
        """Name, number, status and period rows, the modality, and any conditions."""
        self.require_number(fields, "Registration number", number)
        period_from, period_to = parse_period(fields.require("Period").text)
        modality = fields.get("Modality", "Domain")
        return Reading(
            status_text=fields.require("Status").text,
            name=fields.require("Name").text,
            period_from=period_from,
            period_to=period_to,
            entries=modality.items if modality is not None else (),
            restrictions=self.read_restrictions(fields),
            data_valid_on=optional_text(fields, "Data valid on"),
        )
