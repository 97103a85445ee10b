"""Secrets and configuration (CFG-01..06) and dependency hygiene (DEP-03, DEP-05)."""

from __future__ import annotations

import re
import runpy
import sys
from datetime import timedelta

import pytest
from auth_helpers import REDIS_URL, production_settings, redirect_path, routes, text_of
from flask import Flask, jsonify, request

from config import (
    BASE_DIR,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestConfig,
    normalise_database_url,
)
from registry import create_app
from registry.models import Role
from support import body_of, config_for

OLD_KEY = "old-secret-key-0123456789abcdef-0123456789"
NEW_KEY = "new-secret-key-0123456789abcdef-0123456789"
VALID = {
    "SECRET_KEY": "0123456789abcdef" * 4,
    "TOTP_ENCRYPTION_KEY": TestConfig.TOTP_ENCRYPTION_KEY,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app@db.internal/register",
    "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0",
    "TRUSTED_HOSTS": ["register.example.org"],
    "EXTERNAL_BASE_URL": "https://register.example.org",
}


def _production(**changes: object) -> type[ProductionConfig]:
    return config_for(base=ProductionConfig, **{**VALID, **changes})


def test_cfg01_valid_production_settings_start() -> None:
    _production().validate()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"SECRET_KEY": None}, id="no secret key"),
        pytest.param({"SECRET_KEY": ""}, id="empty secret key"),
        pytest.param({"SECRET_KEY": "too-short-0123456789abcdef"}, id="short secret key"),
        pytest.param({"DEBUG": True}, id="debug on"),
        pytest.param({"SQLALCHEMY_DATABASE_URI": "sqlite:///register.db"}, id="sqlite"),
        pytest.param({"SQLALCHEMY_DATABASE_URI": ""}, id="no database"),
        pytest.param({"TOTP_ENCRYPTION_KEY": None}, id="no TOTP key"),
    ],
)
def test_cfg01_production_refuses_to_start_unsafe(changes: dict) -> None:
    with pytest.raises(ConfigError):
        _production(**changes).validate()


def test_cfg01_sqlite_only_when_explicitly_allowed() -> None:
    _production(
        SQLALCHEMY_DATABASE_URI="sqlite:///x.db", ALLOW_SQLITE_IN_PRODUCTION=True
    ).validate()


def test_cfg01_production_app_does_not_start_unsafe() -> None:
    with pytest.raises(ConfigError):
        create_app(_production(DEBUG=True))


@pytest.mark.app_settings(SECRET_KEY=OLD_KEY)
def test_cfg01_cookie_signed_with_old_key_works_while_it_is_a_fallback(app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY])
    assert client.get("/").status_code == 200


@pytest.mark.app_settings(SECRET_KEY=OLD_KEY)
def test_cfg01_cookie_signed_with_a_retired_key_is_refused(app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[])
    assert redirect_path(client.get("/")) == "/sign-in"


@pytest.mark.app_settings(SECRET_KEY=OLD_KEY)
def test_cfg01_session_is_re_signed_with_the_new_key(app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY])
    client.get("/")
    app.config.update(SECRET_KEY_FALLBACKS=[])
    assert client.get("/").status_code == 200


# --------------------------------------------------------------------------- CFG-02

SECRETS_FROM_ENVIRONMENT = {
    "SECRET_KEY": ("SECRET_KEY", "env-secret-key-0123456789abcdef0123"),
    "TOTP_ENCRYPTION_KEY": ("TOTP_ENCRYPTION_KEY", "ZW52LXRvdHAta2V5LW9mLTMyLWJ5dGVzLWxvbmctISE="),
    "SQLALCHEMY_DATABASE_URI": (
        "DATABASE_URL",
        "postgresql+psycopg://app:db-password@db.internal/register",
    ),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", "redis://:redis-password@cache:6379/0"),
    "MAIL_USERNAME": ("MAIL_USERNAME", "smtp-user"),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", "smtp-password"),
}


def _fresh_production_config() -> type:
    """ProductionConfig as config.py defines it under the current environment."""
    return runpy.run_path(str(BASE_DIR / "config.py"))["ProductionConfig"]


def test_cfg02_production_reads_every_secret_from_the_environment(monkeypatch) -> None:
    for variable, value in SECRETS_FROM_ENVIRONMENT.values():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "older-key-one,older-key-two")
    config = _fresh_production_config()
    assert {name: getattr(config, name) for name in SECRETS_FROM_ENVIRONMENT} == {
        name: value for name, (_, value) in SECRETS_FROM_ENVIRONMENT.items()
    }
    assert config.SECRET_KEY_FALLBACKS == ["older-key-one", "older-key-two"]


def test_cfg02_production_has_no_secret_written_in_the_code(monkeypatch) -> None:
    for variable, _ in SECRETS_FROM_ENVIRONMENT.values():
        monkeypatch.delenv(variable, raising=False)
    config = _fresh_production_config()
    assert (config.SECRET_KEY, config.TOTP_ENCRYPTION_KEY, config.MAIL_PASSWORD) == (None,) * 3
    assert config.SQLALCHEMY_DATABASE_URI == ""
    assert config.RATELIMIT_STORAGE_URI == "memory://"  # which validate() refuses


def test_cfg02_development_keys_are_not_production_keys(monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = _fresh_production_config()
    assert config.SECRET_KEY != DevelopmentConfig.SECRET_KEY
    assert config.TOTP_ENCRYPTION_KEY != DevelopmentConfig.TOTP_ENCRYPTION_KEY


# --------------------------------------------------------------------------- CFG-03


@pytest.mark.app_settings(production=True)
def test_cfg03_request_for_a_foreign_host_gets_400(client) -> None:
    assert client.get("/sign-in", base_url="https://evil.test").status_code == 400


@pytest.mark.app_settings(production=True)
def test_cfg03_request_for_a_listed_host_is_served(client) -> None:
    assert client.get("/sign-in", base_url="https://localhost").status_code == 200


def test_cfg03_production_refuses_to_start_without_trusted_hosts() -> None:
    with pytest.raises(ConfigError):
        _production(TRUSTED_HOSTS=None).validate()


@pytest.mark.app_settings(WTF_CSRF_ENABLED=False)  # the CSRF cookie belongs to localhost
def test_cfg03_email_links_ignore_the_host_header(client, make_user, outbox) -> None:
    made = make_user(email="hosted@example.org")
    client.post("/password-reset", data={"email": made.email}, base_url="http://evil.test")
    (message,) = outbox.to(made.email)
    assert "evil.test" not in body_of(message)
    assert "http://localhost/password-reset/" in body_of(message)


# --------------------------------------------------------------------------- CFG-04

PROXY = {"REMOTE_ADDR": "10.0.0.2"}
FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def probed_app(app: Flask) -> Flask:
    """The app with a route that says how it sees the request."""

    def probe():
        return jsonify(secure=request.is_secure, ip=request.remote_addr)

    app.add_url_rule("/probe", "probe", probe)
    return app


@pytest.mark.app_settings(production=True)
def test_cfg04_request_through_the_proxy_is_https_from_the_client_ip(probed_app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    response = client.get(
        "/probe", base_url="http://localhost", headers=FORWARDED, environ_base=PROXY
    )
    assert response.get_json() == {"secure": True, "ip": "198.51.100.7"}


@pytest.mark.app_settings(production=True)
def test_cfg04_only_one_forwarded_hop_is_trusted(probed_app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    headers = {"X-Forwarded-For": "6.6.6.6, 198.51.100.7", "X-Forwarded-Proto": "https"}
    response = client.get(
        "/probe", base_url="http://localhost", headers=headers, environ_base=PROXY
    )
    assert response.get_json()["ip"] == "198.51.100.7"


@pytest.mark.app_settings(production=True)
def test_cfg04_csrf_referrer_check_works_behind_the_proxy(logged_in) -> None:
    client = logged_in(Role.OFFICER)
    options = {"base_url": "http://localhost", "environ_base": PROXY}
    without = client.post("/sign-out", headers=FORWARDED, **options)
    assert without.status_code == 400
    referred = {**FORWARDED, "Referer": "https://localhost/"}
    assert redirect_path(client.post("/sign-out", headers=referred, **options)) == "/sign-in"


# --------------------------------------------------------------------------- CFG-05


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///instance/register.db", "sqlite:///instance/register.db"),
        ("", ""),
    ],
)
def test_cfg05_database_url_normaliser(url: str, expected: str) -> None:
    assert normalise_database_url(url) == expected


@pytest.mark.parametrize("storage", ["memory://", "", "memcached://cache:11211"])
def test_cfg05_production_without_redis_refuses_to_start(storage: str) -> None:
    with pytest.raises(ConfigError):
        _production(RATELIMIT_STORAGE_URI=storage).validate()


def test_cfg05_production_accepts_redis_over_tls() -> None:
    _production(RATELIMIT_STORAGE_URI="rediss://cache.internal:6380/0").validate()


# --------------------------------------------------------------------------- CFG-06

COMMON = {
    "SESSION_COOKIE_NAME": "__Host-session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_PATH": "/",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
    "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=10),
    "FRESH_AUTH_WINDOW": timedelta(minutes=15),
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 3600,
    "RATELIMIT_SWALLOW_ERRORS": False,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "SIGN_IN_LIMIT_PER_ACCOUNT": "10 per 5 minutes",
    "SIGN_IN_LIMIT_PER_IP": "50 per 5 minutes",
    "CODE_LIMIT_PER_ACCOUNT": "5 per 5 minutes",
    "RESET_LINK_LIFETIME": timedelta(minutes=30),
    "REGISTER_CONNECT_TIMEOUT": 3.05,
    "REGISTER_READ_TIMEOUT": 5.0,
    "PROXY_FIX_X_FOR": 1,
    "PROXY_FIX_X_PROTO": 1,
}
PER_ENVIRONMENT = {
    "production": {
        "DEBUG": False,
        "TESTING": False,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_SSL_STRICT": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "TRUSTED_HOSTS": ["localhost"],
        "FORCE_HSTS": True,
        "PASSWORD_HASH_PROFILE": "rfc9106_low_memory",
        "DEMO_DATA_ALLOWED": False,
    },
    "development": {
        "DEBUG": True,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_PROFILE": "rfc9106_low_memory",
        "DEMO_DATA_ALLOWED": True,
    },
    "test": {
        "DEBUG": False,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,  # on in the security modules, and in one general test
        "RATELIMIT_ENABLED": False,  # on in the security modules
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_PROFILE": "cheapest",
        "DEMO_DATA_ALLOWED": False,
    },
}


def _config_class(environment: str, database_url: str) -> type:
    if environment == "production":
        return config_for(base=ProductionConfig, **production_settings(database_url))
    return {"development": DevelopmentConfig, "test": TestConfig}[environment]


@pytest.mark.parametrize("environment", PER_ENVIRONMENT)
def test_cfg06_security_settings_of_each_environment(environment: str, database_url: str) -> None:
    app = create_app(_config_class(environment, database_url))
    expected = {**COMMON, **PER_ENVIRONMENT[environment]}
    assert {name: app.config[name] for name in expected} == expected


# --------------------------------------------------------------------------- DEP-03, DEP-05


def _python_files() -> list:
    roots = ["registry", "assessors", "tests", "migrations"]
    files = [path for root in roots for path in (BASE_DIR / root).rglob("*.py")]
    return [*files, BASE_DIR / "config.py", BASE_DIR / "wsgi.py"]


def test_dep03_nothing_imports_flask_talisman() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+flask_talisman", re.M)
    importers = [str(p) for p in _python_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert importers == []


def test_dep03_flask_talisman_is_not_a_dependency() -> None:
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        assert "talisman" not in (BASE_DIR / name).read_text(encoding="utf-8").lower()


def test_dep03_the_running_app_has_not_loaded_flask_talisman(app) -> None:
    assert "flask_talisman" not in sys.modules


# Whole words of an endpoint or path ("attestation" is fine; "test" is not).
DEV_OR_TEST = re.compile(r"(?<![a-z])(demo|tests?|simulat\w*|debug|fixtures?|seed)(?![a-z])", re.I)


def test_dep05_production_url_map_has_no_demo_or_test_routes(database_url: str) -> None:
    app = create_app(_config_class("production", database_url))
    suspicious = [
        f"{rule.endpoint} {rule.rule}"
        for rule in routes(app)
        if DEV_OR_TEST.search(rule.endpoint) or DEV_OR_TEST.search(rule.rule)
    ]
    assert suspicious == []


@pytest.mark.app_settings(production=True)
def test_dep05_demo_seeding_is_refused_in_production(runner, db) -> None:
    """The demo commands are not even attached in production (create_app attaches them only
    where demo data is allowed, or in tests); where attached, they refuse outside development."""
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert (
        "No such command 'demo'" in result.output or "only allowed in development" in result.output
    )


@pytest.mark.app_settings(production=True)
def test_dep05_production_serves_no_debugger(client) -> None:
    assert "Werkzeug Debugger" not in text_of(client.get("/no-such-page"))
