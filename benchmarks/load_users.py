"""The simulated people of benchmarks/load.py (a Locust file; run by load.py, not alone).

LOAD_PLAN names a JSON file with the accounts, the commissions in search and those awaiting the
panel; LOAD_HOSTS lists the app processes: with two, each user alternates between them.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.auth import totp

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
HOSTS = os.environ.get("LOAD_HOSTS", "").split(",")
NEXT_ACCOUNT = {role: itertools.count() for role in PLAN["accounts"]}
AWAITING = list(PLAN["awaiting"])
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ERROR = re.compile(r'govuk-error-message">\s*(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)<')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"0" * 20_000 + b"\ntrailer<<>>\n%%EOF\n"
NUMBERS = itertools.count(random.randrange(100_000, 800_000))


class Person(HttpUser):
    """Signs in for real once (password, then a TOTP code), then works."""

    abstract = True
    role = ""
    wait_time = between(2, 8)  # people read a page before the next click

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.email = accounts[next(NEXT_ACCOUNT[self.role]) % len(accounts)]
        self.turn = itertools.count()
        token = self.csrf("/sign-in", name="sign in")
        with self.post(
            "/sign-in",
            {"csrf_token": token, "email": self.email, "password": PLAN["password"]},
            name="sign in",
        ) as response:
            if "/sign-in/code" not in response.headers.get("Location", ""):
                response.failure(f"password step gave {response.status_code}")
                return
        # A code that expired while the server was busy is typed again, as a person would
        # (counted apart as "sign in (code typed again)"); a third refusal is an error.
        for attempt in range(3):
            token = self.csrf("/sign-in/code", name="sign in")
            code = totp.code_at(PLAN["seed"], datetime.now(UTC))
            name = "sign in" if attempt == 0 else "sign in (code typed again)"
            with self.post("/sign-in/code", {"csrf_token": token, "code": code}, name=name) as r:
                if r.status_code == 302 and "/sign-in" not in r.headers.get("Location", ""):
                    return
                if attempt == 2:
                    r.failure(f"code step gave {r.status_code}")
                else:
                    r.success()

    # Requests go to each app process in turn (one process: always the same).
    def url(self, path: str) -> str:
        return HOSTS[next(self.turn) % len(HOSTS)] + path if len(HOSTS) > 1 else path

    def get(self, path: str, *, name: str, expect: str | None = None):
        with self.client.get(
            self.url(path), name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"page without {expect!r}")
            return response

    def post(self, path: str, data, *, name: str, files=None):
        return self.client.post(
            self.url(path),
            data=data,
            files=files,
            name=name,
            catch_response=True,
            allow_redirects=False,
        )

    def csrf(self, path: str, *, name: str) -> str:
        response = self.get(path, name=name)
        match = CSRF.search(response.text or "")
        return match.group(1) if match else ""

    def posted(self, path: str, data, *, name: str, files=None, to: str | None = None) -> None:
        with self.post(path, data, name=name, files=files) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or (to and to not in location):
                said = ERROR.findall(response.text or "")[:2]
                response.failure(f"status {response.status_code} to {location!r}: {said}")


class Officer(Person):
    """Searches for eligible assessors and raises requests."""

    role = "officer"
    weight = 4

    @task(5)
    def search(self) -> None:
        commission = random.choice(PLAN["searching"])
        self.get(f"/commissions/{commission}/search", name="/commissions/[id]/search")

    @task(2)
    def commissions(self) -> None:
        self.get("/commissions", name="/commissions")

    @task(2)
    def commission(self) -> None:
        commission = random.choice(PLAN["searching"])
        self.get(f"/commissions/{commission}", name="/commissions/[id]")

    @task(1)
    def raise_request(self) -> None:
        token = self.csrf("/commissions/new", name="/commissions/new")
        needed = datetime.now(UTC).date() + timedelta(days=42)
        self.posted(
            "/commissions/new",
            {
                "csrf_token": token,
                "case_reference": f"LD/{random.randrange(10**6):06d}",
                "context": "cp_plan",
                "subject_sex": "male",
                "subject_age_band": "adult",
                "conviction_status": "convicted",
                "offence_categories": ["contact_intra_familial"],
                "assessment_type": "adult_male",
                "assessment_purpose": "risk",
                "access_to_child": "lives_in_household",
                "needed_by": [str(needed.day), str(needed.month), str(needed.year)],
                "court_permission_on": ["", "", ""],
                "questions": "What is the risk to the child?",
                "named_parties": "Mr A Parent",
                "budget": "2,500",
                "checklist-police": "requested",
                "confirmed": "yes",  # as if from the check-answers page
            },
            name="POST /commissions/new",
            to="/commissions/",
        )


class PanelMember(Person):
    """Looks at the queue and decides."""

    role = "panel_member"
    weight = 2

    @task(3)
    def queue(self) -> None:
        self.get("/commissions/panel", name="/commissions/panel")

    @task(1)
    def decision_record(self) -> None:
        commission = random.choice(PLAN["awaiting"])
        with self.client.get(
            self.url(f"/commissions/{commission}"),
            name="/commissions/[id] (panel)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(1)
    def decide(self) -> None:
        if not AWAITING:
            self.queue()
            return
        commission = AWAITING.pop()
        token = self.csrf(f"/commissions/{commission}", name="/commissions/[id] (panel)")
        self.posted(
            f"/commissions/{commission}/decision",
            {"csrf_token": token, "decision": "approve", "reason": "", "confirmed": "yes"},
            name="POST /commissions/[id]/decision",
            to=f"/commissions/{commission}",
        )


class Assessor(Person):
    """Keeps their profile: saves their identity, adds a registration, uploads a document."""

    role = "assessor"
    weight = 3

    @task(3)
    def profile(self) -> None:
        self.get("/assessor/profile", name="/assessor/profile")

    @task(2)
    def save_identity(self) -> None:
        token = self.csrf("/assessor/identity", name="/assessor/identity")
        number = self.email.split(".")[2].split("@")[0]
        self.posted(
            "/assessor/identity",
            {
                "csrf_token": token,
                "legal_given_names": "Load",
                "legal_surname": f"Assessor{number}",
                "professional_title": random.choice(["Dr", "Ms", "Mr", ""]),
            },
            name="POST /assessor/identity",
        )

    @task(2)
    def registrations(self) -> None:
        self.get("/assessor/registrations", name="/assessor/registrations")

    @task(1)
    def upload(self) -> None:
        page = self.get("/assessor/documents", name="/assessor/documents").text or ""
        if page.count("/download") >= 20:  # an assessor keeps at most 20 files (FILE-05)
            return
        match = CSRF.search(page)
        token = match.group(1) if match else ""
        self.posted(
            "/assessor/documents",
            {"csrf_token": token, "kind": "qualification", "description": "Certificate"},
            files={"file": ("certificate.pdf", PDF, "application/pdf")},
            name="POST /assessor/documents",
            to="/assessor/documents",
        )

    @task(1)
    def add_registration(self) -> None:
        token = self.csrf("/assessor/registrations/add", name="/assessor/registrations/add")
        self.posted(
            "/assessor/registrations/add",
            {
                "csrf_token": token,
                "body": "hcpc",
                "number": f"PYL{next(NUMBERS)}",
                "profession": "practitioner_psychologist",
            },
            name="POST /assessor/registrations/add",
            to="/assessor/registrations",
        )


class Manager(Person):
    """Vets, watches registrations, manages users and failed jobs."""

    role = "register_manager"
    weight = 1

    @task(2)
    def vetting(self) -> None:
        self.get("/vetting", name="/vetting")

    @task(2)
    def registrations(self) -> None:
        self.get("/verification", name="/verification")

    @task(1)
    def users(self) -> None:
        self.get("/users", name="/users")

    @task(1)
    def failed_jobs(self) -> None:
        self.get("/background-jobs/failed", name="/background-jobs/failed")
