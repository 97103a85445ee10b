"""The one way the tests build a configuration: config_for."""

from __future__ import annotations

from config import Config, TestConfig


def config_for(
    database_url: str | None = None, *, base: type[Config] = TestConfig, **overrides: object
) -> type[Config]:
    """A subclass of base (TestConfig unless told) on a database, with some settings overridden.

    Every test that needs a configuration builds it here: `config_for(url)`, `config_for(url,
    MAIL_PORT=...)`, `config_for(POLICY_PATH=...)` to check validation alone, or
    `config_for(base=ProductionConfig, **settings)` for production's rules.
    """
    attributes = dict(overrides)
    if database_url is not None:
        attributes["SQLALCHEMY_DATABASE_URI"] = database_url
    return type(f"{base.__name__}UnderTest", (base,), attributes)
