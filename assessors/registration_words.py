"""What a registration's latest check means for the assessor, and what to do next, in words."""

from __future__ import annotations

from dataclasses import dataclass

# outcome -> (category of the message, what the register showed, what happens next)
_WORDS = {
    "clear": (
        "success",
        "The register shows you as registered, with no restrictions.",
        "Nothing more to do: it is checked again every week.",
    ),
    "restricted": (
        "warning",
        "The register shows a restriction on your registration (conditions, a caution or "
        "undertakings).",
        "A register manager will read the conditions and record what they found. You cannot be "
        "offered commissions while a restriction is shown.",
    ),
    "blocked": (
        "warning",
        "The register shows your registration as not in force (suspended, removed, lapsed or "
        "ended).",
        "If this is wrong, contact the regulator, then ask a register manager to check again. If "
        "you entered the wrong number, correct the registration.",
    ),
    "not_found": (
        "warning",
        "The register has no entry for the number you gave.",
        "Check the number on your certificate and correct the registration.",
    ),
    "name_mismatch": (
        "warning",
        "The register shows a different name for this number.",
        "Make sure your name on the register is your legal name as the regulator holds it, or "
        "correct the number.",
    ),
    "unreadable": (
        "warning",
        "The public register could not be read.",
        "It is tried again automatically; you do not need to do anything.",
    ),
    "expired": (
        "warning",
        "The last check of the register is out of date.",
        "It is checked again automatically; you do not need to do anything.",
    ),
    "unchecked": (
        "warning",
        "The register has not been checked yet.",
        "A register manager will check it.",
    ),
}


@dataclass(frozen=True)
class CheckWords:
    """A message's category, what the register showed and what happens next."""

    category: str
    shown: str
    next_step: str

    @property
    def sentence(self) -> str:
        return f"{self.shown} {self.next_step}"


def check_words(outcome: str) -> CheckWords:
    """The words for a registration's standing (an outcome, "expired" or "unchecked")."""
    return CheckWords(*_WORDS.get(outcome, _WORDS["unchecked"]))
