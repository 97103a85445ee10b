"""Benchmark of the scheduled register re-check (`flask registers verify-due`).

Seeds N registrations (2,000 by default) evenly across the four automated registers, each with
an assessor whose legal name matches a clear entry on the register simulator, and times
verify_due() as the CLI runs it. Every lookup goes over real HTTP to the simulator, served from
its own process with a fixed latency per answer, and through the real adapters and parsing.

Figures (written to BENCHMARKS.md, section "verify-due", or "verify-due on PostgreSQL"):

* wall time of verify_due(), against the ideal: the slowest register bounds the run, and a
  register needs (lookups x latency / concurrency). The simulator's latency is per lookup: a
  GMC lookup makes two round trips (/doctors/ redirects to /registrants/), and only the entry
  page is delayed;
* lookups per second, CPU time, and the peak RSS of the process that ran the job;
* a trivial baseline measured in the same run: the same HTTP round trips, at the same
  per-register concurrency, fetched with plain `requests` (no parsing, no database);
* "lookups alone": the real adapters in the job's pools without the database, which splits the
  job's cost over the baseline between looking up and recording.

Then, for memory, a second run of the job alone on 20,000 registrations (10 ms a lookup by
default, to keep `make bench` short): the peak RSS of the job process, which must not grow with
the number of registrations.

Both on SQLite and on PostgreSQL (a scratch database on the server --postgres names), one after
the other, in one run. The run is refused (exit 2) unless every check recorded is clear and the
simulator served exactly the expected requests in each timed run. --profile runs cProfile on the
recording thread; it slows that thread, so its wall time is not a figure to report.

    .venv/bin/python benchmarks/verify_due.py           # the issue's runs; updates BENCHMARKS.md
    .venv/bin/python benchmarks/verify_due.py --registrations 200 --no-memory --no-postgres
    .venv/bin/python benchmarks/verify_due.py --no-sqlite --postgres postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import platform
import pstats
import re
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BODIES = ("hcpc", "swe", "gmc", "nmc")
DEFAULT_REGISTRATIONS = 2000
DEFAULT_LATENCY = 0.1
DEFAULT_MEMORY_REGISTRATIONS = 20000
DEFAULT_MEMORY_LATENCY = 0.01
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_RATIO = 1.10
TARGET_PEAK_MB = 200
# HTTP round trips one clear lookup makes: the GMC's /doctors/ page redirects to /registrants/.
ROUND_TRIPS = {"hcpc": 1, "swe": 1, "gmc": 2, "nmc": 1}
GIVEN = (
    "Amelia", "Ben", "Chloe", "Daniel", "Esther", "Farid", "Grace", "Hamish", "Isla", "Jonah",
    "Kiran", "Leah", "Mohammed", "Niamh", "Oscar", "Priya", "Quentin", "Rosa", "Samir", "Tamsin",
    "Umar", "Violet", "Wesley", "Xena", "Yusuf",
)  # fmt: skip
SURNAMES = (
    "Ashworth", "Bennett", "Carver", "Dunmore", "Ellison", "Fairley", "Gowan", "Hartley",
    "Ingram", "Jessop", "Kendrick", "Lowther", "Maddox", "Newbold", "Oakley", "Pennock",
    "Quarrie", "Radley", "Shipton", "Thornby", "Upton", "Varley", "Whitmore", "Yardley",
)  # fmt: skip
SECTION = "## verify-due"  # "## verify-due on PostgreSQL" for a --postgres run


@dataclass(frozen=True)
class Planned:
    """One seeded registration: register, number and the assessor's legal name."""

    body: str
    number: str
    given: str
    surname: str


def plan(registrations: int) -> list[Planned]:
    """The registrations to seed, round robin over the four registers, valid number formats."""
    planned = []
    for i in range(registrations):
        body, k = BODIES[i % len(BODIES)], i // len(BODIES)
        number = {
            "hcpc": f"PYL{100000 + k}",  # PYL\d{1,6}; no leading zero, so one canonical form
            "swe": f"SW{100000 + k}",  # SW[1-9]\d{0,6}
            "gmc": f"{5000000 + k}",  # \d{7}
            "nmc": f"{k // 10000:02d}B{k % 10000:04d}E",  # \d{2}[A-Z]\d{4}[A-Z]
        }[body]
        given, surname = GIVEN[i % len(GIVEN)], SURNAMES[(i // len(GIVEN)) % len(SURNAMES)]
        planned.append(Planned(body, number, given, surname))
    return planned


def simulated_registrants(planned: list[Planned]) -> list[Any]:
    """A clear simulator entry per registration: the canary's, renamed and renumbered."""
    from simulator.data import CANARY_NUMBERS, seed_registrant

    templates = {body: seed_registrant(body, CANARY_NUMBERS[body]) for body in BODIES}
    registrants = []
    for p in planned:
        template = templates[p.body]
        title = "Dr " if template.register_name.startswith("Dr ") else ""
        registrants.append(
            replace(
                template,
                number=p.number,
                register_name=f"{title}{p.given} {p.surname}",
                legal_surname=p.surname,
                legal_given_names=p.given,
                case="benchmark: clear",
            )
        )
    return registrants


# --------------------------------------------------------------------------- the simulator


def serve_simulator(registrations: int, latency: float, conn: Any, stop: Any) -> None:
    """In its own process: serve the simulator with the benchmark's entries until told to stop."""
    from simulator.app import make_simulator_app, start_in_thread

    app = make_simulator_app(latency=latency, data=simulated_registrants(plan(registrations)))
    server, url = start_in_thread(app)
    conn.send(url)
    stop.wait()
    app.close()
    server.shutdown()
    server.server_close()


class Simulator:
    """The simulator process, and its control API over HTTP."""

    def __init__(self, context: Any, registrations: int, latency: float) -> None:
        parent, child = context.Pipe()
        self._stop = context.Event()
        self._process = context.Process(
            target=serve_simulator,
            args=(registrations, latency, child, self._stop),
            name="register-simulator",
        )
        self._process.start()
        if not parent.poll(60):
            raise RuntimeError("the simulator did not start within 60 s")
        self.url: str = parent.recv()

    def counts(self) -> dict[str, int]:
        import requests

        return requests.get(f"{self.url}/_simulator/requests", timeout=5).json()

    def reset(self) -> None:
        import requests

        requests.post(f"{self.url}/_simulator/reset", timeout=5).raise_for_status()

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


# --------------------------------------------------------------------------- the database


def bench_config(database_url: str, simulator_url: str, outbox: str) -> type:
    """The development settings, on the scratch database and pointed at the simulator."""
    from config import DevelopmentConfig

    attributes = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DEBUG": False,
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX_DIR": outbox,
        **{f"REGISTER_{body.upper()}_URL": simulator_url for body in BODIES},
    }
    return type("BenchConfig", (DevelopmentConfig,), attributes)


def scratch_postgres(url: str, suffix: str = "") -> tuple[str, str]:
    """A new empty PostgreSQL database beside url's; returns its URL and url's, normalised."""
    import sqlalchemy as sa

    from config import normalise_database_url

    base = sa.make_url(normalise_database_url(url))
    name = f"{base.database or 'postgres'}_bench_verify_due_{os.getpid()}{suffix}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    scratch = base.set(database=name).render_as_string(hide_password=False)
    return scratch, base.render_as_string(hide_password=False)


def drop_postgres(scratch: str, maintenance: str) -> None:
    """Drop the scratch database, connecting through the URL given with --postgres."""
    import sqlalchemy as sa

    from config import normalise_database_url

    name = sa.make_url(scratch).database
    engine = sa.create_engine(normalise_database_url(maintenance), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def migrate_and_seed(config: type, registrations: int) -> None:
    """Migrate the scratch database to head and add the registrations, all due now."""
    from flask_migrate import upgrade

    from registry import create_app
    from registry.extensions import db
    from registry.models import AccountStatus, AdmissionStatus, Assessor, Registration, Role, User

    professions = {
        "hcpc": "practitioner_psychologist",
        "swe": "social_worker",
        "gmc": "psychiatrist",
        "nmc": "mental_health_nurse",
    }
    app = create_app(config)
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        for i, p in enumerate(plan(registrations)):
            user = User(
                email=f"assessor{i}@bench.example",
                full_name=f"{p.given} {p.surname}",
                role=Role.ASSESSOR,
                status=AccountStatus.ACTIVE,
                created_at=now,
            )
            assessor = Assessor(
                user=user,
                legal_given_names=p.given,
                legal_surname=p.surname,
                admission_status=AdmissionStatus.ADMITTED,
                created_at=now,
            )
            db.session.add(
                Registration(
                    assessor=assessor,
                    body=p.body,
                    number=p.number,
                    profession=professions[p.body],
                    created_at=now,
                )
            )
        db.session.commit()
        db.engine.dispose()


# --------------------------------------------------------------------------- the job


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    On Linux VmHWM of /proc/self/status: ru_maxrss would also count the parent's pages from
    before the exec that started this process, and the parent holds the seeding's objects.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_job(database_url: str, simulator_url: str, outbox: str, profile: bool) -> dict[str, Any]:
    """In a fresh process, as the CLI would: build the app, time verify_due(), check the result."""
    from sqlalchemy import func, select

    from registry import create_app
    from registry.extensions import db
    from registry.models import Registration, VerificationCheck
    from registry.verification.runner import verify_due

    app = create_app(bench_config(database_url, simulator_url, outbox))
    with app.app_context():
        rss_before = peak_rss_mb()
        profiler = cProfile.Profile() if profile else None
        cpu, main_cpu, start = time.process_time(), time.thread_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        summary = verify_due(now=datetime.now(UTC))
        if profiler:
            profiler.disable()
        wall = time.perf_counter() - start
        cpu, main_cpu = time.process_time() - cpu, time.thread_time() - main_cpu
        peak = peak_rss_mb()
        stored = dict(
            db.session.execute(
                select(VerificationCheck.outcome, func.count()).group_by(VerificationCheck.outcome)
            ).all()
        )
        rescheduled = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.next_check_due.is_not(None), Registration.claimed_until.is_(None))
        )
    report = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        report = out.getvalue()
    return {
        "wall": wall,
        "cpu": cpu,
        "main_cpu": main_cpu,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "outcomes": {body: dict(c) for body, c in summary.outcomes.items()},
        "lapsed": summary.lapsed,
        "stored": stored,
        "rescheduled": rescheduled,
        "profile": report,
    }


# --------------------------------------------------------------------------- the baseline


def run_baseline(simulator_url: str, registrations: int, concurrency: int) -> dict[str, Any]:
    """The same round trips with plain requests: one pool per register, one session per thread."""
    import requests

    from registry.registers import get_register

    urls: dict[str, list[str]] = {body: [] for body in BODIES}
    adapters = {body: get_register(body, base_url=simulator_url) for body in BODIES}
    for p in plan(registrations):
        urls[p.body].append(adapters[p.body].entry_url(p.number))  # type: ignore[attr-defined]
    local = threading.local()

    def fetch(url: str) -> int:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        with session.get(url, timeout=(3.05, 5.0)) as response:  # follows the GMC redirect
            response.content  # noqa: B018 (read the body, as a lookup does)
            return response.status_code

    pools = {body: ThreadPoolExecutor(max_workers=concurrency) for body in BODIES}
    start = time.perf_counter()
    futures = [pools[body].submit(fetch, url) for body in BODIES for url in urls[body]]
    statuses = Counter(future.result() for future in futures)
    wall = time.perf_counter() - start
    for pool in pools.values():
        pool.shutdown()
    return {"wall": wall, "statuses": dict(statuses)}


def run_lookups_only(simulator_url: str, registrations: int, concurrency: int) -> dict[str, Any]:
    """The job without the database: the same adapters and pools (as many threads as the job's,
    the gate allowing `concurrency` requests at once), everything submitted, nothing recorded.

    Tells the cost of looking up (HTTP, gates, parsing) from the cost of recording.
    """
    from concurrent.futures import as_completed

    from registry.registers import get_register
    from registry.verification.runner import lookup_threads

    adapters = {body: get_register(body, base_url=simulator_url) for body in BODIES}
    pools = {
        body: ThreadPoolExecutor(max_workers=lookup_threads(adapters[body])) for body in BODIES
    }
    now = datetime.now(UTC)
    start = time.perf_counter()
    futures = [
        pools[p.body].submit(
            adapters[p.body].lookup, p.number, surname=p.surname, given_names=p.given, now=now
        )
        for p in plan(registrations)
    ]
    outcomes = Counter(str(future.result().outcome) for future in as_completed(futures))
    wall = time.perf_counter() - start
    for pool in pools.values():
        pool.shutdown()
    return {"wall": wall, "outcomes": dict(outcomes)}


def load_average() -> float:
    """The 1-minute load average (NaN where the OS has none): other work skews the figures."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def in_fresh_process(context: Any, function: Any, *args: Any) -> Any:
    """Run function(*args) in a new process (so its peak RSS is its own) and return the result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


# --------------------------------------------------------------------------- figures


@dataclass
class Figures:
    """What one benchmark run measured."""

    registrations: int
    latency: float
    concurrency: int
    database: str
    job: dict[str, Any]
    baseline: dict[str, Any] | None  # None in the memory run, which times the job alone
    lookups_only: dict[str, Any] | None
    setup_seconds: float
    load: tuple[float, float]
    started: datetime

    @property
    def counts(self) -> dict[str, int]:
        """Requests the simulator served per register during the job."""
        return self.job["counts"]

    @property
    def lookups(self) -> dict[str, int]:
        return Counter(p.body for p in plan(self.registrations))

    def ideal_for(self, body: str) -> float:
        return self.lookups[body] * self.latency / self.concurrency

    @property
    def bounding_body(self) -> str:
        return max(BODIES, key=self.ideal_for)

    @property
    def ideal(self) -> float:
        return self.ideal_for(self.bounding_body)

    @property
    def ratio(self) -> float:
        return self.job["wall"] / self.ideal

    @property
    def lookups_per_second(self) -> float:
        return self.registrations / self.job["wall"]

    @property
    def memory_run(self) -> bool:
        """Whether this is the memory run (the job alone, no baseline): only its RSS is judged."""
        return self.baseline is None

    @property
    def baseline_ratio(self) -> float:
        assert self.baseline is not None
        return self.job["wall"] / self.baseline["wall"]

    @property
    def met(self) -> bool:
        memory = self.job["peak_rss_mb"] < TARGET_PEAK_MB
        return memory if self.memory_run else memory and self.ratio <= TARGET_RATIO

    def rows(self) -> list[tuple[str, str]]:
        if self.memory_run:
            return self.memory_rows()
        assert self.baseline is not None
        assert self.lookups_only is not None
        b = self.bounding_body
        trips = ", ".join(f"{body.upper()} {self.counts[body]:,}" for body in BODIES)
        per_body = self.registrations // len(BODIES)
        return [
            ("Registrations checked", f"{self.registrations:,} ({per_body:,} per register)"),
            ("Outcomes recorded", ", ".join(f"{k} {v:,}" for k, v in self.job["stored"].items())),
            ("Round trips to the simulator", trips),
            ("Wall time of verify_due()", f"{self.job['wall']:.2f} s"),
            (
                f"Ideal ({b.upper()}: {self.lookups[b]:,} lookups × {self.latency * 1000:g} ms"
                f" ÷ {self.concurrency})",
                f"{self.ideal:.2f} s",
            ),
            (f"Ratio to ideal (target ≤ {TARGET_RATIO:.2f})", f"{self.ratio:.3f}"),
            ("Lookups per second", f"{self.lookups_per_second:.1f}"),
            (
                "CPU time of the job process (of it, the recording thread)",
                f"{self.job['cpu']:.1f} s ({self.job['main_cpu']:.1f} s)",
            ),
            (
                f"Peak RSS of the job process (target < {TARGET_PEAK_MB} MB)",
                f"{self.job['peak_rss_mb']:.0f} MB ({self.job['rss_before_mb']:.0f} MB before"
                " the run)",
            ),
            ("Baseline: same round trips with plain requests", f"{self.baseline['wall']:.2f} s"),
            ("Ratio to baseline", f"{self.baseline_ratio:.3f}"),
            (
                "Lookups alone: same adapters and pools, no database",
                f"{self.lookups_only['wall']:.2f} s (ratio to baseline"
                f" {self.lookups_only['wall'] / self.baseline['wall']:.3f})",
            ),
            ("Targets met", "yes" if self.met else "no"),
        ]

    def memory_rows(self) -> list[tuple[str, str]]:
        b = self.bounding_body
        trips = ", ".join(f"{body.upper()} {self.counts[body]:,}" for body in BODIES)
        per_body = self.registrations // len(BODIES)
        return [
            ("Registrations checked", f"{self.registrations:,} ({per_body:,} per register)"),
            ("Outcomes recorded", ", ".join(f"{k} {v:,}" for k, v in self.job["stored"].items())),
            ("Round trips to the simulator", trips),
            ("Simulator latency per lookup", f"{self.latency * 1000:g} ms"),
            ("Wall time of verify_due()", f"{self.job['wall']:.2f} s"),
            (
                f"Ideal ({b.upper()}: {self.lookups[b]:,} lookups × {self.latency * 1000:g} ms"
                f" ÷ {self.concurrency}; not a target here)",
                f"{self.ideal:.2f} s (ratio {self.ratio:.2f})",
            ),
            ("Lookups per second", f"{self.lookups_per_second:.1f}"),
            (
                "CPU time of the job process (of it, the recording thread)",
                f"{self.job['cpu']:.1f} s ({self.job['main_cpu']:.1f} s)",
            ),
            (
                f"Peak RSS of the job process (target < {TARGET_PEAK_MB} MB)",
                f"{self.job['peak_rss_mb']:.0f} MB ({self.job['rss_before_mb']:.0f} MB before"
                " the run)",
            ),
            ("Target met", "yes" if self.met else "no"),
        ]


def check_honest(figures: Figures) -> list[str]:
    """Everything that must hold for the figures to mean anything; returns the problems."""
    problems = []
    n = figures.registrations
    expected = {body: count * ROUND_TRIPS[body] for body, count in figures.lookups.items()}
    phases = (
        ("baseline", figures.baseline),
        ("lookups alone", figures.lookups_only),
        ("verify-due", figures.job),
    )
    for name, phase in phases:
        if phase is not None and phase["counts"] != expected:
            problems.append(f"{name}: simulator served {phase['counts']}, expected {expected}")
    job = figures.job
    outcomes: Counter[str] = Counter()
    for counts in job["outcomes"].values():
        outcomes.update(counts)
    if outcomes != Counter(clear=n):
        problems.append(f"verify_due outcomes {dict(outcomes)}, expected clear {n}")
    if job["stored"] != {"clear": n}:
        problems.append(f"checks stored {job['stored']}, expected clear {n}")
    if job["rescheduled"] != n:
        problems.append(f"{job['rescheduled']} registrations rescheduled, expected {n}")
    if job["lapsed"]:
        problems.append(f"{job['lapsed']} registrations lapsed")
    return problems + check_comparisons(figures)


def check_comparisons(figures: Figures) -> list[str]:
    """The baseline and the lookups alone, when measured, read every entry."""
    problems = []
    n = figures.registrations
    if figures.baseline is not None and figures.baseline["statuses"] != {200: n}:
        problems.append(f"baseline statuses {figures.baseline['statuses']}, expected 200 × {n}")
    if figures.lookups_only is not None and figures.lookups_only["outcomes"] != {"clear": n}:
        problems.append(f"lookups alone gave {figures.lookups_only['outcomes']}, expected clear")
    return problems


def machine() -> str:
    """Where the figures were measured: OS, CPUs available (nproc) and Python."""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, nproc {nproc}, Python {platform.python_version()}"


def print_table(figures: Figures) -> None:
    rows = figures.rows()
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()


def markdown(figures: Figures, memory: Figures | None = None) -> str:
    """The verify-due section of BENCHMARKS.md: the issue's run, and the memory run if any."""
    lines = [
        heading(figures),
        "",
        f"Measured {figures.started:%Y-%m-%d %H:%M} UTC by `make bench`"
        f" (`benchmarks/verify_due.py`) on {machine()}; database {figures.database}. Load"
        f" average {figures.load[0]:.2f} at the start, {figures.load[1]:.2f} at the end (other"
        " work on the machine slows all three timings).",
        "",
        f"{figures.registrations:,} registrations, evenly across HCPC, SWE, GMC and NMC, each"
        " a clear entry on the register simulator, which runs in its own process and waits"
        f" {figures.latency * 1000:g} ms before every answer. `verify_due()` runs in a fresh"
        " process as the CLI does, with the default"
        f" {figures.concurrency} concurrent lookups per register. Every lookup goes over HTTP"
        " through the real adapters; the run is refused unless every check recorded is `clear`"
        " and the simulator served exactly the expected requests.",
        "",
        "| Figure | Value |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in figures.rows()),
        "",
        "The ideal is the slowest register's lookups × latency ÷ concurrency. The simulator's"
        " latency is per lookup: a GMC lookup is two round trips (`/doctors/` redirects to"
        " `/registrants/`) and only the entry page is delayed. The baseline"
        " makes the same round trips with the same per-register concurrency using plain"
        " `requests` (no parsing, no database); the ratio to it is the cost of everything"
        ' verify-due adds. "Lookups alone" runs the real adapters in the job\'s pools without'
        " the database, which splits that cost between looking up and recording. Each of the"
        " three runs in a fresh process against the same simulator, one after the other.",
        "",
        f"Setup (simulator start, migrations, seeding) took {figures.setup_seconds:.0f} s, outside"
        " the timed part.",
        "",
    ]
    if memory is not None:
        lines += [
            f"### {memory.registrations:,} registrations: peak memory",
            "",
            f"The job alone (no baseline), in a fresh process, on {memory.registrations:,}"
            f" registrations seeded the same way in their own database, with the simulator waiting"
            f" {memory.latency * 1000:g} ms before every answer instead of"
            f" {figures.latency * 1000:g} ms, to keep `make bench` short: this run is for the peak"
            " RSS of the job process, so its wall time is reported but not judged. Load average"
            f" {memory.load[0]:.2f} at the start, {memory.load[1]:.2f} at the end.",
            "",
            "| Figure | Value |",
            "| --- | --- |",
            *(f"| {name} | {value} |" for name, value in memory.rows()),
            "",
            f"Setup took {memory.setup_seconds:.0f} s, outside the timed part.",
            "",
        ]
    return "\n".join(lines)


def heading(figures: Figures) -> str:
    return SECTION if figures.database == "SQLite" else f"{SECTION} on {figures.database}"


def write_benchmarks(figures: Figures, memory: Figures | None, path: Path) -> None:
    """Replace (or add) the verify-due section of BENCHMARKS.md, keeping any other section."""
    section = markdown(figures, memory)
    if path.exists():
        text = path.read_text()
    else:
        text = (
            "# Benchmarks\n\nPerformance is measured by the scripts in `benchmarks/` (`make bench`)"
            " and reported here, as ratios against a trivial baseline measured in the same run;"
            " never by timed assertions in tests.\n\n"
        )
    pattern = re.compile(
        rf"^{re.escape(heading(figures))}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=DEFAULT_REGISTRATIONS)
    parser.add_argument("--latency", type=float, default=DEFAULT_LATENCY, help="seconds")
    parser.add_argument(
        "--memory-registrations",
        type=int,
        default=DEFAULT_MEMORY_REGISTRATIONS,
        help="registrations of the memory run (the job alone)",
    )
    parser.add_argument(
        "--memory-latency",
        type=float,
        default=DEFAULT_MEMORY_LATENCY,
        help="seconds per lookup in the memory run",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory run")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=DEFAULT_POSTGRES,
        help="PostgreSQL server to run on (a scratch database beside this one's is used)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", action="store_true", help="cProfile the job; print the top")
    parser.add_argument(
        "--write",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="update BENCHMARKS.md (default: only for the issue's runs: 2,000 registrations at"
        " 0.1 s, and 20,000 at 0.01 s for memory)",
    )
    args = parser.parse_args(argv)
    for count in (args.registrations, args.memory_registrations):
        if count < len(BODIES) or count % len(BODIES):
            parser.error("registrations must be a positive multiple of 4")
    if args.write is None:
        args.write = not args.no_memory and (
            args.registrations,
            args.latency,
            args.memory_registrations,
            args.memory_latency,
        ) == (
            DEFAULT_REGISTRATIONS,
            DEFAULT_LATENCY,
            DEFAULT_MEMORY_REGISTRATIONS,
            DEFAULT_MEMORY_LATENCY,
        )
    return args


def prepare_database(
    postgres: str | None, registrations: int, tmp: Path, simulator_url: str
) -> tuple[str, str]:
    """The scratch database's URL and kind, migrated and seeded."""
    if postgres:
        database_url = scratch_postgres(postgres, f"_{registrations}")[0]
        database = "PostgreSQL"
    else:
        database_url, database = f"sqlite:///{tmp / f'bench{registrations}.db'}", "SQLite"
    print(f"Migrating and seeding {registrations:,} registrations ({database})...", flush=True)
    config = bench_config(database_url, simulator_url, str(tmp / "outbox"))
    migrate_and_seed(config, registrations)
    return database_url, database


def benchmark(
    postgres: str | None,
    registrations: int,
    latency: float,
    tmp: Path,
    *,
    memory_run: bool = False,
    profile: bool = False,
) -> Figures:
    """Start the simulator, seed, then time the baseline, the lookups alone and the job (only
    the job in the memory run)."""
    from registry.registers.breakers import DEFAULT_MAX_CONCURRENCY as concurrency

    context = multiprocessing.get_context("spawn")
    when = datetime.now(UTC)
    load_start = load_average()
    started = time.perf_counter()
    print(f"Starting the simulator ({latency * 1000:g} ms per answer)...", flush=True)
    simulator = Simulator(context, registrations, latency)
    database_url = None
    try:
        database_url, database = prepare_database(postgres, registrations, tmp, simulator.url)
        setup = time.perf_counter() - started
        n, url, outbox = registrations, simulator.url, str(tmp / "outbox")
        phases: dict[str, tuple[Any, ...]] = {
            "baseline": (run_baseline, url, n, concurrency),
            "lookups_only": (run_lookups_only, url, n, concurrency),
            "job": (run_job, database_url, url, outbox, profile),
        }
        if memory_run:
            phases = {"job": phases["job"]}
        results: dict[str, Any] = {}
        for name, (function, *arguments) in phases.items():
            print(f"Timing {name.replace('_', ' ')} ({n:,}, {database})...", flush=True)
            simulator.reset()
            results[name] = in_fresh_process(context, function, *arguments)
            results[name]["counts"] = simulator.counts()
            print(f"  {results[name]['wall']:.2f} s", flush=True)
    finally:
        simulator.stop()
        if postgres and database_url:
            drop_postgres(database_url, postgres)
    return Figures(
        registrations=n,
        latency=latency,
        concurrency=concurrency,
        database=database,
        job=results["job"],
        baseline=results.get("baseline"),
        lookups_only=results.get("lookups_only"),
        setup_seconds=setup,
        load=(load_start, load_average()),
        started=when,
    )


def run_database(args: argparse.Namespace, postgres: str | None, tmp: Path) -> bool:
    """The issue's run and the memory run on one database; prints, checks and writes them.

    Returns whether the figures are honest (every check clear, the expected requests served).
    """
    figures = benchmark(postgres, args.registrations, args.latency, tmp, profile=args.profile)
    memory = None
    if not args.no_memory:
        memory = benchmark(
            postgres, args.memory_registrations, args.memory_latency, tmp, memory_run=True
        )
    if figures.job["profile"]:
        print(figures.job["profile"])
    problems = []
    for run in (figures, memory):
        if run is None:
            continue
        print_table(run)
        problems += check_honest(run)
    for problem in problems:
        print(f"NOT HONEST: {problem}", file=sys.stderr)
    if problems:
        return False
    if args.write:
        write_benchmarks(figures, memory, REPO / "BENCHMARKS.md")
        print(f"BENCHMARKS.md updated ({heading(figures)}).")
    met = figures.met and (memory is None or memory.met)
    print(f"Targets {'met' if met else 'MISSED'} on {figures.database}.", flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    total = time.perf_counter()
    databases = ([] if args.no_sqlite else [None]) + ([] if args.no_postgres else [args.postgres])
    honest = True
    for postgres in databases:
        with tempfile.TemporaryDirectory(prefix="bench-verify-due-") as tmp:
            honest = run_database(args, postgres, Path(tmp)) and honest
    print(f"Whole run: {time.perf_counter() - total:.0f} s.")
    return 0 if honest else 2


if __name__ == "__main__":
    sys.exit(main())
