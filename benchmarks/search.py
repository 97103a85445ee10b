"""Benchmark of the eligible-search page (GET /commissions/<id>/search).

For each backend (SQLite always; PostgreSQL when reachable) the script:

1. creates a scratch database, migrates it to head and seeds it through the real seed command,
   `flask demo seed --assessors N` (the demo users, and N synthetic admitted assessors in bulk);
2. adds a benchmark fixture to the synthetic assessors, straight into the database: the bulk
   seed leaves their registrations unverified (the register simulator does not know their
   numbers), so a realistic share of them is given a recent clear VerificationCheck row, and
   tool training, CPD, supervision, older DBS certificates and further checks are spread so that
   about 10-20% are eligible for the typical case and the rest fail for varied reasons (see
   `fixture_plan`);
3. raises a typical commission in-process (an adult man, contact intra-familial offending) and
   moves it to the search stage;
4. serves the app with gunicorn (a DevelopmentConfig with DEBUG off: CSRF on, real sign-in),
   signs the demo officer in over HTTP (password, then a TOTP code) and measures with `hey`, a
   native load generator, the same connections for the same time: a trivial route (GET /health,
   one SELECT 1) and the search page: requests per second, p50 and p95 latency, and the ratio of
   the two throughputs (machine-independent);
5. counts, in-process against the same data, the SQL statements of one search page with
   PAGE_SIZE 10 and 50, and with the candidate list cut to a tenth (a register of N/10), with
   the candidate cache cold and warm, and profiles find_eligible with cProfile.

It does this for registers of 1,000, 10,000 and 100,000 assessors.

    .venv/bin/python benchmarks/search.py                  # the issue's run; updates BENCHMARKS.md
    .venv/bin/python benchmarks/search.py --sizes 1000 --seconds 5 --no-postgres   # quick
    .venv/bin/python benchmarks/search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/x

--postgres names the server: the script always works in a scratch database called bench_search
on it (dropped and recreated), never in the database the URL names.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import os
import platform
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_ASSESSORS = 10_000
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SCRATCH_DATABASE = "bench_search"
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}
OFFICER = "officer@northshire.example"
OFFICER_SEED = "JBSWY3DPEHPK3PXPOFFICER2"  # registry/demo.py USERS
TARGET_P95_MS = 50.0
TARGET_P95_LARGE_MS = 100.0
TARGET_RATIO = 0.25
SECTION = "## Eligible search"
BENCH_REDIS = "redis://127.0.0.1:6379/5"
ENV_DATABASE = "SEARCH_BENCH_DATABASE_URL"


# --------------------------------------------------------------------------- the app


def bench_config(database_url: str) -> type:
    """DevelopmentConfig (demo data, simulator URLs) on the scratch database, with DEBUG off."""
    from config import DevelopmentConfig

    return type(
        "SearchBenchConfig",
        (DevelopmentConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DEBUG": False,
            "LOG_JSON": True,
            # The load generator sends thousands of searches a minute from one officer; the
            # limiter still runs on every request, with a limit it never reaches.
            "SEARCH_LIMIT_PER_ACCOUNT": "1000000 per minute",
            # Jobs go to a queue of the benchmark's own, as in production (no worker: the
            # benchmark runs the one job it measures itself).
            "JOBS_INLINE": False,
            "JOBS_REDIS_URL": BENCH_REDIS,
        },
    )


def gunicorn_app() -> Any:
    """What gunicorn serves: `gunicorn --pythonpath benchmarks 'search:gunicorn_app()'`."""
    from registry import create_app

    return create_app(bench_config(os.environ[ENV_DATABASE]))


# --------------------------------------------------------------------------- databases


def scratch_postgres(server_url: str) -> str | None:
    """A fresh bench_search database on the server, or None when the server is unreachable."""
    import sqlalchemy as sa

    url = sa.make_url(server_url)
    if SCRATCH_DATABASE in PROTECTED_DATABASES:  # pragma: no cover (a constant)
        raise SystemExit("refusing to use a protected database")
    admin = sa.create_engine(
        url.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{SCRATCH_DATABASE}"')
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL not reachable at {url.render_as_string()}: {error.orig}")
        return None
    finally:
        admin.dispose()
    return url.set(database=SCRATCH_DATABASE).render_as_string(hide_password=False)


def drop_postgres(database_url: str) -> None:
    import sqlalchemy as sa

    url = sa.make_url(database_url)
    assert url.database == SCRATCH_DATABASE
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
    admin.dispose()


# --------------------------------------------------------------------------- seeding


@dataclass
class Seeded:
    commission_id: int
    assessors: int
    candidates: int = 0
    eligible: int = 0
    seconds: float = 0.0


SEED_CACHE = REPO / "instance" / "bench-seeds"
# What the seeded data depends on (migrations are applied to a kept copy, as to any database).
SEED_INPUTS = ("demo",)


def seed(app: Any, assessors: int) -> Seeded:
    """Migrate, run `flask demo seed --assessors N`, add the fixture, raise the commission.

    A seeded register is kept (a SQLite file under instance/bench-seeds, a PostgreSQL template
    database) and copied into the scratch database next time, as long as the code that builds
    it and the UK date are unchanged: seeding 100,000 assessors takes minutes, copying seconds.
    The date is in the key because the fixture's register checks are dated from today."""
    started = time.perf_counter()
    key = _seed_key(assessors)
    reused = _restore_seeded(app, key)
    if reused is None:
        commission_id = _seed_afresh(app, assessors)
        _keep_seeded(app, key, commission_id)
    else:
        commission_id = reused
    return Seeded(commission_id, assessors, seconds=time.perf_counter() - started)


def _seed_afresh(app: Any, assessors: int) -> int:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--assessors", str(assessors)])
    if result.exit_code != 0:
        raise RuntimeError(f"flask demo seed failed: {result.output}\n{result.exception!r}")
    with app.app_context():
        add_fixture(datetime.now(UTC))
        commission_id = raise_commission(datetime.now(UTC))
        from registry.extensions import db

        db.engine.dispose()
    return commission_id


def _seed_key(assessors: int) -> str:
    import hashlib

    from registry.clock import uk_date_of

    digest = hashlib.sha256(f"{assessors} {uk_date_of(datetime.now(UTC))}".encode())
    for function in (_seed_afresh, fixture_plan, add_fixture, raise_commission):
        digest.update(inspect.getsource(function).encode())
    for name in SEED_INPUTS:
        root = REPO / name
        for path in sorted([root] if root.is_file() else root.rglob("*.py")):
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return f"{assessors}_{digest.hexdigest()[:12]}"


def _database(app: Any) -> Any:
    import sqlalchemy as sa

    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])


def _dispose(app: Any) -> None:
    with app.app_context():
        from registry.extensions import db

        db.engine.dispose()


def _restore_seeded(app: Any, key: str) -> int | None:
    """Copy the kept register into the app's (empty) database; its commission id, or None."""
    url = _database(app)
    kept = SEED_CACHE / f"{key}.{url.get_backend_name()}.json"
    if not kept.exists():
        return None
    commission_id = int(kept.read_text())
    _dispose(app)
    if url.get_backend_name() == "sqlite":
        source = SEED_CACHE / f"{key}.db"
        if not source.exists():
            return None
        for leftover in (url.database, f"{url.database}-wal", f"{url.database}-shm"):
            Path(leftover).unlink(missing_ok=True)
        _sqlite_copy(source, url.database)
        _upgrade(app)
        return commission_id
    template = f"bench_seed_{key}"
    with _admin(url) as connection:
        if not connection.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %s", (template,)
        ).scalar():
            return None
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')
    _upgrade(app)
    return commission_id


def _upgrade(app: Any) -> None:
    """Migrations added since the copy was kept, applied to the copy."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    _dispose(app)


def _keep_seeded(app: Any, key: str, commission_id: int) -> None:
    """Keep the freshly seeded register for the next run (only today's are kept)."""
    url = _database(app)
    SEED_CACHE.mkdir(parents=True, exist_ok=True)
    _dispose(app)
    size = key.split("_")[0]
    if url.get_backend_name() == "sqlite":
        for old in SEED_CACHE.glob(f"{size}_*.db"):
            old.unlink()
        _sqlite_copy(url.database, SEED_CACHE / f"{key}.db")
    else:
        template = f"bench_seed_{key}"
        with _admin(url) as connection:
            for (old,) in connection.exec_driver_sql(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"bench_seed_{size}_%",)
            ):
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            # A connection the seeding left checked out would block the copy: end it.
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (url.database,),
            )
            connection.exec_driver_sql(f'CREATE DATABASE "{template}" TEMPLATE "{url.database}"')
    (SEED_CACHE / f"{key}.{url.get_backend_name()}.json").write_text(str(commission_id))


def _sqlite_copy(source: Any, target: Any) -> None:
    """A consistent copy of a SQLite database, its write-ahead log included (the backup API)."""
    import sqlite3

    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


class _admin:
    """An AUTOCOMMIT connection to the server's postgres database."""

    def __init__(self, url: Any) -> None:
        import sqlalchemy as sa

        self.engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> Any:
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()
        self.engine.dispose()


def fixture_plan(n: int) -> dict[str, Any]:
    """What the fixture gives synthetic assessor n (deterministic), with the gate's shares.

        Register check (the bulk registrations are HCPC practitioner psychologists):
          45% clear within the last 25 days, as a forensic or clinical psychologist  -> passes
           5% clear and recent, but as an educational psychologist (not accepted)     -> regulated
          10% clear 35-85 days ago (a candidate in SQL, stale for the gate)           -> fresh
           5% clear 40 days ago, then restricted (conditions) 5 days ago              -> restriction
          10% not found on the register (not a candidate)
          25% never checked (not a candidate)
        Tool training: 75% Static-99R 1-2 years ago; 10% RM2000 trained 4-5 years ago (refresher
        lapsed); 15% none; 5% of trainings await a manager's review (decision 0007), the rest are
    accepted. CPD: 85% within 10 months, 10% 14-20 months ago, 5% none. Supervision: 85%.
        DBS: 8% get a certificate issued 4 years ago, off the Update Service. The bulk seed's own
        spread adds attestations up to 150 days old (about 20% stale) and insurance that ends before
        the needed-by date for about 4%.
    """
    rng = random.Random(n)
    roll = rng.random()
    if roll < 0.45:
        check = ("fresh", rng.choice(["Forensic psychologist", "Clinical psychologist"]))
    elif roll < 0.50:
        check = ("fresh", "Educational psychologist")
    elif roll < 0.60:
        check = ("stale", "Forensic psychologist")
    elif roll < 0.65:
        check = ("restricted", "Clinical psychologist")
    elif roll < 0.75:
        check = ("not_found", "")
    else:
        check = ("none", "")
    tool = rng.random()
    cpd = rng.random()
    return {
        "check": check,
        "check_age": rng.randint(0, 25) if check[0] == "fresh" else rng.randint(35, 85),
        "tool": "STATIC99R" if tool < 0.75 else "RM2000" if tool < 0.85 else None,
        "cpd_days": rng.randint(5, 300) if cpd < 0.85
        else rng.randint(430, 600) if cpd < 0.95 else None,
        "supervision": rng.random() < 0.85,
        "old_dbs": rng.random() < 0.08,
        "training_pending": rng.random() < 0.05,
    }  # fmt: skip


def add_fixture(now: datetime) -> None:  # noqa: C901 (one branch per kind of row)
    """Insert the fixture rows for every synthetic assessor (a benchmark fixture, not a seed)."""
    from sqlalchemy import insert, select, update

    from demo.bulk import PREFIX, accept
    from registry.clock import uk_date_of
    from registry.extensions import db
    from registry.models import (
        Assessor,
        CpdRecord,
        DbsCheck,
        Registration,
        Supervision,
        ToolTraining,
        User,
        VerificationCheck,
    )
    from registry.models.verification import CheckMethod

    today = uk_date_of(now)
    rows = db.session.execute(
        select(Assessor.id, Registration.id, User.email)
        .join(User, User.id == Assessor.user_id)
        .join(Registration, Registration.assessor_id == Assessor.id)
        .where(User.email.like(f"{PREFIX}%"))
    ).all()
    checks, trainings, cpds, supervisions, old_dbs = [], [], [], [], []
    pending: set[int] = set()
    stamp = {"created_at": now, "updated_at": now}
    base_check = {
        "method": CheckMethod.AUTOMATIC,
        "performed_by_label": "benchmark fixture",
        "status_text": "Registered",
        "detail": "",
        "source_url": "http://127.0.0.1:5001/benchmark-fixture",
        "http_status": 200,
        "adapter_version": "benchmark-fixture",
        "conditions": None,
        "period_from": today - timedelta(days=700),
        "period_to": today + timedelta(days=400),
    }
    for assessor_id, registration_id, email in rows:
        n = int(email[len(PREFIX) :].split("@")[0])
        plan = fixture_plan(n)
        kind, entry = plan["check"]
        checked_at = now - timedelta(days=plan["check_age"], hours=1)
        if kind in ("fresh", "stale", "restricted"):
            checks.append(
                {
                    **base_check,
                    "registration_id": registration_id,
                    "checked_at": now - timedelta(days=40) if kind == "restricted" else checked_at,
                    "outcome": "clear",
                    "entries": [entry],
                    "name_on_register": f"Synthetic Assessor{n}",
                }
            )
        if kind == "restricted":
            checks.append(
                {
                    **base_check,
                    "registration_id": registration_id,
                    "checked_at": now - timedelta(days=5),
                    "outcome": "restricted",
                    "status_text": "Conditions of practice",
                    "conditions": "Must practise under supervision",
                    "entries": [entry],
                    "name_on_register": f"Synthetic Assessor{n}",
                }
            )
        if kind == "not_found":
            checks.append(
                {
                    **base_check,
                    "registration_id": registration_id,
                    "checked_at": checked_at,
                    "outcome": "not_found",
                    "status_text": "",
                    "period_from": None,
                    "period_to": None,
                    "entries": [],
                    "name_on_register": None,
                }
            )
        if plan["tool"] == "STATIC99R":
            trained = today - timedelta(days=365 + n % 365)
            trainings.append(
                {"assessor_id": assessor_id, "tool_code": "STATIC99R", "trainer": "Clearinghouse",
                 "trained_on": trained, "owner_approved": False, **stamp}
            )  # fmt: skip
        elif plan["tool"] == "RM2000":
            trained = today - timedelta(days=1500 + n % 300)
            trainings.append(
                {"assessor_id": assessor_id, "tool_code": "RM2000", "trainer": "Birmingham",
                 "trained_on": trained, "owner_approved": False, **stamp}
            )  # fmt: skip
        if plan["cpd_days"] is not None:
            cpds.append(
                {"assessor_id": assessor_id, "title": "Risk assessment update", "hours": 6,
                 "completed_on": today - timedelta(days=plan["cpd_days"]), **stamp}
            )  # fmt: skip
        if plan["supervision"]:
            supervisions.append(
                {"assessor_id": assessor_id, "supervisor_name": "Dr Peer",
                 "arrangement": "Monthly peer review", "frequency": "Monthly",
                 "started_on": today - timedelta(days=700), **stamp}
            )  # fmt: skip
        if plan["old_dbs"]:
            old_dbs.append(assessor_id)
        if plan["training_pending"]:
            pending.add(assessor_id)
    for start in range(0, len(checks), 1000):
        db.session.execute(insert(VerificationCheck), checks[start : start + 1000])
    for model, values in (
        (ToolTraining, trainings),
        (CpdRecord, cpds),
        (Supervision, supervisions),
    ):
        for start in range(0, len(values), 1000):
            batch = values[start : start + 1000]
            ids = db.session.scalars(
                insert(model).returning(model.id, sort_by_parameter_order=True), batch
            ).all()
            # Items count only once accepted (decision 0007); a few are awaiting review.
            accept(
                model,
                [
                    (v["assessor_id"], i)
                    for v, i in zip(batch, ids, strict=True)
                    if not (model is ToolTraining and v["assessor_id"] in pending)
                ],
                now,
            )
    for start in range(0, len(old_dbs), 1000):
        db.session.execute(
            update(DbsCheck)
            .where(DbsCheck.assessor_id.in_(old_dbs[start : start + 1000]))
            .values(issued_on=today - timedelta(days=4 * 365), update_service=False)
        )
    db.session.commit()


def raise_commission(now: datetime) -> int:
    """The typical case: an adult man convicted of intra-familial contact offending."""
    from sqlalchemy import select

    from registry.commissions import requests
    from registry.commissions.case import CaseData
    from registry.extensions import db
    from registry.models import User

    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    data = CaseData(
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
        needed_by=now.date() + timedelta(days=42),
        questions="What is the risk to the child?",
        budget_pence=250_000,
        named_parties=["Mr A Parent", "Ms B Partner"],
    )
    commission = requests.raise_request(officer, data, now=now)
    requests.start_search(officer, commission, now=now)
    return commission.id


def raise_few_commission(now: datetime, typical_id: int) -> int:
    """A case few are eligible for (a subject with a learning disability, two kinds of offending):
    the page then explains why nobody else is, from counts a job makes."""
    from dataclasses import replace

    from sqlalchemy import select

    from registry.commissions import requests
    from registry.extensions import db
    from registry.models import Commission, User

    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    typical = db.session.get(Commission, typical_id)
    data = replace(
        _case_data_of(typical),
        case_reference="NS/2026/0418",
        learning_disability=True,
        offence_categories=["contact_intra_familial", "iioc"],
    )
    commission = requests.raise_request(officer, data, now=now)
    requests.start_search(officer, commission, now=now)
    return commission.id


def _case_data_of(commission: Any) -> Any:
    from dataclasses import fields

    from registry.commissions.case import CaseData

    return CaseData(**{f.name: getattr(commission, f.name) for f in fields(CaseData)})


def count_why_nobody(app: Any, commission_id: int) -> float:
    """Run the count job for the few-eligible case in-process, as a worker would; its seconds."""
    import redis

    redis.Redis.from_url(BENCH_REDIS).flushdb()
    with app.app_context():
        from registry.commissions import shortfall

        started = time.perf_counter()
        shortfall.count_in_background(commission_id)
        seconds = time.perf_counter() - started
        from registry.extensions import db

        db.session.remove()
        db.engine.dispose()
    return seconds


# --------------------------------------------------------------------------- in-process figures


@dataclass
class InProcess:
    candidates: int
    eligible: int
    pages: int
    queries: dict[str, int] = field(default_factory=dict)
    median_ms: float = 0.0
    cold_ms: float = 0.0
    profile: str = ""


def measure_in_process(app: Any, commission_id: int) -> InProcess:
    """Query counts, in-process timing and a profile of find_eligible on the seeded data."""
    from sqlalchemy import event

    from registry.clock import utc_now
    from registry.commissions import queries, search
    from registry.extensions import db
    from registry.models import Commission

    with app.app_context():

        def run(*, page_size: int = 10, cut: int = 1, cold: bool = True) -> tuple[int, Any, float]:
            if cold:
                search.clear_cache()
            db.session.remove()
            commission = db.session.get(Commission, commission_id)
            real_candidates = search.candidate_ids
            statements = []

            def count(*_args: Any) -> None:
                statements.append(1)

            def candidates(*args: Any, **kwargs: Any) -> list[int]:
                ids = real_candidates(*args, **kwargs)
                return ids[: len(ids) // cut] if cut > 1 else ids

            saved_size = search.PAGE_SIZE
            search.PAGE_SIZE, search.candidate_ids = page_size, candidates
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                started = time.perf_counter()
                page = search.find_eligible(commission, search.Filters(), now=utc_now())
                elapsed = time.perf_counter() - started
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
                search.PAGE_SIZE, search.candidate_ids = saved_size, real_candidates
            return len(statements), page, elapsed

        run()  # warm caches (policy, compiled statements)
        queries = {}
        queries["page size 10"], page, _ = run(page_size=10)
        queries["page size 50"], _, _ = run(page_size=50)
        queries["register / 10"], _, _ = run(cut=10)
        cold = [run()[2] for _ in range(3)]
        # The same page again, the register unchanged: the gate's verdicts are kept (0014).
        run(page_size=50)
        queries["kept, page size 50"], _, _ = run(page_size=50, cold=False)
        run()
        queries["kept, page size 10"], _, _ = run(cold=False)
        timings = [run(cold=False)[2] for _ in range(5)]
        db.session.remove()
        commission = db.session.get(Commission, commission_id)
        candidates = len(search.candidate_ids(commission, search.Filters(), now=utc_now()))
        profiler = cProfile.Profile()
        profiler.enable()
        search.find_eligible(commission, search.Filters(), now=utc_now())
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        eligible = page.total if page.total is not None else _count_eligible(commission)
        db.session.remove()
        db.engine.dispose()
    return InProcess(
        candidates=candidates,
        eligible=eligible,
        pages=1 + int(page.has_next),
        queries=queries,
        median_ms=statistics.median(timings) * 1000,
        cold_ms=statistics.median(cold) * 1000,
        profile=out.getvalue(),
    )


def _count_eligible(commission: Any) -> int:
    """Every eligible assessor for the commission (the page itself stops once it is full)."""
    from registry.assessor_facts import facts_for, load
    from registry.clock import uk_date_of, utc_now
    from registry.commissions import search
    from registry.commissions.case import case_description
    from registry.eligibility import assess
    from registry.policy_store import current_policy

    now = utc_now()
    ids = search.candidate_ids(commission, search.Filters(), now=now)
    case, policy, today = case_description(commission), current_policy(), uk_date_of(now)
    eligible = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        loaded = load(chunk)
        eligible += sum(
            assess(facts_for(loaded, i, now=now), case, policy, today).eligible for i in chunk
        )
    return eligible


# --------------------------------------------------------------------------- HTTP


class PlainHttpSession:
    """A requests.Session that sends the app's Secure (__Host-) cookie over plain HTTP.

    requests will not send a Secure cookie to an http:// URL, and the benchmark has no TLS, so
    each cookie the app sets is marked not Secure on arrival.
    """

    def __init__(self) -> None:
        import requests

        self.session = requests.Session()
        self.cookies = self.session.cookies

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self.session.request(method, url, **kwargs)
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)


def new_session() -> PlainHttpSession:
    return PlainHttpSession()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not match:
        raise RuntimeError("no csrf_token in the form")
    return match.group(1)


def sign_in(base: str) -> Any:
    """The real sign-in: password, then a TOTP code. Returns the signed-in session."""
    from demo.seed import DEMO_PASSWORD
    from registry.auth import totp

    session = new_session()
    token = csrf_token(session.get(f"{base}/sign-in").text)
    response = session.post(
        f"{base}/sign-in",
        data={"csrf_token": token, "email": OFFICER, "password": DEMO_PASSWORD},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in refused ({response.status_code})")
    token = csrf_token(session.get(f"{base}/sign-in/code").text)
    code = totp.code_at(OFFICER_SEED, datetime.now(UTC))
    response = session.post(
        f"{base}/sign-in/code", data={"csrf_token": token, "code": code}, allow_redirects=False
    )
    if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
        raise RuntimeError(f"second factor refused ({response.status_code})")
    return session


@dataclass
class Load:
    """One route under a native load generator (`hey`): every request's latency and status."""

    requests: int
    seconds: float
    latencies: list[float]
    failed: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def cookie_header(cookies: Any) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in cookies)


def hammer(url: str, cookies: Any, *, connections: int, seconds: float) -> Load:
    """GETs of one URL for `seconds` from `connections` keep-alive connections, sent by `hey`
    (Debian's package: a Go program, so the client does not share the server's interpreter),
    after a short warm-up. Latency and status come from hey's per-request CSV."""
    hey = shutil.which("hey")
    if hey is None:
        raise SystemExit("hey is needed: apt-get install -y hey")
    header = ["-H", f"Cookie: {cookie_header(cookies)}"]
    common = [hey, "-c", str(connections), "-disable-redirects", *header]
    subprocess.run([*common, "-n", str(connections * 10), url], check=True, capture_output=True)
    started = time.perf_counter()
    out = subprocess.run(
        [*common, "-z", f"{seconds:.0f}s", "-o", "csv", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    elapsed = time.perf_counter() - started
    latencies, failed, last_offset = [], 0, 0.0
    for line in out.splitlines()[1:]:
        fields = line.split(",")
        if len(fields) < 8:
            continue
        latencies.append(float(fields[0]))
        failed += fields[6] != "200"
        last_offset = max(last_offset, float(fields[7]) + float(fields[0]))
    if not latencies:
        raise RuntimeError(f"no requests answered from {url}")
    return Load(len(latencies), last_offset or elapsed, latencies, failed)


class RegisterChanging:
    """While in the block, another connection logs a change to the register every second, as a
    writer (verify-due recording checks, an assessor saving an item) would."""

    def __init__(self, database_url: str, every: float = 1.0) -> None:
        import threading

        import sqlalchemy as sa

        self.engine = sa.create_engine(database_url)
        self.every = every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.changes = 0

    def _run(self) -> None:
        import uuid

        import sqlalchemy as sa

        from registry.models import RegisterChange

        while not self.stop.wait(self.every):
            with self.engine.begin() as connection:
                connection.execute(
                    sa.insert(RegisterChange.__table__),
                    {"token": uuid.uuid4().hex, "changed_at": datetime.now(UTC)},
                )
            self.changes += 1

    def __enter__(self) -> RegisterChanging:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the benchmark app on a scratch database, as a subprocess."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "APP_ENV": "development", ENV_DATABASE: database_url}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(REPO / ".venv" / "bin" / "gunicorn"),
                "-w", str(workers),
                "-b", f"127.0.0.1:{self.port}",
                "--timeout", "300",
                "--pythonpath", str(REPO / "benchmarks"),
                "search:gunicorn_app()",
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self._wait()

    def _wait(self) -> None:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited:\n{self.log.read().decode()[-3000:]}")
            try:
                if requests.get(f"{self.base}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /health within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --------------------------------------------------------------------------- one backend


@dataclass
class Figures:
    backend: str
    assessors: int
    seed_seconds: float
    in_process: InProcess
    trivial: Load
    search: Load
    workers: int
    connections: int
    changing: Load | None = None
    few: Load | None = None
    count_seconds: float = 0.0

    @property
    def ratio(self) -> float:
        return self.search.rps / self.trivial.rps

    @property
    def target_p95(self) -> float:
        return TARGET_P95_MS if self.assessors <= DEFAULT_ASSESSORS else TARGET_P95_LARGE_MS

    @property
    def queries_constant(self) -> bool:
        queries = self.in_process.queries
        cold = {v for k, v in queries.items() if not k.startswith("kept")}
        warm = {v for k, v in queries.items() if k.startswith("kept")}
        return len(cold) == 1 and len(warm) <= 1

    def targets(self) -> dict[str, bool]:
        return {
            "p95 under target": self.search.percentile(95) < self.target_p95,
            "why nobody: p95 under target": self.few is not None
            and self.few.percentile(95) < self.target_p95,
            f"throughput >= {TARGET_RATIO:.0%} of trivial": self.ratio >= TARGET_RATIO,
            "statements per page constant": self.queries_constant,
            "every request answered 200": self.search.failed == 0 and self.trivial.failed == 0,
        }


def run_backend(
    backend: str, database_url: str, assessors: int, args: argparse.Namespace
) -> Figures:
    from registry import create_app

    print(f"== {backend}: seeding {assessors} assessors ...", flush=True)
    app = create_app(bench_config(database_url))
    seeded = seed(app, assessors)
    print(f"   seeded in {seeded.seconds:.1f} s; counting queries and profiling ...", flush=True)
    in_process = measure_in_process(app, seeded.commission_id)
    with app.app_context():
        few_id = raise_few_commission(datetime.now(UTC), seeded.commission_id)
        from registry.extensions import db

        db.session.remove()
        db.engine.dispose()
    count_seconds = count_why_nobody(app, few_id)
    print(f"   why nobody: counted by the job in {count_seconds:.1f} s", flush=True)
    print(
        f"   {in_process.candidates} candidates, {in_process.eligible} eligible; "
        f"queries {in_process.queries}; find_eligible median {in_process.median_ms:.0f} ms "
        f"(cold {in_process.cold_ms:.0f} ms)",
        flush=True,
    )
    server = Gunicorn(database_url, args.workers)
    try:
        session = sign_in(server.base)
        search_url = f"{server.base}/commissions/{seeded.commission_id}/search"
        first = session.get(search_url, allow_redirects=False)
        if first.status_code != 200 or "Synthetic" not in first.text:
            raise RuntimeError(f"the search page did not list assessors ({first.status_code})")
        connections = args.concurrency or args.workers
        print(
            f"   measuring with hey, {connections} connections, {args.seconds:.0f} s per route ...",
            flush=True,
        )
        budget = {"connections": connections, "seconds": args.seconds}
        trivial = hammer(f"{server.base}/health", session.cookies, **budget)
        found = hammer(search_url, session.cookies, **budget)
        with RegisterChanging(database_url):
            changing = hammer(search_url, session.cookies, **budget)
        few_url = f"{server.base}/commissions/{few_id}/search"
        page = session.get(few_url, allow_redirects=False).text
        if "Counted at" not in page:
            said = re.findall(r"(\d+ eligible assessors?|We are counting|We cannot count)", page)
            raise RuntimeError(f"the few-eligible page did not show the job's counts: {said}")
        few = hammer(few_url, session.cookies, **budget)
    except Exception:
        server.log.seek(0)
        Path(tempfile.gettempdir(), "search-bench-gunicorn.log").write_bytes(server.log.read())
        print("gunicorn log: search-bench-gunicorn.log in the temporary directory", file=sys.stderr)
        raise
    finally:
        server.stop()
    figures = Figures(
        backend,
        assessors,
        seeded.seconds,
        in_process,
        trivial,
        found,
        args.workers,
        connections,
        changing,
        few,
        count_seconds,
    )
    print_figures(figures)
    return figures


def print_figures(f: Figures) -> None:
    for name, load in (("trivial /health", f.trivial), ("search page", f.search)):
        print(
            f"   {name:<16} {load.rps:8.1f} req/s   p50 {load.percentile(50):7.1f} ms   "
            f"p95 {load.percentile(95):7.1f} ms   failed {load.failed}"
        )
    print(f"   ratio {f.ratio:.1%}; targets: {f.targets()}", flush=True)


# --------------------------------------------------------------------------- BENCHMARKS.md


def section(all_figures: list[Figures], args: argparse.Namespace) -> str:
    day = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        "`benchmarks/search.py` (run by `make bench`): GET /commissions/<id>/search for a typical "
        "case (an adult man convicted of contact intra-familial offending; no filters; page 1), "
        "served by gunicorn, against GET /health (one `SELECT 1`) on the same server in the same "
        "run, both driven by `hey` (a native load generator, Debian's package) with the signed-in "
        "officer's session cookie. The register is seeded with `flask demo seed --assessors N` "
        "(every item with an accepted review and a qualification of a listed kind); a benchmark "
        "fixture then inserts, straight into the database, recent clear register checks for about "
        "half of the synthetic assessors (and stale, restricted, not-found or no checks for the "
        "rest), tool training (5% awaiting review), CPD, supervision and some lapsed DBS "
        "certificates, so that a realistic share is eligible and the rest fail for varied reasons "
        "(`fixture_plan` in the script).",
        "",
        f"Run {day} on {machine}; load average {load:.2f} at the end; gunicorn "
        f"{all_figures[0].workers} sync workers, {all_figures[0].connections} connections, "
        f"{args.seconds:.0f} s per route. p95 target: under {TARGET_P95_MS:.0f} ms up to "
        f"{DEFAULT_ASSESSORS:,} assessors, under {TARGET_P95_LARGE_MS:.0f} ms at more.",
        "",
        "| | " + " | ".join(f"{f.backend} {f.assessors:,}" for f in all_figures) + " |",
        "|---|" + "---|" * len(all_figures),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    fs = all_figures
    row("candidates after SQL", [f"{f.in_process.candidates:,}" for f in fs])
    row("eligible for the case", [f"{f.in_process.eligible:,}" for f in fs])
    row("trivial: req/s", [f"{f.trivial.rps:.1f}" for f in fs])
    row("trivial: p50 / p95 ms", [_p50_p95(f.trivial) for f in fs])
    row("search: req/s", [f"{f.search.rps:.1f}" for f in fs])
    row(
        "search: requests measured (not 200)",
        [f"{f.search.requests} ({f.search.failed})" for f in fs],
    )
    row("search: p50 / p95 ms", [_p50_p95(f.search) for f in fs])
    row("**search / trivial throughput**", [f"**{f.ratio:.1%}**" for f in fs])
    row(
        "search, the register changing every second: req/s",
        [f"{f.changing.rps:.1f}" if f.changing else "" for f in fs],
    )
    row(
        "search, the register changing every second: p50 / p95 ms (not 200)",
        [f"{_p50_p95(f.changing)} ({f.changing.failed})" if f.changing else "" for f in fs],
    )
    row(
        "few eligible, why nobody else (the job's counts shown): p50 / p95 ms (not 200)",
        [f"{_p50_p95(f.few)} ({f.few.failed})" if f.few else "" for f in fs],
    )
    row("few eligible: the count job, s", [f"{f.count_seconds:.1f}" for f in fs])
    row(
        "find_eligible in-process, verdicts kept, median ms",
        [f"{f.in_process.median_ms:.1f}" for f in fs],
    )
    row(
        "find_eligible in-process, cold (after a change to the register), median ms",
        [f"{f.in_process.cold_ms:.0f}" for f in fs],
    )
    for key in fs[0].in_process.queries:
        row(f"SQL statements per page ({key})", [str(f.in_process.queries[key]) for f in fs])
    for target in fs[0].targets():
        row(f"target: {target}", ["yes" if f.targets()[target] else "**no**" for f in fs])
    lines += ["", WHERE_THE_TIME_GOES, ""]
    return "\n".join(lines)


WHERE_THE_TIME_GOES = """\
How a page is served (docs/decisions/0006, 0012 and 0014): the ranked candidate ids, and how far the
gate got through them (the eligible results found so far), are kept in each worker, keyed by the
register's latest change token (any write to what the search or the gate reads appends one), the
hour, the policy, the whole case, the UK date and the filters. A page the gate has already judged
costs one statement for the token; after a change to the register, the next page runs the candidate
query, loads the facts of a chunk of three times the wanted results (one query per table) and runs
the gate (the "cold" row). The "register changing every second" rows repeat the search's load while
another connection logs a change to the register every second (as verify-due does while it records
checks), so that each worker's next page is cold once a second. Notes on what bounds these figures
are below, written by hand."""


def _p50_p95(load: Load) -> str:
    return f"{load.percentile(50):.1f} / {load.percentile(95):.1f}"


def write_section(text: str, section: str = SECTION) -> None:
    """Replace (or append) a script's section of BENCHMARKS.md (the lines from its heading to
    the next "## " heading), leaving the rest alone. The other benchmarks use it too."""
    path = REPO / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    lines = current.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == section), None)
    if start is None:
        path.write_text(current.rstrip("\n") + "\n\n" + text)
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    before = "\n".join(lines[:start]).rstrip("\n")
    after = "\n".join(lines[end:])
    path.write_text(before + "\n\n" + text + ("\n" + after + "\n" if after else ""))


# --------------------------------------------------------------------------- main


def main() -> int:  # noqa: C901 (one branch per option)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="register sizes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--seconds", type=float, default=15, help="load per route, in seconds (default 15)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=0, help="connections (workers)")
    parser.add_argument(
        "--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server (a scratch db is used)"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print find_eligible's profile")
    parser.add_argument(
        "--write", action="store_true", help="update BENCHMARKS.md (default: only the full run)"
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    all_figures: list[Figures] = []
    failures: list[str] = []

    def attempt(backend: str, url: str, size: int) -> None:
        """One measurement; a failure is reported with the others' figures, not lost."""
        try:
            all_figures.append(run_backend(backend, url, size, args))
        except Exception as error:  # reported in the section
            failures.append(f"{backend} {size:,}: {type(error).__name__}: {str(error)[:200]}")
            print(f"   FAILED: {failures[-1]}", file=sys.stderr, flush=True)

    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            attempt("SQLite", f"sqlite:///{tmp}/bench_search.db", size)
    if not args.no_postgres:
        for size in sizes:
            url = scratch_postgres(args.postgres)
            if url is None:
                break
            try:
                attempt("PostgreSQL", url, size)
            finally:
                drop_postgres(url)
    if not all_figures:
        raise SystemExit("no measurement succeeded: " + "; ".join(failures))
    if args.profile:
        for f in all_figures:
            print(
                f"== profile of find_eligible on {f.backend} {f.assessors}\n{f.in_process.profile}"
            )
    text = section(all_figures, args)
    if failures:
        text += "\n\nNot measured in this run: " + "; ".join(failures) + "\n"
    print(text)
    if args.write or (sizes == list(DEFAULT_SIZES) and not args.no_postgres):
        write_section(text)
        print("BENCHMARKS.md updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
