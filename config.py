"""Configuration classes, chosen by APP_ENV (development, test, production).

Every setting that can differ between deployments is read from the environment here and nowhere
else. ProductionConfig.validate() refuses to start with an unsafe combination (CFG-01, CFG-05,
RATE-04).
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent

LIVE_REGISTER_URLS = {
    "hcpc": "https://www.hcpc-uk.org",
    "swe": "https://www.socialworkengland.org.uk",
    "gmc": "https://www.gmc-uk.org",
    "nmc": "https://www.nmc.org.uk",
}


# The simulator's known-good numbers (simulator/data.py CANARY_NUMBERS).
SIMULATOR_CANARY_NUMBERS = {
    "hcpc": "PYL000100",
    "swe": "SW100",
    "gmc": "7000100",
    "nmc": "00A0100Z",
}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app must not start."""


def normalise_database_url(url: str) -> str:
    """Rewrite platform-style PostgreSQL URLs to the psycopg 3 driver (CFG-05)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The limits an operator may set from the environment (RATE-01, RATE-03).
FEATURE_LIMITS = (
    "SIGN_IN_LIMIT_PER_ACCOUNT",
    "SIGN_IN_LIMIT_PER_IP",
    "SIGN_IN_CEILING_PER_IP",
    "RESET_LIMIT_PER_ACCOUNT",
    "RESET_LIMIT_PER_IP",
    "SEARCH_LIMIT_PER_ACCOUNT",
    "WHY_NOT_LIMIT_PER_ACCOUNT",
    "REGISTRATION_ADD_LIMIT_PER_ACCOUNT",
    "REGISTER_CHECK_LIMIT_PER_ACCOUNT",
    "UPLOAD_LIMIT_PER_ACCOUNT",
    "EXPORT_LIMIT_PER_ACCOUNT",
)


def _is_rate_limit(value: object) -> bool:
    """True for one limit such as "60 per minute" or "10/hour" (a positive count)."""
    pattern = r"\s*[1-9]\d{0,8}\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*"
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


class Config:
    """Settings shared by every environment; subclasses override what differs."""

    ENV_NAME = "base"
    SERVICE_NAME = "Sexual-risk assessor register"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS")
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    # The owner role's URL (LOG-05): migrations and the audit purge use it; the app never does.
    # Unset where one role does everything (SQLite in development, the tests).
    DATABASE_OWNER_URL = normalise_database_url(os.environ.get("DATABASE_OWNER_URL", "")) or None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    ALLOW_SQLITE_IN_PRODUCTION = _env_bool("ALLOW_SQLITE_IN_PRODUCTION")
    DEBUG = False
    TESTING = False
    DEMO_DATA_ALLOWED = False

    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS") or None
    PREFERRED_URL_SCHEME = "https"
    # Links in emails are built from this, never from the request's Host header (CFG-03).
    EXTERNAL_BASE_URL = os.environ.get("EXTERNAL_BASE_URL", "http://127.0.0.1:5000")
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "1"))
    PROXY_FIX_X_PROTO = int(os.environ.get("PROXY_FIX_X_PROTO", "1"))

    # Sessions (SES-05, SES-06, SES-07)
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=10)
    FRESH_AUTH_WINDOW = timedelta(minutes=15)
    FORCE_HSTS = False

    # Accounts
    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 256
    PASSWORD_HASH_PROFILE = "rfc9106_low_memory"  # noqa: S105 (a profile name, not a secret)
    RESET_LINK_LIFETIME = timedelta(minutes=30)
    INVITATION_LIFETIME = timedelta(days=7)
    ONE_TIME_PASSWORD_LIFETIME = timedelta(days=3)
    TOTP_ISSUER = "Assessor register"
    RECOVERY_CODE_COUNT = 10

    # Forms and uploads (FILE-01)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_SSL_STRICT = True
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Evidence files live outside the web root (FILE-03).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    # FILE-06: None, or the dotted path of a callable scan(data: bytes) -> None that raises on
    # infection (and OSError when the scanner cannot be reached: the upload is then refused).
    ANTIVIRUS_SCAN = os.environ.get("ANTIVIRUS_SCAN") or None

    # Rate limits (RATE-01..06): the values are the documented decisions of SECURITY.md.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_SWALLOW_ERRORS = False
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in and reset limits that fit an office behind one address (RATE-01, RATE-03,
    # docs/requirements/rate-limits.md): only failures count; per address, failures on accounts
    # that do not exist count once per distinct address typed, and a much higher ceiling counts
    # every failure. Each is "N per second|minute|hour|day" or "N per M minutes".
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "10 per 5 minutes")
    SIGN_IN_LIMIT_PER_IP = os.environ.get("SIGN_IN_LIMIT_PER_IP", "50 per 5 minutes")
    SIGN_IN_CEILING_PER_IP = os.environ.get("SIGN_IN_CEILING_PER_IP", "300 per 5 minutes")
    CODE_LIMIT_PER_ACCOUNT = "5 per 5 minutes"
    EMAIL_LINK_LIMIT_PER_IP = "5 per 15 minutes"
    RESET_LIMIT_PER_ACCOUNT = os.environ.get("RESET_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    RESET_LIMIT_PER_IP = os.environ.get("RESET_LIMIT_PER_IP", "100 per 15 minutes")
    # While Redis is unreachable each process counts on its own (RATE-06): every limit is then
    # divided by this number (set it to the number of gunicorn workers) so that the processes
    # together allow about the limit, not N times it. The limiter looks for Redis again every
    # RATELIMIT_RECOVERY_CHECK_SECONDS.
    RATELIMIT_FALLBACK_PROCESSES = int(os.environ.get("RATELIMIT_FALLBACK_PROCESSES", "1"))
    RATELIMIT_RECOVERY_CHECK_SECONDS = float(
        os.environ.get("RATELIMIT_RECOVERY_CHECK_SECONDS", "5")
    )
    # A Redis that hangs must not hold a web request: fail over to the fallback within a second.
    RATELIMIT_STORAGE_OPTIONS: ClassVar[dict] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    INVITE_LIMIT_PER_ACCOUNT = "30 per hour"
    # Per-account limits on what triggers lookups on a public register, heavy queries or files
    # (RATE-03, docs/requirements/rate-limits.md). Each is "N per second|minute|hour|day".
    SEARCH_LIMIT_PER_ACCOUNT = os.environ.get("SEARCH_LIMIT_PER_ACCOUNT", "60 per minute")
    WHY_NOT_LIMIT_PER_ACCOUNT = os.environ.get("WHY_NOT_LIMIT_PER_ACCOUNT", "30 per minute")
    REGISTRATION_ADD_LIMIT_PER_ACCOUNT = os.environ.get(
        "REGISTRATION_ADD_LIMIT_PER_ACCOUNT", "10 per hour"
    )
    REGISTER_CHECK_LIMIT_PER_ACCOUNT = os.environ.get(
        "REGISTER_CHECK_LIMIT_PER_ACCOUNT", "30 per hour"
    )
    UPLOAD_LIMIT_PER_ACCOUNT = os.environ.get("UPLOAD_LIMIT_PER_ACCOUNT", "30 per hour")
    EXPORT_LIMIT_PER_ACCOUNT = os.environ.get("EXPORT_LIMIT_PER_ACCOUNT", "10 per hour")

    # Email
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")  # smtp | outbox
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_STARTTLS = _env_bool("MAIL_USE_STARTTLS")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Assessor register <no-reply@register.invalid>")
    MAIL_TIMEOUT = 10
    MAIL_OUTBOX_DIR: str | None = None

    # Public registers (REG-01, REG-02): base URLs only from configuration.
    REGISTER_HCPC_URL = os.environ.get("REGISTER_HCPC_URL", LIVE_REGISTER_URLS["hcpc"])
    REGISTER_SWE_URL = os.environ.get("REGISTER_SWE_URL", LIVE_REGISTER_URLS["swe"])
    REGISTER_GMC_URL = os.environ.get("REGISTER_GMC_URL", LIVE_REGISTER_URLS["gmc"])
    REGISTER_NMC_URL = os.environ.get("REGISTER_NMC_URL", LIVE_REGISTER_URLS["nmc"])
    REGISTER_CONNECT_TIMEOUT = 3.05
    REGISTER_READ_TIMEOUT = 5.0
    # A web request waits this long for an on-demand check, then says "pending" (REG-08).
    REGISTER_CHECK_DEADLINE = 10.0
    # verify-due claims registrations for this long, so two runs never check one twice.
    VERIFY_CLAIM_MINUTES = 30
    # One known-good number per register for `flask registers canary` (JSON object).
    REGISTER_CANARY_NUMBERS = json.loads(os.environ.get("REGISTER_CANARY_NUMBERS", "{}"))

    # Audit retention (LOG-06): security events kept between 6 months and 2 years.
    SECURITY_EVENT_RETENTION_DAYS = int(os.environ.get("SECURITY_EVENT_RETENTION_DAYS", "365"))

    # Background jobs (RQ) on Redis: emails, register checks, the scheduled work (issue 13).
    # JOBS_INLINE runs what would be a job at once in the web process (development without a
    # worker, and the tests); production always uses the queue.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL") or os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/0"
    )
    JOBS_INLINE = _env_bool("JOBS_INLINE")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "registry")
    EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "8"))
    # Seals waiting emails' bodies (AES-GCM); the TOTP key when unset.
    OUTBOX_ENCRYPTION_KEY = os.environ.get("OUTBOX_ENCRYPTION_KEY") or None

    LOG_JSON = True
    # /metrics answers requests from loopback (a scraper on the same host, or the proxy refusing
    # to forward /metrics), or any request carrying "Authorization: Bearer <METRICS_TOKEN>".
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None

    # Panel approvals needed besides the requester before a commission is approved (AC-06).
    PANEL_QUORUM = int(os.environ.get("PANEL_QUORUM", "1"))
    # A newly granted register manager or panel member confirms nothing, and decides no commission,
    # for this many days after their grant was confirmed (AC-09, docs/decisions/0008).
    GRANT_SETTLING_DAYS = int(os.environ.get("GRANT_SETTLING_DAYS", "7"))

    # The eligibility policy: one reviewed file in the repository, validated at start-up.
    POLICY_PATH = str(BASE_DIR / "policy" / "eligibility.toml")

    @classmethod
    def validate(cls) -> None:
        """Raise ConfigError when the settings are unsafe for this environment."""
        days = cls.SECURITY_EVENT_RETENTION_DAYS
        if not 183 <= days <= 731:
            raise ConfigError("SECURITY_EVENT_RETENTION_DAYS must be between 183 and 731")
        for name in FEATURE_LIMITS:
            if not _is_rate_limit(getattr(cls, name)):
                raise ConfigError(f"{name} must read like '60 per minute'")
        if not 1 <= cls.GRANT_SETTLING_DAYS <= 90:
            raise ConfigError("GRANT_SETTLING_DAYS must be between 1 and 90")
        if not 1 <= cls.RATELIMIT_FALLBACK_PROCESSES <= 256:
            raise ConfigError("RATELIMIT_FALLBACK_PROCESSES must be between 1 and 256")
        if not 1 <= cls.RATELIMIT_RECOVERY_CHECK_SECONDS <= 300:
            raise ConfigError("RATELIMIT_RECOVERY_CHECK_SECONDS must be between 1 and 300")
        if cls.METRICS_TOKEN is not None and len(cls.METRICS_TOKEN) < 32:
            raise ConfigError("METRICS_TOKEN must be at least 32 characters when set")


class DevelopmentConfig(Config):
    """`make run`: SQLite in the instance folder, debug, demo data, the register simulator."""

    ENV_NAME = "development"
    DEBUG = True
    DEMO_DATA_ALLOWED = True
    # Development-only keys: ProductionConfig refuses to start without real ones.
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-not-for-production")
    TOTP_ENCRYPTION_KEY = os.environ.get(
        "TOTP_ENCRYPTION_KEY", "ZGV2ZWxvcG1lbnQtb25seS10b3RwLWtleS0zMmJ5dGU="
    )
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'register.db'}")
    )
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_OUTBOX_DIR = str(BASE_DIR / "instance" / "outbox")
    JOBS_INLINE = _env_bool("JOBS_INLINE", True)  # `make run` sets 0 and starts a worker
    WTF_CSRF_SSL_STRICT = False
    SIMULATOR_URL = os.environ.get("REGISTER_SIMULATOR_URL", "http://127.0.0.1:5001")
    REGISTER_HCPC_URL = os.environ.get("REGISTER_HCPC_URL", SIMULATOR_URL)
    REGISTER_SWE_URL = os.environ.get("REGISTER_SWE_URL", SIMULATOR_URL)
    REGISTER_GMC_URL = os.environ.get("REGISTER_GMC_URL", SIMULATOR_URL)
    REGISTER_NMC_URL = os.environ.get("REGISTER_NMC_URL", SIMULATOR_URL)
    REGISTER_CANARY_NUMBERS = SIMULATOR_CANARY_NUMBERS
    LOG_JSON = False


class TestConfig(Config):
    """pytest: a database per run, fast password hashing, CSRF and rate limits off by default.

    The security test modules switch CSRF and rate limiting back on (SECURITY.md).
    """

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-0123456789abcdef"  # noqa: S105 (test only)
    TOTP_ENCRYPTION_KEY = "dGVzdC1vbmx5LXRvdHAta2V5LTMyLWJ5dGVzLWxvbmc="
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///" + str(BASE_DIR / "instance" / "test.db"))
    )
    PASSWORD_HASH_PROFILE = "cheapest"  # noqa: S105 (a profile name, not a secret)
    WTF_CSRF_ENABLED = False
    WTF_CSRF_SSL_STRICT = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "smtp"
    MAIL_PORT = 0  # the test SMTP server's port is set by the fixture
    JOBS_INLINE = True  # the job tests run real workers with JOBS_INLINE off
    JOBS_REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/7")
    EXTERNAL_BASE_URL = "http://localhost"
    SIMULATOR_URL = "http://127.0.0.1:9"  # replaced by the register_simulator fixture
    REGISTER_HCPC_URL = SIMULATOR_URL
    REGISTER_SWE_URL = SIMULATOR_URL
    REGISTER_GMC_URL = SIMULATOR_URL
    REGISTER_NMC_URL = SIMULATOR_URL
    REGISTER_CANARY_NUMBERS = SIMULATOR_CANARY_NUMBERS
    REGISTER_CHECK_DEADLINE = 3.0
    LOG_JSON = True


class ProductionConfig(Config):
    """Behind a TLS-terminating reverse proxy, on PostgreSQL and Redis; fails fast."""

    ENV_NAME = "production"
    FORCE_HSTS = _env_bool("FORCE_HSTS", True)
    # No default: emailed links must name the public HTTPS address.
    EXTERNAL_BASE_URL = os.environ.get("EXTERNAL_BASE_URL")
    # Search terms and email addresses never reach error logs as SQL parameters.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True, "hide_parameters": True}

    @classmethod
    def validate(cls) -> None:
        """Refuse to start without a strong secret key, on SQLite, with debug, or memory limits."""
        super().validate()
        if not cls.SECRET_KEY or len(cls.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY must be set to at least 128 random bits (32 hex chars)")
        if not cls.TOTP_ENCRYPTION_KEY:
            raise ConfigError("TOTP_ENCRYPTION_KEY must be set (base64 of 32 random bytes)")
        if cls.DEBUG:
            raise ConfigError("DEBUG must be off in production")
        url = cls.SQLALCHEMY_DATABASE_URI
        if not url:
            raise ConfigError("DATABASE_URL must be set in production")
        if url.startswith("sqlite") and not cls.ALLOW_SQLITE_IN_PRODUCTION:
            raise ConfigError("SQLite is refused in production unless ALLOW_SQLITE_IN_PRODUCTION")
        if not cls.RATELIMIT_STORAGE_URI.startswith(("redis://", "rediss://")):
            raise ConfigError("RATELIMIT_STORAGE_URI must point at Redis in production")
        if not cls.TRUSTED_HOSTS:
            raise ConfigError("TRUSTED_HOSTS must list the service's host names in production")
        cls._validate_urls_and_mail()

    @classmethod
    def _validate_urls_and_mail(cls) -> None:
        """Emailed links and register lookups over HTTPS only; real email only."""
        if not (cls.EXTERNAL_BASE_URL or "").startswith("https://"):
            raise ConfigError("EXTERNAL_BASE_URL must be set to the service's https:// address")
        if cls.MAIL_BACKEND != "smtp":
            raise ConfigError("MAIL_BACKEND must be smtp in production (outbox is development)")
        for code in ("HCPC", "SWE", "GMC", "NMC"):
            if not str(getattr(cls, f"REGISTER_{code}_URL")).startswith("https://"):
                raise ConfigError(f"REGISTER_{code}_URL must be an https:// address")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration class named by APP_ENV (production when unset: fail safe)."""
    name = os.environ.get("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
