"""Load test: 50 concurrent users in a realistic mix against gunicorn, PostgreSQL, Redis and the
job worker, with Locust headless (issue 13). Not part of `make test`.

    .venv/bin/python benchmarks/load.py            # 10 minutes; updates BENCHMARKS.md
    .venv/bin/python benchmarks/load.py --short    # 60 s, to try it
    .venv/bin/python benchmarks/load.py --minutes 3 --users 50

What it does, all on 127.0.0.1:
1. a scratch PostgreSQL database (bench_load, dropped and recreated) migrated to head and seeded
   with `flask demo seed --assessors 1000` and the search benchmark's fixture, so that searches
   find eligible assessors; then accounts for the load (officers, panel members, assessors,
   register managers, each with a known TOTP seed) and commissions waiting for the panel;
2. the register simulator, one job worker (`flask jobs worker`) and the scheduler;
3. gunicorn with 2 workers, then Locust headless: officers search (the eligible-search page) and
   raise requests, panel members decide, assessors save their identity, add a registration (a
   check job) and upload documents, managers look at vetting, registrations and users; any
   response that is not what the page should give counts as an error;
4. a second run with two gunicorn processes on two ports sharing the database and Redis: each
   simulated user alternates between them request by request, so sessions, CSRF tokens, rate
   limits and jobs must work across processes; and a rate-limit check across the two ports.
Per-page p50/p95 and throughput go to BENCHMARKS.md ("## Load").
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for extra in (REPO, REPO / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

SCRATCH = "bench_load"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
RATELIMIT_REDIS = "redis://127.0.0.1:6379/9"
JOBS_REDIS = "redis://127.0.0.1:6379/10"
ENV_SETTINGS = "LOAD_BENCH_SETTINGS"
SECTION = "## Load"
PASSWORD = "load: correct horse battery staple"
SEED = "JBSWY3DPEHPK3PXPLOADTEST"  # every load account's TOTP seed
ACCOUNTS = {"officer": 22, "panel_member": 12, "assessor": 17, "register_manager": 6}


# --------------------------------------------------------------------------- the app


def load_config(settings: dict[str, Any]) -> type:
    """DevelopmentConfig on the scratch database, DEBUG off, real CSRF, sign-in and rate limits
    in Redis, the job queue in Redis (no inline jobs). Cookies without Secure: no TLS here."""
    from config import DevelopmentConfig

    return type(
        "LoadBenchConfig",
        (DevelopmentConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": settings["database"],
            "DEBUG": False,
            "LOG_JSON": True,
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_NAME": "session",
            "RATELIMIT_STORAGE_URI": RATELIMIT_REDIS,
            "JOBS_INLINE": False,
            "JOBS_REDIS_URL": JOBS_REDIS,
            "MAIL_BACKEND": "outbox",
            "MAIL_OUTBOX_DIR": settings["outbox"],
            "UPLOAD_FOLDER": settings["uploads"],
            "REGISTER_HCPC_URL": settings["simulator"],
            "REGISTER_SWE_URL": settings["simulator"],
            "REGISTER_GMC_URL": settings["simulator"],
            "REGISTER_NMC_URL": settings["simulator"],
            # Many simulated people share a handful of accounts' worth of work per minute; the
            # per-account limits still run on every request, above what the mix reaches.
            "SEARCH_LIMIT_PER_ACCOUNT": "100000 per minute",
            "WHY_NOT_LIMIT_PER_ACCOUNT": "100000 per minute",
            "REGISTRATION_ADD_LIMIT_PER_ACCOUNT": "100000 per hour",
            "UPLOAD_LIMIT_PER_ACCOUNT": "100000 per hour",
            "REGISTER_CHECK_LIMIT_PER_ACCOUNT": "100000 per hour",
        },
    )


def gunicorn_app() -> Any:
    """What gunicorn serves: `gunicorn --pythonpath benchmarks 'load:gunicorn_app()'`."""
    from registry import create_app

    return create_app(load_config(json.loads(os.environ[ENV_SETTINGS])))


# --------------------------------------------------------------------------- setup


def scratch_database() -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{SCRATCH}"')
    admin.dispose()
    return sa.make_url(SERVER).set(database=SCRATCH).render_as_string(hide_password=False)


def seed(settings: dict[str, Any], *, commissions: int) -> dict[str, Any]:
    """Migrate, seed the demo and 1,000 assessors, add the load accounts and panel work."""
    import search as search_bench
    from flask_migrate import upgrade

    from registry import create_app

    app = create_app(load_config(settings))
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--assessors", "1000"])
    if result.exit_code != 0:
        raise RuntimeError(f"flask demo seed failed: {result.output}\n{result.exception!r}")
    with app.app_context():
        search_bench.add_fixture(datetime.now(UTC))
        valid_numbers()
        plan = add_accounts_and_work(commissions)
        entries = clear_entries()
        from registry.extensions import db

        db.engine.dispose()
    on_the_simulator(settings["simulator"], entries)
    return plan


def valid_numbers() -> None:
    """The bulk seed numbers its registrations PYL8nnnnnn, which no register would accept (so
    that the simulator never answers for them); here they become valid HCPC numbers, PYL9nnnnn,
    put on the simulator by `clear_entries`, so that the scheduler's verify-due run can read
    them."""
    from sqlalchemy import text

    from registry.extensions import db

    db.session.execute(
        text(
            "UPDATE registration SET number = 'PYL9' || substr(number, 6)"
            " WHERE body = 'hcpc' AND number LIKE 'PYL8%' AND length(number) = 10"
        )
    )
    db.session.commit()


def clear_entries() -> list[tuple[str, str, str]]:
    """(body, number, name) of every registration the fixture gave a clear check: the register
    must say the same, or the scheduler's verify-due run would find them missing, the gate would
    refuse those assessors and the panel's approvals would be refused (409)."""
    from sqlalchemy import select

    from registry.extensions import db
    from registry.models import Assessor, Registration, VerificationCheck

    rows = db.session.execute(
        select(
            Registration.body,
            Registration.number,
            Assessor.legal_given_names,
            Assessor.legal_surname,
        )
        .join(Assessor, Assessor.id == Registration.assessor_id)
        .where(
            Registration.id.in_(
                select(VerificationCheck.registration_id).where(
                    VerificationCheck.outcome == "clear"
                )
            )
        )
    )
    return [(body, number, f"{given} {surname}") for body, number, given, surname in rows]


def on_the_simulator(base: str, entries: list[tuple[str, str, str]]) -> None:
    """Add each entry to the running register simulator as a clear registrant."""
    import requests

    with requests.Session() as session:
        for body, number, name in entries:
            response = session.post(
                f"{base}/_simulator/registrants/{body}/{number}", json={"name": name}, timeout=10
            )
            if response.status_code != 200:
                print(f"simulator refused {body} {number}: {response.text[:200]}", flush=True)


def add_accounts_and_work(commissions: int) -> dict[str, Any]:
    """Load accounts with a known TOTP seed, commissions in search, and some awaiting the panel."""
    import search as search_bench
    from flask import current_app
    from sqlalchemy import select

    from registry.auth import passwords, totp
    from registry.commissions import requests, search, selection
    from registry.commissions.case import CaseData
    from registry.extensions import db
    from registry.models import AccountStatus, Assessor, Organisation, Role, User
    from registry.models.people import RoleGrant
    from registry.vocabulary import AdmissionStatus

    now = datetime.now(UTC)
    key = current_app.config["TOTP_ENCRYPTION_KEY"]
    northshire = db.session.scalar(
        select(Organisation).where(Organisation.name.like("Northshire%"))
    )
    register = db.session.scalar(select(Organisation).where(Organisation.name.like("%Register%")))
    # Argon2 keeps its parameters in the hash: these accounts' hashes use the cheapest profile,
    # so that 50 sign-ins at once measure the pages rather than 50 x 64 MiB of Argon2.
    digest = passwords.hash_password(PASSWORD, "cheapest")
    accounts: dict[str, list[str]] = {}
    for role_name, count in ACCOUNTS.items():
        role = Role(role_name)
        for n in range(count):
            email = f"load.{role_name}.{n}@load.example"
            org = (
                None
                if role is Role.ASSESSOR
                else (register if role is Role.REGISTER_MANAGER else northshire)
            )
            user = User(
                email=email,
                full_name=f"Load {role.label} {n}",
                role=role,
                organisation=org,
                status=AccountStatus.ACTIVE,
                password_hash=digest,
                created_at=now - timedelta(days=90),
            )
            db.session.add(user)
            db.session.flush()
            user.totp_secret_encrypted = totp.encrypt_seed(SEED, key, user_id=user.id)
            user.totp_enrolled_at = now - timedelta(days=90)
            if role in (Role.PANEL_MEMBER, Role.REGISTER_MANAGER):
                db.session.add(
                    RoleGrant(
                        user=user,
                        role=role,
                        organisation_id=org.id if org else None,
                        proposed_at=now - timedelta(days=90),
                        confirmed_at=now - timedelta(days=60),
                        via="load-benchmark",
                    )
                )
            if role is Role.ASSESSOR:
                db.session.add(
                    Assessor(
                        user=user,
                        legal_given_names="Load",
                        legal_surname=f"Assessor{n}",
                        admission_status=AdmissionStatus.ADMITTED,
                        created_at=now,
                    )
                )
            accounts.setdefault(role_name, []).append(email)
    db.session.commit()
    officer = db.session.scalar(select(User).where(User.email == accounts["officer"][0]))
    searching, awaiting = [], []
    for n in range(20 + commissions):
        data = CaseData(
            case_reference=f"LOAD/{n:04d}",
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
            named_parties=["Mr A Parent"],
        )
        commission = requests.raise_request(officer, data, now=now)
        requests.start_search(officer, commission, now=now)
        if n < 20:
            searching.append(commission.id)
            continue
        page = search.find_eligible(commission, search.Filters(), now=now)
        shown = page.results[n % len(page.results)].assessor
        assessor = db.session.get(Assessor, shown.id)
        selection.select_assessor(officer, commission, assessor.id, now=now)
        answer = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)
        selection.respond(assessor.user, commission, answer, now=now)
        db.session.commit()
        awaiting.append(commission.id)
    del search_bench
    return {"accounts": accounts, "searching": searching, "awaiting": awaiting}


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A subprocess in a session of its own, its output in a temporary file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"load-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def wait_for(url: str, process: Process, seconds: float = 90) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            raise RuntimeError(f"{process.name} exited; see {process.log.name}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer {url}")


def flask_env(settings: dict[str, Any]) -> dict[str, str]:
    """The environment of the worker and the scheduler: the same settings as gunicorn's."""
    return {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": settings["database"],
        "JOBS_INLINE": "0",
        "JOBS_REDIS_URL": JOBS_REDIS,
        "RATELIMIT_STORAGE_URI": RATELIMIT_REDIS,
        "MAIL_BACKEND": "outbox",
        "REGISTER_SIMULATOR_URL": settings["simulator"],
        "UPLOAD_FOLDER": settings["uploads"],
    }


def gunicorn(settings: dict[str, Any], port: int) -> Process:
    env = {**os.environ, "APP_ENV": "development", ENV_SETTINGS: json.dumps(settings)}
    process = Process(
        f"gunicorn-{port}",
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "-w", "2",
            "-b", f"127.0.0.1:{port}",
            "--timeout", "120",
            "--pythonpath", str(REPO / "benchmarks"),
            "load:gunicorn_app()",
        ],
        env,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/health", process)
    return process


def flush_redis() -> None:
    import redis

    for url in (RATELIMIT_REDIS, JOBS_REDIS):
        redis.Redis.from_url(url).flushdb()


# --------------------------------------------------------------------------- Locust


def run_locust(hosts: list[str], plan_file: Path, users: int, seconds: int, prefix: Path) -> int:
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_HOSTS": ",".join(hosts)}
    done = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "locust"),
            "-f", str(REPO / "benchmarks" / "load_users.py"),
            "--headless",
            "-u", str(users),
            "-r", "5",
            "-t", f"{seconds}s",
            "--host", hosts[0],
            "--csv", str(prefix),
            "--only-summary",
            "--stop-timeout", "20",
        ],
        cwd=REPO,
        env=env,
        check=False,
    )  # fmt: skip
    return done.returncode


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def worker_figures(settings: dict[str, Any]) -> dict[str, int]:
    """What the job worker did: emails and checks done, failed jobs."""
    import redis
    import sqlalchemy as sa

    engine = sa.create_engine(settings["database"])
    with engine.connect() as connection:
        sent = connection.scalar(
            sa.text("SELECT count(*) FROM outgoing_email WHERE sent_at IS NOT NULL")
        )
        waiting = connection.scalar(
            sa.text("SELECT count(*) FROM outgoing_email WHERE sent_at IS NULL")
        )
        pending = connection.scalar(
            sa.text("SELECT count(*) FROM registration WHERE check_pending_since IS NOT NULL")
        )
        checks = connection.scalar(
            sa.text(
                "SELECT count(*) FROM verification_check "
                "WHERE performed_by_label LIKE 'On request%'"
            )
        )
    engine.dispose()
    client = redis.Redis.from_url(JOBS_REDIS)
    return {
        "emails_sent": sent or 0,
        "emails_waiting": waiting or 0,
        "checks_on_request": checks or 0,
        "checks_pending": pending or 0,
        "failed_jobs": client.zcard("rq:failed:registry"),
    }


def rate_limit_across_processes(hosts: list[str]) -> dict[str, Any]:
    """Failed sign-ins on one account, alternating between the two processes: the per-account
    limit (10 per 5 minutes) must count them together, so the 11th is refused wherever it lands."""
    import requests

    statuses = []
    for n in range(12):
        session = requests.Session()
        base = hosts[n % len(hosts)]
        page = session.get(f"{base}/sign-in").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        response = session.post(
            f"{base}/sign-in",
            data={
                "csrf_token": token.group(1) if token else "",
                "email": "load.officer.9@load.example",
                "password": "not the password",
            },
            allow_redirects=False,
        )
        statuses.append(response.status_code)
    return {"statuses": statuses, "first_429": statuses.index(429) + 1 if 429 in statuses else None}


# --------------------------------------------------------------------------- report


def table(rows: list[dict[str, str]]) -> str:
    lines = [
        "| Page | Requests | Errors | p50 ms | p95 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {float(row['Requests/s']):.1f} |"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    lines.append(
        f"| **All** | {total['Request Count']} | {total['Failure Count']} | {total['50%']} | "
        f"{total['95%']} | {float(total['Requests/s']):.1f} |"
    )
    return "\n".join(lines)


def section(results: dict[str, Any], args: argparse.Namespace) -> str:
    one, two = results["one"], results["two"]
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"`benchmarks/load.py{' --short' if args.short else ''}` (Locust {results['locust']}, "
        f"headless), run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} shared CPUs "
        f"(load average {load:.1f} at the end): {args.users} concurrent users for "
        f"{args.seconds} s each run, spawned 5 a second, each waiting 2 to 8 s between clicks, "
        "against gunicorn (2 workers), "
        "PostgreSQL, Redis (rate limits and the job queue), one job worker and the scheduler, "
        "on a register of 1,000 synthetic assessors plus the demo. The mix per user class "
        "(weights): officers 4 (eligible search 5, their commissions 2, a commission 2, raise a "
        "request 1), assessors 3 (profile 3, save identity 2, registrations 2, upload a "
        "document 1, add a registration, checked by a job, 1), panel members 2 (their queue 3, "
        "a decision record 1, decide 1 while commissions await them), register managers 1 "
        "(vetting 2, registrations not clear 2, users 1, failed jobs 1). Every user signs in "
        "for real (password, then a TOTP code; the load accounts' Argon2 hashes use the "
        "cheapest profile, so that 50 sign-ins at once do not swamp a short run; a code that "
        "expired while the server was busy is typed again and counted apart). An error is any "
        "response other than the page expected (Locust's failure count).",
        "",
        "### One app process (gunicorn, 2 workers)",
        "",
        table(one["stats"]),
        "",
        f"Jobs afterwards: {json.dumps(one['jobs'])}.",
        "",
        "### Two app processes on two ports, sharing the database and Redis",
        "",
        "Each simulated user sends its requests alternately to the two processes (ports "
        f"{results['ports'][0]} and {results['ports'][1]}): its session cookie, CSRF token and "
        "fresh-MFA state made by one process are accepted by the other, and the jobs either "
        "enqueues are run by the one worker.",
        "",
        table(two["stats"]),
        "",
        f"Jobs afterwards: {json.dumps(two['jobs'])}.",
        "",
        "Rate limits across processes: 12 failed sign-ins on one account, alternating between "
        f"the two ports, gave {results['limits']['statuses']}; the first 429 came at attempt "
        f"{results['limits']['first_429']} (the per-account limit is 10 per 5 minutes), so the "
        "two processes counted together in Redis.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _: text + "\n", current)
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="60 s per run instead of 10 minutes")
    parser.add_argument("--minutes", type=float, default=10.0, help="length of each run")
    parser.add_argument("--users", type=int, default=50, help="concurrent users")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()
    args.seconds = 60 if args.short else int(args.minutes * 60)
    if shutil.which("redis-server") is None and not _redis_up():
        raise SystemExit("needs Redis on 127.0.0.1:6379")

    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    simulator_port = free_port()
    settings = {
        "database": scratch_database(),
        "outbox": str(work / "outbox"),
        "uploads": str(work / "uploads"),
        "simulator": f"http://127.0.0.1:{simulator_port}",
    }
    flush_redis()
    env = flask_env(settings)
    flask = [str(REPO / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    processes: list[Process] = []
    results: dict[str, Any] = {}
    try:
        simulator = Process(
            "simulator", [*flask, "registers", "simulate", "--port", str(simulator_port)], env
        )
        processes.append(simulator)
        wait_for(f"{settings['simulator']}/_simulator/health", simulator)
        print("seeding…", flush=True)
        commissions = max(30, args.seconds // 2)
        plan = seed(settings, commissions=commissions)
        processes.append(Process("worker", [*flask, "jobs", "worker"], env))
        processes.append(Process("scheduler", [*flask, "jobs", "scheduler"], env))
        from importlib.metadata import version

        results["locust"] = version("locust")  # not imported here: it monkey-patches ssl
        ports = [free_port(), free_port()]
        results["ports"] = ports
        hosts = [f"http://127.0.0.1:{port}" for port in ports]

        for run, run_hosts in (("one", hosts[:1]), ("two", hosts)):
            servers = [gunicorn(settings, port) for port in ports[: len(run_hosts)]]
            processes.extend(servers)
            half = len(plan["awaiting"]) // 2
            run_plan = {
                **plan,
                "awaiting": plan["awaiting"][:half] if run == "one" else plan["awaiting"][half:],
            }
            plan_file = work / f"plan-{run}.json"
            plan_file.write_text(json.dumps({**run_plan, "password": PASSWORD, "seed": SEED}))
            print(f"run {run}: {args.users} users for {args.seconds} s on {run_hosts}", flush=True)
            code = run_locust(run_hosts, plan_file, args.users, args.seconds, work / run)
            time.sleep(5)  # let the worker finish what the last requests enqueued
            results[run] = {
                "stats": read_stats(work / run),
                "jobs": worker_figures(settings),
                "exit": code,
            }
            if run == "two":
                results["limits"] = rate_limit_across_processes(run_hosts)
            for server in servers:
                server.stop()
                processes.remove(server)
    finally:
        for process in reversed(processes):
            process.stop()
    text = section(results, args)
    print(text)
    if not args.no_write:
        write_section(text)
    failures = sum(
        int(next(r for r in results[run]["stats"] if r["Name"] == "Aggregated")["Failure Count"])
        for run in ("one", "two")
    )
    print(f"logs and CSV in {work}")
    return 1 if failures else 0


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(JOBS_REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


if __name__ == "__main__":
    sys.exit(main())
