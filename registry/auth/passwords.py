"""Password hashing (argon2id) and the password policy (AUTH-01..04). argon2 is used only here."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from registry.errors import ValidationFailed

DATA = Path(__file__).parent / "data"

PROFILES = {
    "rfc9106_low_memory": profiles.RFC_9106_LOW_MEMORY,
    "cheapest": profiles.CHEAPEST,  # tests only: argon2 at full cost would slow the suite
}

# Verified against when no account matches, so that an unknown email costs the same (AUTH-06).
DUMMY_HASHES = {
    "rfc9106_low_memory": "$argon2id$v=19$m=65536,t=3,p=4$R4cOHSjK02pSS+eT2DKY8A$"
    "wLNB7i7szm/SK2VBFRPJ6vGPwVZzSMG15irvB1JuLpU",
    "cheapest": "$argon2id$v=19$m=8,t=1,p=1$pWQFs2wPM2A$5I9W5Q",
}


def hasher(profile: str) -> PasswordHasher:
    """The argon2id hasher for a configured profile name."""
    return PasswordHasher.from_parameters(PROFILES[profile])


def hash_password(password: str, profile: str) -> str:
    """An argon2id hash of the password exactly as typed (no trimming or case folding)."""
    return hasher(profile).hash(password)


def verify_password(stored_hash: str | None, password: str, profile: str) -> bool:
    """True when the password matches; an absent hash still costs one verification."""
    try:
        return hasher(profile).verify(stored_hash or DUMMY_HASHES[profile], password) and bool(
            stored_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, profile: str) -> bool:
    """True when the stored hash was made with parameters other than the configured ones."""
    return hasher(profile).check_needs_rehash(stored_hash)


@cache
def _word_list(name: str) -> frozenset[str]:
    # The lists are read-only data files shipped with the code; caching them is safe.
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def check_password_policy(
    password: str, *, min_length: int, max_length: int, context: tuple[str, ...] = ()
) -> None:
    """Raise ValidationFailed when a new password is too short, common or guessable (AUTH-03/04).

    No composition rules: length, the common-password list and context words are all we check.
    """
    if len(password) < min_length:
        raise ValidationFailed(f"Password must be {min_length} characters or more", "password")
    if len(password) > max_length:
        raise ValidationFailed(f"Password must be {max_length} characters or fewer", "password")
    lowered = password.lower()
    if lowered in _word_list("common-passwords.txt"):
        raise ValidationFailed(
            "This password is one of the most commonly used. Choose a different password",
            "password",
        )
    words = _word_list("context-words.txt") | {w.lower() for w in context if len(w) >= 4}
    if any(word in lowered for word in words):
        raise ValidationFailed(
            "Password must not contain the name of this service, a council or your own name or "
            "email address",
            "password",
        )
