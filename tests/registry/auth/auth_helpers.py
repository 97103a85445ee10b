"""Helpers for the security tests: the browser-like client, production settings, parsers."""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jinja2.bccache import Bucket, BytecodeCache

from config import ProductionConfig, TestConfig
from registry.auth.sessions import PUBLIC_ENDPOINTS
from registry.auth.totp import code_at
from registry.models import Role
from support import MadeUser, config_for

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_SETTINGS = {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}
ROLES = tuple(Role)

REDIS_URL = "redis://127.0.0.1:6379/15"
# One prefix per test process: runs on SQLite and PostgreSQL may share the Redis database.
# (Flask-Limiter keeps the first prefix it is given for the life of its module-level instance.)
REDIS_KEY_PREFIX = f"security-tests-{os.getpid()}-"


# --------------------------------------------------------------------------- clients


class SecurityClient(FlaskClient):
    """A test client that sends a valid CSRF token with every unsafe request, as our forms do.

    Each request also runs in a context of its own. The suite's `db` fixture keeps an app context
    pushed for the whole test, and Flask reuses it for requests, so `g` would carry Flask-Login's
    loaded user and Flask-WTF's token from one request (and one client) to the next. In
    production every request starts afresh; so do these.
    """

    send_csrf = True

    def csrf_token(self) -> str:
        """A valid token for this client's session, made the way Flask-WTF makes one."""
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
            raw = session["csrf_token"]
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args: Any, **kwargs: Any):
        method = str(kwargs.get("method", "GET")).upper()
        if self.send_csrf and method in UNSAFE_METHODS:
            data = kwargs.get("data")
            data = {} if data is None else data
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return contextvars.Context().run(super().open, *args, **kwargs)

    def session_cookie(self) -> str | None:
        """The value of the session cookie the client holds, if any."""
        cookie = self.get_cookie(self.application.config["SESSION_COOKIE_NAME"])
        return cookie.value if cookie else None


# --------------------------------------------------------------------------- apps


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole run: every test builds a new app, and compiling the
    GOV.UK macros again for each one would dominate the run time."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()


def production_settings(database_url: str, **overrides: object) -> dict[str, object]:
    """Every setting of a valid ProductionConfig (validate() passes), on the suite's database."""
    attributes = {
        "SECRET_KEY": "0123456789abcdef" * 4,
        "TOTP_ENCRYPTION_KEY": TestConfig.TOTP_ENCRYPTION_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": REDIS_KEY_PREFIX,
        "TRUSTED_HOSTS": ["localhost"],
        "EXTERNAL_BASE_URL": "https://localhost",
        **overrides,
    }
    config_class = config_for(base=ProductionConfig, **attributes)
    config_class.validate()
    return {name: getattr(config_class, name) for name in dir(config_class) if name.isupper()}


def location(response) -> str:
    """The path (and query) a redirect points at."""
    return response.headers.get("Location", "")


def redirect_path(response) -> str | None:
    """The path of a redirect's target, or None when the response is not a redirect."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return location(response).split("?", 1)[0].removeprefix("http://localhost")


def text_of(response) -> str:
    """The body as text."""
    return response.get_data(as_text=True)


def password_step(client: FlaskClient, made: MadeUser, *, password: str | None = None):
    """Post the sign-in form (email and password) and return the response."""
    return client.post(
        "/sign-in",
        data={"email": made.email, "password": made.password if password is None else password},
    )


def totp_step(client: FlaskClient, made: MadeUser, at: datetime | None = None):
    """Post the code the user's authenticator shows at a moment (now by default)."""
    return client.post("/sign-in/code", data={"code": made.code(at or datetime.now(UTC))})


def signed_in_client(app: Flask, made: MadeUser) -> SecurityClient:
    """A new client signed in as the user through the real password and TOTP steps."""
    client = app.test_client()
    assert redirect_path(password_step(client, made)) == "/sign-in/code"
    assert redirect_path(totp_step(client, made)) == "/"
    return client  # type: ignore[return-value]


@dataclass(frozen=True)
class Cookie:
    """One Set-Cookie header, parsed."""

    name: str
    value: str
    attributes: dict[str, str]


def set_cookies(response) -> list[Cookie]:
    """Every cookie a response sets."""
    cookies = []
    for header in response.headers.getlist("Set-Cookie"):
        first, *rest = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        attributes = {}
        for part in rest:
            key, _, attribute_value = part.partition("=")
            attributes[key.lower()] = attribute_value
        cookies.append(Cookie(name=name, value=value, attributes=attributes))
    return cookies


class _FormFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.scripts: list[dict[str, str | None]] = []
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attributes, "inputs": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form["inputs"].append(attributes)
        elif tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def parse_html(html: str) -> _FormFinder:
    """The forms (with their inputs) and the script tags of a page."""
    finder = _FormFinder()
    finder.feed(html)
    return finder


def element_text(html: str, element_id: str) -> str:
    """The text inside the element with this id (one level, as our templates write it)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(1).strip()


# --------------------------------------------------------------------------- the URL map


class Samples:
    """Objects that exist, for the URL arguments of the walk. Add a property for a new kind."""

    def __init__(self, make_user: Callable[..., MadeUser]) -> None:
        self._make_user = make_user

    @cached_property
    def staff_user(self) -> MadeUser:
        return self._make_user(Role.OFFICER, full_name="Sample Officer")


# URL argument name -> its sample value.
SAMPLE_VALUES: dict[str, Callable[[Samples], object]] = {
    "user_id": lambda samples: samples.staff_user.id,
    "token": lambda samples: "x",
    # No such object: allowed roles get 404, everyone else is refused before the lookup.
    "registration_id": lambda samples: 999_999,
    "check_id": lambda samples: 999_999,
    "assessor_id": lambda samples: 999_999,
    "document_id": lambda samples: 999_999,
    "review_id": lambda samples: 999_999,
    "decision_id": lambda samples: 999_999,
    "item_id": lambda samples: 999_999,
    "commission_id": lambda samples: 999_999,
    "grant_id": lambda samples: 999_999,
    "dbs_id": lambda samples: 999_999,
    "sha256": lambda samples: "0" * 64,
    "section": lambda samples: "qualifications",
}


def routes(app: Flask) -> list:
    """Every rule of the URL map except static files."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def methods_of(rule) -> list[str]:
    """The methods a rule answers, without the automatic HEAD and OPTIONS."""
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def url_for_rule(rule, samples: Samples) -> str:
    """The rule's URL with sample values for its arguments."""
    missing = rule.arguments - SAMPLE_VALUES.keys()
    assert not missing, f"add sample values for {sorted(missing)} to SAMPLE_VALUES"
    values = {name: SAMPLE_VALUES[name](samples) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


# Each sign-in stage and the only pages (besides public ones) a session in it may reach.
STAGE_PAGES = {
    "password": {"auth.password_first", "auth.sign_out"},
    "enrol": {"auth.mfa_enrol", "auth.mfa_enrol_start", "auth.mfa_enrol_confirm", "auth.sign_out"},
    "code": {"auth.second_factor", "auth.recovery_code", "auth.sign_out"},
}


def assert_only_stage_pages_reachable(app, client, make_user, stage: str, home: str) -> None:
    """Every other non-public route redirects the half-signed-in client to the stage's page."""
    samples = Samples(make_user)
    leaks = {}
    for rule in routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint in STAGE_PAGES[stage]:
            continue
        for method in methods_of(rule):
            url = url_for_rule(rule, samples)
            target = redirect_path(client.open(url, method=method))
            if target != home:
                leaks[f"{method} {url}"] = target
    assert leaks == {}


# --------------------------------------------------------------------------- journeys


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment pages showed: the seed (once) and the ten recovery codes (once)."""

    seed: str
    codes: list[str]


def enrol_through_pages(client: FlaskClient) -> Enrolment:
    """Set up TOTP from the enrolment page of a client in the enrolment stage."""
    page = text_of(client.post("/account/two-factor/start"))
    seed = element_text(page, "totp-secret")
    confirmed = text_of(
        client.post("/account/two-factor/confirm", data={"code": code_at(seed, datetime.now(UTC))})
    )
    codes = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", confirmed)
    return Enrolment(seed=seed, codes=codes)
