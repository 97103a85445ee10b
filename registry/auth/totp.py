"""TOTP seeds (encrypted at rest), codes and recovery codes (MFA-02..05); pyotp lives here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

STEP_SECONDS = 30
VALID_WINDOW = 1  # one step either side, never more (MFA-04)


def new_seed() -> str:
    """A fresh 160-bit base32 seed from a CSPRNG."""
    return pyotp.random_base32()


def _key(encoded_key: str) -> bytes:
    key = base64.b64decode(encoded_key)
    if len(key) != 32:
        raise ValueError("TOTP_ENCRYPTION_KEY must be base64 of exactly 32 bytes")
    return key


def encrypt_seed(seed: str, encoded_key: str, *, user_id: int) -> str:
    """AES-GCM encrypt the seed, bound to the user id so a copied value fails elsewhere."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(encoded_key)).encrypt(nonce, seed.encode(), str(user_id).encode())
    return base64.b64encode(nonce + sealed).decode()


def decrypt_seed(stored: str, encoded_key: str, *, user_id: int) -> str:
    """Decrypt a stored seed; raises if the key or the user binding is wrong."""
    raw = base64.b64decode(stored)
    return AESGCM(_key(encoded_key)).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()


def matched_timecode(seed: str, code: str, *, now: datetime) -> int | None:
    """The timecode a code belongs to, using only the server clock; None if it does not match."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(seed, interval=STEP_SECONDS)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        timecode = totp.timecode(now) + offset
        if hmac.compare_digest(totp.generate_otp(timecode), code):
            return timecode
    return None


def code_at(seed: str, moment: datetime) -> str:
    """The code an authenticator shows at a moment (demo and tests)."""
    return pyotp.TOTP(seed, interval=STEP_SECONDS).at(moment)


def provisioning_uri(seed: str, *, email: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(seed, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_svg_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI, which the CSP's img-src 'self' data: allows."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def new_recovery_codes(count: int) -> list[str]:
    """Human-friendly single-use codes: 10 random base32 characters in two groups."""
    codes = []
    for _ in range(count):
        raw = base64.b32encode(secrets.token_bytes(10)).decode()[:10].lower()
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str) -> str:
    """Recovery codes carry 50 random bits, too many to guess offline, so SHA-256 suffices."""
    normalised = code.strip().lower().replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def hash_token(token: str) -> str:
    """SHA-256 of an emailed link token; the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """256 random bits for an emailed single-use link (AUTH-08 asks for at least 128)."""
    return secrets.token_urlsafe(32)
