"""Finding raw codes in what a page shows: the check that no page prints a code for a word.

A code is a snake_case token (it has an underscore) that is a value of a vocabulary enum
(registry/vocabulary.py) or a code of the eligibility policy (a profession, a tool, a
qualification, a body). Single words that are also English ("clear", "male", "adult") are not
checked: they read as words. A code printed with its underscores turned into spaces is caught
only where the result is not English (SPACED_CODES: "Cp plan", "contact extra familial").
Email addresses are left out, since test accounts are named after
roles ("axe.register_manager@example.test").
"""

from __future__ import annotations

import re
from functools import cache

from config import BASE_DIR
from registry.policy import load_policy
from registry.vocabulary import codes

TOKEN = re.compile(r"(?<![\w.@-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![\w@-])")
EMAIL = re.compile(r"\S+@\S+")
# Codes whose underscores a template replaced with spaces, and that no label says.
SPACED_CODES = (
    "cp plan",
    "contact extra familial",
    "contact intra familial",
    "hsb young person",
    "young person hsb",
    "online iioc",
    "enhanced barred",
    "pre proceedings",
)
SPACED = re.compile(
    r"\b(?:" + "|".join(re.escape(code) for code in SPACED_CODES) + r")", re.IGNORECASE
)


@cache
def known_codes() -> frozenset[str]:
    """Every snake_case code of the vocabulary and of the policy file."""
    policy = load_policy(BASE_DIR / "policy" / "eligibility.toml")
    from_policy = {
        *(body.code for body in policy.bodies),
        *(profession.code for profession in policy.professions),
        *(tool.code for tool in policy.tools),
        *(kind.code for kind in policy.qualifications),
    }
    return frozenset(code for code in {*codes(), *from_policy} if "_" in code)


def codes_shown(text: str) -> list[str]:
    """The codes in this visible text, in order (empty when the page speaks only in words)."""
    text = EMAIL.sub(" ", text)
    found = [token for token in TOKEN.findall(text) if token in known_codes()]
    return found + SPACED.findall(text)
