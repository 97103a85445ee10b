"""Users made by the factories, and signing in as them for real."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask.testing import FlaskClient

from registry.auth import totp
from registry.models import User

DEMO_PASSWORD = "a long enough passphrase for tests"


@dataclass
class MadeUser:
    """A user made by the factory, with the secrets a test needs to sign in as them."""

    user: User
    password: str
    seed: str | None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def email(self) -> str:
        return self.user.email

    def code(self, at: datetime | None = None) -> str:
        """The TOTP code at a moment (now by default)."""
        assert self.seed is not None
        return totp.code_at(self.seed, at or datetime.now(UTC))


def sign_in_for_real(client: FlaskClient, made: MadeUser, *, code_at: datetime | None = None):
    """Walk the real sign-in: password, then the TOTP code. Returns the code-step response."""
    response = client.post("/sign-in", data={"email": made.email, "password": made.password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.post("/sign-in/code", data={"code": made.code(code_at)})
