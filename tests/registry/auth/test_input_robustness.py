"""No input gives a 500 (IN-04): control characters, out-of-range ids, absurd numbers.

The walk is generated, not a hand list. For every rule of app.url_map, a client signed in as a
role the access matrix (test_access.ACCESS) allows:

- GETs the page with a NUL in each query parameter its GET forms name (and a few common ones);
- POSTs every form found on the page (and on the pages its URL arguments lead to) once per
  field, that field holding the payload and the others a plausible value;
- POSTs every unsafe rule with every form field name of the app holding the payload;
- opens every rule with each id argument set beyond the database's integer range.

Numeric payloads (1e400, Infinity, 20 digits, 2**40) go into every numeric-looking field the
same way. Every response must be anything but a server error. Real objects stand behind the URL
arguments (a commission of the officer's authority, the signed-in assessor's own items), so the
forms are processed, not refused with a 404.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from auth_helpers import UNSAFE_METHODS, methods_of, routes
from flask_wtf import FlaskForm
from test_access import ACCESS, PUBLIC
from werkzeug.routing import AnyConverter
from wtforms.fields.core import UnboundField

from assessors import documents, profile
from assessors.profile_data import (
    CpdData,
    DbsData,
    ExperienceData,
    InsuranceData,
    QualificationData,
    RefereeData,
    SupervisionData,
    ToolTrainingData,
)
from registry.commissions import requests as commissions
from registry.commissions.case import CaseData
from registry.models import Role
from support import DEMO_PASSWORD, MadeUser

NO_LIMITS = pytest.mark.app_settings(RATELIMIT_ENABLED=False)

NUL = "before\x00after"
LINE_BREAK = "before\r\nBcc: someone@evil.test"  # allowed through the gate: never a 500 either
CONTROL = ("\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85")
HUGE_IDS = ("0", "2147483648", "9223372036854775808", "99999999999999999999")
NUMBERS = (
    "1e400",
    "Infinity",
    "-Infinity",
    "NaN",
    "sNaN",
    "12345678901234567890",
    "-1",
    "0.001",
    str(2**40),
    str(2**63),
    "1,000,000,000,000",
    "£99999999999",
)
NUMERIC_NAME = re.compile(r"budget|count|cover|rate|hours|amount|pence|number_of", re.I)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Sent as query parameters to every GET page besides those its own GET forms name.
COMMON_QUERY = ("next", "page", "q", "language", "tool", "region", "availability")


# --------------------------------------------------------------------------- forms in pages


@dataclass
class Form:
    """One <form> of a page: where it posts, and its fields with a plausible value each."""

    action: str
    method: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values (checkboxes)
    text_like: set[str] = field(default_factory=set)
    numeric: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)


class _Forms(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_url,
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is not None and tag == "option" and self._select:
            if not self._form.fields[self._select] and a.get("value"):
                self._form.fields[self._select] = [a["value"]]
        elif self._form is not None and a.get("name"):
            handler = {"input": self._input, "textarea": self._textarea_start}.get(tag)
            if tag == "select":
                self._select = a["name"]
                self._form.fields[a["name"]] = []
                self._form.text_like.add(a["name"])
            elif handler:
                handler(self._form, a["name"], a)

    def _input(self, form: Form, name: str, a: dict[str, str]) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "button", "image", "reset"):
            return
        if kind == "file":
            form.files.add(name)
        elif kind in ("radio", "checkbox"):
            if not (kind == "radio" and name in form.fields):  # one option stands for a group
                form.fields.setdefault(name, []).append(a.get("value", "y"))
        else:
            self._text_input(form, name, kind, a)

    @staticmethod
    def _text_input(form: Form, name: str, kind: str, a: dict[str, str]) -> None:
        value = a.get("value") or plausible(name, a.get("id", ""))
        if name in form.fields and name in form.text_like:
            form.fields[name].append(value)  # the day, month and year of a GOV.UK date
        else:
            form.fields[name] = [value]
        if name != "csrf_token":
            form.text_like.add(name)
        numeric = kind == "number" or a.get("inputmode") in ("numeric", "decimal")
        if numeric or NUMERIC_NAME.search(name):
            form.numeric.add(name)

    def _textarea_start(self, form: Form, name: str, a: dict[str, str]) -> None:
        self._textarea = name
        form.fields[name] = [plausible(name, a.get("id", ""))]
        form.text_like.add(name)

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea and data.strip():
            self._form.fields[self._textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def plausible(name: str, element_id: str) -> str:
    """A value that passes the usual validators of a field with this name."""
    name = element_id if element_id.endswith(("-day", "-month", "-year")) else name
    future = any(word in name for word in ("needed", "expires", "due", "refresher"))
    guesses = (
        ("-day", "1"),
        ("-month", "6"),
        ("-year", "2030" if future else "2024"),
        ("confirm", DEMO_PASSWORD),
        ("signed_name", "Amelia Hart"),
        ("email", "someone@example.org"),
        ("url", "https://www.sssc.uk.com/the-register/"),
        ("budget", "2500"),
        ("count", "5"),
        ("cover", "5000000"),
        ("rate", "850"),
        ("hours", "10"),
        ("password", DEMO_PASSWORD),
        ("code", "000000"),
        ("number", "SC123456"),
    )
    for part, value in guesses:
        if part in name:
            return value
    return "Plausible text 1"


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(html)
    return parser.forms


def every_form_field_name() -> set[str]:
    """The field names of every FlaskForm of the app (and their GOV.UK date parts)."""
    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        for attribute in dir(form_class):
            if isinstance(getattr(form_class, attribute, None), UnboundField):
                names |= {attribute, f"{attribute}-day", f"{attribute}-month", f"{attribute}-year"}
    return names


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """Real objects for the URL arguments, and a way to sign in as each role."""

    app: object
    logged_in: object
    assessor_user: MadeUser
    users: dict[Role, MadeUser]
    ids: dict[str, int]
    items: dict[str, int]

    def client(self, endpoint: str):
        # A rule not yet in the matrix (test_ac01 insists it is added) is tried as a manager.
        allowed = ACCESS.get(endpoint, frozenset({Role.REGISTER_MANAGER}))
        if allowed == PUBLIC:
            return self.app.test_client()
        role = Role.ASSESSOR if Role.ASSESSOR in allowed else sorted(allowed)[0]
        return self.logged_in(self.assessor_user if role is Role.ASSESSOR else self.users[role])

    def urls(self, rule, **replace: str) -> Iterator[str]:
        """The rule's URL for real objects (one per section for section rules)."""
        sections = [None]
        converter = rule._converters.get("section")
        if isinstance(converter, AnyConverter):
            sections = sorted(converter.items)
        for section in sections:
            values: dict[str, object] = {}
            for name in rule.arguments:
                if name in replace:
                    continue
                if name == "section":
                    values[name] = section
                elif name == "item_id":
                    values[name] = self.items[section]
                elif name == "sha256":
                    values[name] = "0" * 64
                else:
                    values[name] = self.ids.get(name, 999_999) if name != "token" else "x"
            placeholders = {name: 424242 for name in replace}
            url = rule.build({**values, **placeholders}, append_unknown=False)[1]
            for name, value in replace.items():
                url = _replace_argument(rule, url, name, value)
            yield url


def _replace_argument(rule, url: str, name: str, value: str) -> str:
    """Put a raw value into the URL where the argument is (even one the converter refuses)."""
    return url.replace("/424242", f"/{value}", 1)


@pytest.fixture
def world(app, db, make_user, make_assessor, make_registration, logged_in) -> World:
    now = datetime.now(UTC)
    today = now.date()
    users = {role: make_user(role) for role in Role if role is not Role.ASSESSOR}
    assessor = make_assessor("Amelia", "Hart")
    assessor_user = MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)
    registration = make_registration(
        "sssc", "SC123456", assessor=assessor, profession="social_worker"
    )
    document = documents.upload_document(
        assessor.user,
        documents.NewDocument(kind="qualification", description="A file"),
        io.BytesIO(PNG),
        "evidence.png",
        now=now,
    )
    items = {
        "qualifications": ("qualification", QualificationData("MSc", "Leeds", date(2015, 6, 1))),
        "tool-training": (
            "tool_training",
            ToolTrainingData("RM2000", "Trainer", today - timedelta(200)),
        ),
        "experience": (
            "experience_entry",
            ExperienceData(
                "contact_intra_familial",
                "adult_male",
                "risk",
                24,
                today - timedelta(1500),
                today - timedelta(30),
                today - timedelta(40),
            ),
        ),
        "referees": (
            "referee",
            RefereeData("Dr Jo Bell", "Head", "Leeds NHS", "jo@example.org", "Supervisor"),
        ),
        "dbs": (
            "dbs_check",
            DbsData("enhanced_barred", "001234567890", today - timedelta(300), False, None, False),
        ),
        "insurance": (
            "insurance",
            InsuranceData("Hiscox", "PI-1", 500_000_000, today + timedelta(200), True),
        ),
        "cpd": ("cpd_record", CpdData("Workshop", today - timedelta(60), 14)),
        "supervision": (
            "supervision",
            SupervisionData("Dr Ann Moss", "Peer group", "Monthly", today - timedelta(700)),
        ),
    }
    item_ids = {
        section: profile.add_item(assessor.user, item_type, data, now=now).id
        for section, (item_type, data) in items.items()
    }
    officer = users[Role.OFFICER].user
    commission = commissions.raise_request(
        officer,
        CaseData(
            case_reference="NS/2026/0417",
            context="cp_plan",
            court_permission_on=None,
            subject_sex="male",
            subject_age_band="adult",
            conviction_status="convicted",
            learning_disability=False,
            language_needs=None,
            offence_categories=["contact_intra_familial"],
            assessment_type="adult_male",
            assessment_purpose="risk",
            access_to_child="lives_in_household",
            access_details="Alone with the child every evening",
            needed_by=today + timedelta(42),
            questions="What is the risk to the child?",
            budget_pence=250_000,
            named_parties=["Mr A Parent"],
        ),
        now=now,
    )
    commissions.start_search(officer, commission, now=now)
    ids = {
        "user_id": make_user(Role.OFFICER, full_name="Target Of Account Changes").id,
        "commission_id": commission.id,
        "assessor_id": assessor.id,
        "registration_id": registration.id,
        "document_id": document.id,
    }
    return World(app, logged_in, assessor_user, users, ids, item_ids)


# --------------------------------------------------------------------------- the walk


def _is_server_error(response) -> bool:
    return response.status_code >= 500


def _post(client, form: Form, data: dict[str, list[str]]):
    payload: dict[str, object] = {
        name: list(values) for name, values in data.items() if name != "csrf_token"
    }  # the client sends a token valid for its own session
    if form.multipart or form.files:
        for name in form.files:
            payload[name] = (io.BytesIO(PNG), "capture.png")
        return client.post(form.action, data=payload, content_type="multipart/form-data")
    return client.post(form.action, data=payload)


def _get_rules(app):
    return [rule for rule in routes(app) if "GET" in rule.methods]


def _pages(world: World) -> Iterator[tuple[str, str, list[Form]]]:
    """(endpoint, url, forms) for every GET page the endpoint's role can open."""
    for rule in _get_rules(world.app):
        for url in world.urls(rule):
            response = world.client(rule.endpoint).get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                yield rule.endpoint, url, forms_of(response.get_data(as_text=True), url)


def _endpoint_of(world: World, url: str) -> str:
    path = urlsplit(url).path
    return world.app.url_map.bind("localhost").match(path, method="POST")[0]


def _walk_forms(world: World, payloads: tuple[str, ...], *, numeric_only: bool) -> dict:
    errors: dict[str, int] = {}
    tried = 0
    for endpoint, url, forms in _pages(world):
        for form in forms:
            if form.method != "post":
                continue
            try:
                post_endpoint = _endpoint_of(world, form.action)
            except Exception:  # a form posting elsewhere: not ours to walk
                continue
            names = form.numeric if numeric_only else form.text_like
            for name in sorted(names):
                for payload in payloads:
                    data = {**form.fields, name: [payload]}
                    # The form as the page's own role posts it; fresh sign-in per post.
                    client = world.client(post_endpoint if ACCESS.get(post_endpoint) else endpoint)
                    response = _post(client, form, data)
                    tried += 1
                    if _is_server_error(response):
                        errors[f"POST {form.action} {name}={payload!r} (from {url})"] = (
                            response.status_code
                        )
    assert tried, "no form was walked"
    return errors


@pytest.mark.slow
@NO_LIMITS
def test_in04_nul_in_every_form_field_never_500(world) -> None:
    assert _walk_forms(world, (NUL, LINE_BREAK), numeric_only=False) == {}


@pytest.mark.slow
@NO_LIMITS
def test_in04_numbers_out_of_range_in_every_numeric_field_never_500(world) -> None:
    assert _walk_forms(world, NUMBERS, numeric_only=True) == {}


@NO_LIMITS
def test_in04_nul_in_every_field_name_of_the_app_on_every_unsafe_rule_never_500(world) -> None:
    names = sorted(every_form_field_name() - {"csrf_token"})
    errors = {}
    for rule in routes(world.app):
        for method in sorted(set(methods_of(rule)) & UNSAFE_METHODS):
            for url in world.urls(rule):
                client = world.client(rule.endpoint)
                response = client.open(url, method=method, data=dict.fromkeys(names, NUL))
                if _is_server_error(response):
                    errors[f"{method} {url}"] = response.status_code
    assert errors == {}


@pytest.mark.slow
@NO_LIMITS
def test_in04_nul_in_query_parameters_of_every_page_never_500(world) -> None:
    errors = {}
    for rule in _get_rules(world.app):
        for url in world.urls(rule):
            client = world.client(rule.endpoint)
            response = client.get(url)
            names = set(COMMON_QUERY)
            if response.status_code == 200 and response.mimetype == "text/html":
                for form in forms_of(response.get_data(as_text=True), url):
                    if form.method == "get":
                        names |= set(form.fields)
            for name in sorted(names):
                response = client.get(f"{url}?{urlencode({name: NUL})}")
                if _is_server_error(response):
                    errors[f"GET {url}?{name}=NUL"] = response.status_code
    assert errors == {}


@pytest.mark.slow
@NO_LIMITS
def test_in04_ids_beyond_the_integer_range_give_404_on_every_rule(world) -> None:
    outcomes = {}
    for rule in routes(world.app):
        int_arguments = [
            name
            for name, converter in rule._converters.items()
            if type(converter).__name__ in ("IntegerConverter", "IdConverter")
        ]
        for name in int_arguments:
            for value in HUGE_IDS:
                for url in world.urls(rule, **{name: value}):
                    for method in methods_of(rule):
                        client = world.client(rule.endpoint)
                        outcomes[f"{method} {url}"] = client.open(url, method=method).status_code
    assert outcomes
    assert {key: status for key, status in outcomes.items() if status != 404} == {}


@NO_LIMITS
@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_in04_control_characters_get_the_400_page(character: str, world) -> None:
    client = world.client("auth.sign_in")
    response = client.post("/sign-in", data={"email": f"a{character}@example.org", "password": "x"})
    assert response.status_code == 400
    assert "cannot be used" in response.get_data(as_text=True)
    response = client.get("/sign-in", query_string={"next": f"/{character}"})
    assert response.status_code == 400


@NO_LIMITS
def test_in04_tabs_and_line_breaks_in_multi_line_text_are_accepted(world) -> None:
    client = world.client("commissions.edit")
    commission_id = world.ids["commission_id"]
    url = f"/commissions/{commission_id}/edit"
    (form,) = [f for f in forms_of(client.get(url).get_data(as_text=True), url) if f.action == url]
    questions = "First question\r\n\tSecond question"
    response = _post(client, form, {**form.fields, "questions": [questions]})
    assert response.status_code == 302, response.get_data(as_text=True)


@NO_LIMITS
@pytest.mark.parametrize("number", ["1e400", "Infinity", "NaN", "12345678901234567890", "-1"])
def test_in04_an_absurd_budget_gets_a_field_error(number: str, world) -> None:
    client = world.client("commissions.edit")
    url = f"/commissions/{world.ids['commission_id']}/edit"
    (form,) = [f for f in forms_of(client.get(url).get_data(as_text=True), url) if f.action == url]
    response = _post(client, form, {**form.fields, "budget": [number]})
    assert response.status_code == 200
    assert "The budget must be" in response.get_data(as_text=True)


@NO_LIMITS
@pytest.mark.parametrize(
    ("section", "name", "value", "message"),
    [
        ("experience", "count", str(2**40), "Number of assessments must be between 0 and 10,000"),
        ("experience", "count", "-3", "Number of assessments must be between 0 and 10,000"),
        ("cpd", "hours", "99999999999999999999", "Hours must be between 0 and 10,000"),
        ("insurance", "cover", "Infinity", "Amount of cover must be an amount in pounds"),
        ("insurance", "cover", "10000000.01", "Amount of cover must be £10,000,000 or less"),
        ("insurance", "cover", "850.555", "Amount of cover must be in pounds and pence"),
    ],
)
def test_in04_absurd_numbers_in_the_profile_get_a_field_error(
    section: str, name: str, value: str, message: str, world
) -> None:
    client = world.client("assessors.profile_item_change")
    url = f"/assessor/profile/{section}/{world.items[section]}/change"
    (form,) = [f for f in forms_of(client.get(url).get_data(as_text=True), url) if f.action == url]
    response = _post(client, form, {**form.fields, name: [value]})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
