"""Keys for rate limits (RATE-01, RATE-02, RATE-05).

The client address is the one ProxyFix derived from the configured hop count, never a raw
X-Forwarded-For value the client sent.
"""

from flask import request


def client_address() -> str:
    """The client's IP address after ProxyFix."""
    return request.remote_addr or "unknown"


def account_key() -> str:
    """The account named in a sign-in form, normalised like the stored email address."""
    return "account:" + request.form.get("email", "").strip().lower()
