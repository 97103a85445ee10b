"""Benchmark of the register managers' lists: the vetting queue (GET /vetting), registrations
needing attention (GET /verification), expiries (GET /vetting/expiries) and users (GET /users).

For each backend (SQLite always; PostgreSQL when reachable) the script:

1. seeds a scratch database the way the search benchmark does (`benchmarks/search.py`: migrate,
   `flask demo seed --assessors N`, its fixture of register checks, tool training, CPD and
   supervision), then puts one item of every tenth synthetic assessor back to review (a newer
   pending review), so that the vetting queue has pages of its own. The database is kept between
   runs (in the temporary directory for SQLite, as bench_manager_lists_<N> on PostgreSQL) and
   only migrated to head when it is there already; --fresh seeds it again;
2. counts, in-process with the Flask test client signed in as the demo register manager, the SQL
   statements of page 1 and of a middle page of each list (a `before_cursor_execute` listener),
   and the bytes of HTML of each;
3. serves the app with gunicorn (2 sync workers; the search benchmark's server), signs the demo
   register manager in over HTTP (password, then a TOTP code) and drives each page (page 1 and a
   middle page) and GET /health, the trivial baseline, with `hey -c 10` for the same time each:
   requests per second, p50 and p95, and the ratio of each page's throughput to the trivial
   route's.

    .venv/bin/python benchmarks/manager_lists.py                 # the issue's run; BENCHMARKS.md
    .venv/bin/python benchmarks/manager_lists.py --no-postgres --seconds 5
    .venv/bin/python benchmarks/manager_lists.py --save /tmp/before.json    # keep the figures
    .venv/bin/python benchmarks/manager_lists.py --baseline /tmp/before.json   # and compare
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for path in (REPO, REPO / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import search as search_bench  # noqa: E402 (the search benchmark's seeding, server and client)

SECTION = "## Register managers' lists"
MANAGER = "manager@register.example"
MANAGER_SEED = "JBSWY3DPEHPK3PXPMANAGER2"  # demo/seed.py USERS
DEFAULT_ASSESSORS = 10_000
SCRATCH_PREFIX = "bench_manager_lists"
TARGET_P95_MS = 100.0
# Every tenth synthetic assessor has an item back in review.
PENDING_EVERY = 10
LISTS = {
    "vetting queue": "/vetting",
    "registrations needing attention": "/verification",
    "expiries": "/vetting/expiries",
    "users": "/users",
}
NO_ANSWER = {"rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "requests": 0, "failed": 1}
PAGES_OF = re.compile(r"[Pp]age (\d+) of (\d+)")


# --------------------------------------------------------------------------- databases


def sqlite_url(assessors: int) -> str:
    folder = Path(tempfile.gettempdir()) / "manager-lists-bench"
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder}/register-{assessors}.db"


def postgres_url(server_url: str, assessors: int, *, fresh: bool) -> str | None:
    """bench_manager_lists_<N> on the server (created when missing, or when fresh), or None when
    the server is unreachable."""
    import sqlalchemy as sa

    name = f"{SCRATCH_PREFIX}_{assessors}"
    url = sa.make_url(server_url)
    admin = sa.create_engine(
        url.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with admin.connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
            ).scalar()
            if exists and fresh:
                connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            if not exists or fresh:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL not reachable at {url.render_as_string()}: {error.orig}")
        return None
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def seeded_assessors(app: Any) -> int:
    """How many synthetic assessors the database holds (0 when it has no schema yet)."""
    from sqlalchemy import func, inspect, select

    from demo.bulk import PREFIX
    from registry.extensions import db
    from registry.models import ItemReview, User

    with app.app_context():
        if not inspect(db.engine).has_table("item_review"):
            return 0
        count = db.session.scalar(select(func.count(User.id)).where(User.email.like(f"{PREFIX}%")))
        # The pending reviews are added last: without them the seeding did not finish.
        pending = db.session.scalar(
            select(func.count(ItemReview.id)).where(ItemReview.message == "benchmark fixture")
        )
        db.session.remove()
        return int(count or 0) if pending else 0


def prepare(app: Any, database_url: str, assessors: int) -> tuple[float, bool]:
    """Seed the database, or migrate it when it holds the register already.
    Returns (seconds, reused)."""
    from flask_migrate import upgrade

    from registry.extensions import db

    started = time.perf_counter()
    if seeded_assessors(app) == assessors:
        with app.app_context():
            upgrade()
            db.engine.dispose()
        return time.perf_counter() - started, True
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        with app.app_context():
            db.engine.dispose()
    search_bench.seed(app, assessors)
    with app.app_context():
        add_pending_reviews(datetime.now(UTC))
        db.engine.dispose()
    return time.perf_counter() - started, False


def add_pending_reviews(now: datetime) -> None:
    """Put the insurance of every tenth synthetic assessor back to review (a newer pending
    review, as after a change), at times spread over the last day."""
    from sqlalchemy import insert, select

    from demo.bulk import PREFIX
    from registry.extensions import db
    from registry.models import Assessor, Insurance, ItemReview, ReviewStatus, User

    rows = db.session.execute(
        select(Assessor.id, Insurance.id, User.email)
        .join(User, User.id == Assessor.user_id)
        .join(Insurance, Insurance.assessor_id == Assessor.id)
        .where(User.email.like(f"{PREFIX}%"))
        .order_by(Assessor.id)
    ).all()
    values = []
    for assessor_id, insurance_id, email in rows:
        n = int(email[len(PREFIX) :].split("@")[0])
        if n % PENDING_EVERY:
            continue
        values.append(
            {
                "assessor_id": assessor_id,
                "item_type": "insurance",
                "item_id": insurance_id,
                "status": ReviewStatus.PENDING,
                # After the bulk seed's accepted review (a day old), so the latest is pending.
                "submitted_at": now - timedelta(minutes=(n * 37) % (23 * 60)),
                "message": "benchmark fixture",
            }
        )
    for start in range(0, len(values), 1000):
        db.session.execute(insert(ItemReview), values[start : start + 1000])
    db.session.commit()


# --------------------------------------------------------------------------- in-process


@dataclass
class ListFigures:
    """One list: its pages, statements per page and bytes, then the load figures."""

    name: str
    path: str
    pages: int = 1
    middle: int = 1
    statements: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    load: dict[str, dict[str, float]] = field(default_factory=dict)

    def url(self, which: str) -> str:
        return self.path if which == "page 1" else f"{self.path}?page={self.middle}"


def signed_in_client(app: Any) -> Any:
    """A test client signed in as the demo register manager (both factors), as the suite does."""
    from sqlalchemy import select

    from registry.extensions import db
    from registry.models import User

    with app.app_context():
        manager = db.session.scalars(select(User).where(User.email == MANAGER)).one()
        user_id = manager.get_id()
        db.session.remove()
    client = app.test_client()
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
        session["auth_at"] = now
        session["seen_at"] = now
        session["mfa_at"] = now
    return client


def measure_in_process(app: Any) -> list[ListFigures]:
    """Statements and bytes of page 1 and a middle page of each list."""
    from sqlalchemy import event

    from registry.extensions import db

    client = signed_in_client(app)
    figures = []
    with app.app_context():
        engine = db.engine
    for name, path in LISTS.items():
        f = ListFigures(name, path)
        first = client.get(path)
        if first.status_code != 200:
            raise RuntimeError(f"{path} answered {first.status_code}")
        found = PAGES_OF.search(first.get_data(as_text=True))
        f.pages = int(found.group(2)) if found else 1
        f.middle = max(1, (f.pages + 1) // 2)
        for which in ("page 1", "middle page"):
            client.get(f.url(which))  # warm: templates, compiled statements
            statements: list[str] = []

            def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                statements.append(statement)  # noqa: B023 (removed before the next loop)

            event.listen(engine, "before_cursor_execute", count)
            try:
                response = client.get(f.url(which))
            finally:
                event.remove(engine, "before_cursor_execute", count)
            if response.status_code != 200:
                raise RuntimeError(f"{f.url(which)} answered {response.status_code}")
            f.statements[which] = len(statements)
            f.bytes[which] = len(response.get_data())
        figures.append(f)
    with app.app_context():
        db.engine.dispose()
    return figures


# --------------------------------------------------------------------------- HTTP


def sign_in(base: str) -> Any:
    """The real sign-in of the demo register manager: password, then a TOTP code."""
    from demo.seed import DEMO_PASSWORD
    from registry.auth import totp

    session = search_bench.new_session()
    token = search_bench.csrf_token(session.get(f"{base}/sign-in").text)
    response = session.post(
        f"{base}/sign-in",
        data={"csrf_token": token, "email": MANAGER, "password": DEMO_PASSWORD},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in refused ({response.status_code})")
    token = search_bench.csrf_token(session.get(f"{base}/sign-in/code").text)
    code = totp.code_at(MANAGER_SEED, datetime.now(UTC))
    response = session.post(
        f"{base}/sign-in/code", data={"csrf_token": token, "code": code}, allow_redirects=False
    )
    if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
        raise RuntimeError(f"second factor refused ({response.status_code})")
    return session


def load_figures(load: Any) -> dict[str, float]:
    return {
        "rps": load.rps,
        "p50": load.percentile(50),
        "p95": load.percentile(95),
        "p99": load.percentile(99),
        "requests": load.requests,
        "failed": load.failed,
    }


@dataclass
class Backend:
    backend: str
    assessors: int
    seed_seconds: float
    reused: bool
    lists: list[ListFigures]
    trivial: dict[str, float]
    connections: int
    seconds: float
    load_average: float = 0.0  # the 1-minute load average when the backend's run ended

    def ratio(self, f: ListFigures, which: str) -> float:
        return f.load[which]["rps"] / self.trivial["rps"] if self.trivial.get("rps") else 0.0


def run_backend(backend: str, url: str, args: argparse.Namespace) -> Backend:
    from registry import create_app

    app = create_app(search_bench.bench_config(url))
    print(f"== {backend}: preparing a register of {args.assessors:,} assessors ...", flush=True)
    seconds, reused = prepare(app, url, args.assessors)
    print(f"   {'migrated' if reused else 'seeded'} in {seconds:.1f} s", flush=True)
    lists = measure_in_process(app)
    for f in lists:
        print(
            f"   {f.name}: {f.pages} pages; statements {f.statements}; bytes {f.bytes}", flush=True
        )
    server = search_bench.Gunicorn(url, args.workers)
    try:
        session = sign_in(server.base)
        budget = {"connections": args.concurrency, "seconds": args.seconds}
        print(
            f"   measuring with hey -c {args.concurrency}, {args.seconds:.0f} s per page ...",
            flush=True,
        )
        trivial = load_figures(
            search_bench.hammer(f"{server.base}/health", session.cookies, **budget)
        )
        for f in lists:
            for which in ("page 1", "middle page"):
                check = session.get(f"{server.base}{f.url(which)}", allow_redirects=False)
                if check.status_code != 200:
                    raise RuntimeError(f"{f.url(which)} answered {check.status_code} over HTTP")
                try:
                    f.load[which] = load_figures(
                        search_bench.hammer(
                            f"{server.base}{f.url(which)}", session.cookies, **budget
                        )
                    )
                except (RuntimeError, subprocess.CalledProcessError) as error:
                    # No request finished within the time (or hey gave up): recorded as such.
                    print(f"   {f.name} {which}: {error}", flush=True)
                    f.load[which] = {**NO_ANSWER}
                    continue
                print(
                    f"   {f.name} {which}: {f.load[which]['rps']:.1f} req/s, p50 "
                    f"{f.load[which]['p50']:.1f} ms, p95 {f.load[which]['p95']:.1f} ms",
                    flush=True,
                )
    except Exception:
        server.log.seek(0)
        log = Path(tempfile.gettempdir(), "manager-lists-bench-gunicorn.log")
        log.write_bytes(server.log.read())
        print(f"gunicorn log: {log}", file=sys.stderr)
        raise
    finally:
        server.stop()
    print(
        f"   trivial /health: {trivial['rps']:.1f} req/s, p95 {trivial['p95']:.1f} ms", flush=True
    )
    return Backend(
        backend,
        args.assessors,
        seconds,
        reused,
        lists,
        trivial,
        args.concurrency,
        args.seconds,
        os.getloadavg()[0],
    )


# --------------------------------------------------------------------------- BENCHMARKS.md


def to_json(backends: list[Backend]) -> list[dict[str, Any]]:
    return [asdict(b) for b in backends]


def from_json(data: list[dict[str, Any]]) -> list[Backend]:
    backends = []
    for b in data:
        lists = [ListFigures(**f) for f in b.pop("lists")]
        backends.append(Backend(**b, lists=lists))
    return backends


def table(b: Backend) -> list[str]:
    trivial = (
        f"trivial GET /health: {b.trivial['rps']:.0f} req/s, p50 / p95 {b.trivial['p50']:.1f} / "
        f"{b.trivial['p95']:.1f} ms."
        if b.trivial.get("rps")
        else "trivial GET /health not measured in this run."
    )
    machine = f" Load average {b.load_average:.2f} at the end." if b.load_average else ""
    lines = [
        f"**{b.backend}**, {b.assessors:,} assessors; {trivial}{machine}",
        "",
        "| list | page | req/s | p50 / p95 ms | / trivial | statements | HTML KB | pages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in b.lists:
        for which in ("page 1", "middle page"):
            load = f.load.get(which)
            shown = "1" if which == "page 1" else str(f.middle)
            if load is None:
                lines.append(
                    f"| {f.name} | {shown} | not measured | | | {f.statements[which]} | "
                    f"{f.bytes[which] / 1024:.0f} | {f.pages} |"
                )
                continue
            if load["requests"] == 0:
                lines.append(
                    f"| {f.name} | {shown} | 0 | no answer within {b.seconds:.0f} s | 0 | "
                    f"{f.statements[which]} | {f.bytes[which] / 1024:.0f} | {f.pages} |"
                )
                continue
            ratio = f"{b.ratio(f, which):.0%}" if b.trivial.get("rps") else "n/a"
            lines.append(
                f"| {f.name} | {shown} | {load['rps']:.0f} | {load['p50']:.1f} / "
                f"{load['p95']:.1f} | {ratio} | {f.statements[which]} | "
                f"{f.bytes[which] / 1024:.0f} | {f.pages} |"
            )
    return lines


def targets(b: Backend) -> dict[str, bool]:
    return {
        f"every page p95 under {TARGET_P95_MS:.0f} ms": all(
            load["requests"] > 0 and load["p95"] < TARGET_P95_MS
            for f in b.lists
            for load in f.load.values()
        ),
        "statements per page the same on page 1 and a middle page": all(
            len(set(f.statements.values())) == 1 for f in b.lists
        ),
        "every request answered 200": b.trivial["failed"] == 0
        and all(load["failed"] == 0 for f in b.lists for load in f.load.values()),
    }


def section(backends: list[Backend], baseline: list[Backend], args: argparse.Namespace) -> str:
    ended = Path(args.from_json).stat().st_mtime if args.from_json else time.time()
    day = datetime.fromtimestamp(ended, UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = "" if args.from_json else f"; load average {os.getloadavg()[0]:.2f} at the end"
    machine = (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    lines = [
        SECTION,
        "",
        "`benchmarks/manager_lists.py` (run by `make bench`): the register managers' four lists, "
        "GET /vetting (the vetting queue), /verification (registrations needing attention), "
        "/vetting/expiries (default window) and /users, page 1 and a middle page each, served by "
        "gunicorn with "
        f"{args.workers} sync workers and driven by `hey -c {args.concurrency}` for "
        f"{args.seconds:.0f} s each with the signed-in demo register manager's session cookie, "
        "against GET /health (one `SELECT 1`) on the same server in the same run. The register is "
        "seeded as for the eligible search (`flask demo seed --assessors N` and the search "
        "benchmark's fixture), and one item of every tenth synthetic assessor is put back to "
        "review. Statements are counted in-process (a `before_cursor_execute` listener, the "
        "Flask test client); HTML KB is the page's size.",
        "",
        f"Run ended {day} on {machine}{load}; the machine was shared with other work (compare "
        "each page with the trivial route of the same run).",
        "",
    ]
    for b in backends:
        lines += table(b)
        lines.append("")
        lines.append(
            "Targets: "
            + "; ".join(f"{name}: {'yes' if ok else '**no**'}" for name, ok in targets(b).items())
            + "."
        )
        lines.append("")
    if baseline:
        lines += [
            "Before (the same script on the code before issue 14's changes to these lists; a "
            "page with no answer within the time answered no request at all, and the rows not "
            "measured are those that run did not reach):",
            "",
        ]
        for b in baseline:
            lines += table(b)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_section(text: str) -> None:
    """Replace (or append) this script's section of BENCHMARKS.md, leaving the rest alone."""
    search_bench.write_section(text, SECTION)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessors", type=int, default=DEFAULT_ASSESSORS)
    parser.add_argument("--seconds", type=float, default=10, help="load per page (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=10, help="hey connections")
    parser.add_argument("--postgres", default=search_bench.DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="seed the databases again")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="figures of an earlier run (--save) to show too")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--from-json", help="measure nothing: write the section from --save's file")
    args = parser.parse_args()
    backends: list[Backend] = []
    if args.from_json:
        backends = from_json(json.loads(Path(args.from_json).read_text()))
    else:
        url = sqlite_url(args.assessors)
        if args.fresh:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        backends.append(run_backend("SQLite", url, args))
        if not args.no_postgres:
            pg = postgres_url(args.postgres, args.assessors, fresh=args.fresh)
            if pg is not None:
                backends.append(run_backend("PostgreSQL", pg, args))
    if args.save and not args.from_json:
        Path(args.save).write_text(json.dumps(to_json(backends), indent=1))
    baseline = from_json(json.loads(Path(args.baseline).read_text())) if args.baseline else []
    text = section(backends, baseline, args)
    print(text)
    for b in backends:
        print(b.backend, targets(b))
    if not args.no_write:
        write_section(text)
        print("BENCHMARKS.md updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
