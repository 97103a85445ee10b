"""Whether the name on a register is the assessor's verified legal name."""

from __future__ import annotations

import re
import unicodedata

TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev", "revd"}
)
_NOT_A_LETTER = re.compile(r"[^a-z0-9]")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _keys(text: str) -> list[str]:
    """Each word folded to plain letters: case, accents, hyphens and apostrophes dropped."""
    keys = [_NOT_A_LETTER.sub("", word) for word in _fold(text).split()]
    keys = [key for key in keys if key]
    while keys and keys[0] in TITLES:
        keys.pop(0)
    return keys


def _split_register_name(register_name: str, surname_key: str) -> list[str] | None:
    """The given-name keys of the register's name if its surname is surname_key, else None."""
    if "," in register_name:
        # "SMITH, Jane" style: surname first.
        surname_part, _, given_part = register_name.partition(",")
        if "".join(_keys(surname_part)) == surname_key:
            return _keys(given_part)
        return None
    keys = _keys(register_name)
    # Multi-word surnames ("Maria de la Cruz"): try every split, given names first in line.
    for start in [*range(1, len(keys)), 0]:
        if "".join(keys[start:]) == surname_key:
            return keys[:start]
    return None


def name_matches(register_name: str, surname: str | None, given_names: str | None = None) -> bool:
    """Whether the register's name has this surname and, if given names are known, initial.

    Case, accents, hyphens, apostrophes, spaces and leading titles (Dr, Mrs, Prof...) are
    ignored. No surname means no name check, so the answer is True.
    """
    if surname is None:
        return True
    surname_key = "".join(_keys(surname))
    if not surname_key:
        return False
    register_given = _split_register_name(register_name, surname_key)
    if register_given is None:
        return False
    wanted_given = _keys(given_names or "")
    if not wanted_given:
        return True
    return bool(register_given) and register_given[0][0] == wanted_given[0][0]
