"""Benchmark of approval: `registry/commissions/panel.py decide`, which re-runs the gate and
freezes the decision's snapshot.

For each backend (SQLite always; PostgreSQL when reachable) the script migrates a scratch
database, seeds it with `flask demo seed --assessors N` and the search benchmark's fixture, then,
in-process, raises COMMISSIONS typical requests as the demo officer, selects an eligible assessor
for each (the first of the search's page), has the assessor accept with no conflict, and times
the demo panel member's approval of each, in a fresh session as in a request. It reports p50 and
p95 of decide, and the same for a trivial statement (SELECT 1) timed the same way, for a ratio.

Approval runs as in production: JOBS_INLINE off, so the decision's email is a row committed with
the decision and one job enqueued on Redis (database 11, emptied first) after the commit; the
timing includes that enqueue. After the timing a burst worker, in this process, delivers what was
queued, and the script checks that every approval's email was sent exactly once.

    .venv/bin/python benchmarks/approval.py            # updates BENCHMARKS.md
    .venv/bin/python benchmarks/approval.py --no-postgres --commissions 20
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for path in (REPO, REPO / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import search as search_bench  # noqa: E402 (the search benchmark's seeding and scratch databases)

SECTION = "## Approval"
PANEL = "panel@northshire.example"
TARGET_P95_MS = 100.0
# The benchmark's own Redis database for the job queue (the tests use 7, the load test 9 and 10).
JOBS_REDIS = "redis://127.0.0.1:6379/11"
APPROVED = "%: the panel approved it"


def queue_config(database_url: str, outbox: str, *, inline: bool = False) -> type:
    """The search benchmark's configuration with the job queue on, as in production (or, with
    inline, jobs run in the request as in development: how approval was measured before)."""
    return type(
        "ApprovalBenchConfig",
        (search_bench.bench_config(database_url),),
        {
            "JOBS_INLINE": inline,
            "JOBS_REDIS_URL": JOBS_REDIS,
            "MAIL_BACKEND": "outbox",
            "MAIL_OUTBOX_DIR": outbox,
        },
    )


def empty_queue() -> None:
    """Empty the benchmark's Redis database (only that one); SystemExit when unreachable."""
    import redis

    try:
        redis.Redis.from_url(JOBS_REDIS, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"approval benchmark: needs Redis at {JOBS_REDIS} ({error})") from error


def deliver_queued(app: Any, commissions: int, outbox: str) -> dict[str, int]:
    """Run a burst worker on what the run queued, then check that each approval's email was
    sent exactly once: a row marked sent per approval, and one message per approval written to
    the outbox folder (the development mail backend)."""
    from email import message_from_bytes

    from sqlalchemy import func, select

    from registry.extensions import db
    from registry.jobs.worker import run_worker
    from registry.models import OutgoingEmail

    run_worker(app, burst=True)
    with app.app_context():
        approved = OutgoingEmail.subject.like(APPROVED)
        rows = db.session.scalar(select(func.count()).where(approved))
        sent = db.session.scalar(
            select(func.count()).where(approved, OutgoingEmail.sent_at.is_not(None))
        )
        retried = db.session.scalar(
            select(func.count()).where(approved, OutgoingEmail.attempts > 1)
        )
        db.session.remove()
    messages = sum(
        1
        for path in Path(outbox).glob("*.eml")
        if str(message_from_bytes(path.read_bytes())["Subject"]).endswith(APPROVED[2:])
    )
    if not rows == sent == messages == commissions:
        raise SystemExit(
            f"approval benchmark: {commissions} approvals, {rows} email rows, {sent} marked "
            f"sent, {messages} messages written"
        )
    return {"emails_sent": messages, "emails_retried": int(retried or 0)}


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def measure(app: Any, commissions: int, *, profile: bool = False) -> dict[str, Any]:
    """Raise, select, accept and approve `commissions` requests; time each approval."""
    from sqlalchemy import select, text, update

    from registry.commissions import panel, requests, search, selection
    from registry.commissions.case import CaseData
    from registry.extensions import db
    from registry.models import Assessor, Commission, User
    from registry.models.people import RoleGrant

    decide_times: list[float] = []
    trivial_times: list[float] = []
    with app.app_context():
        now = datetime.now(UTC)
        officer = db.session.scalar(select(User).where(User.email == search_bench.OFFICER))
        # The demo panel member was granted at seeding; a new holder decides nothing for the
        # settling days (AC-09), so the benchmark dates the grant back.
        member_id = db.session.scalar(select(User.id).where(User.email == PANEL))
        db.session.execute(
            update(RoleGrant)
            .where(RoleGrant.user_id == member_id)
            .values(confirmed_at=now - timedelta(days=60))
        )
        ids = []
        for n in range(commissions):
            data = CaseData(
                case_reference=f"NS/2026/{n:04d}",
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
            page = search.find_eligible(commission, search.Filters(), now=now)
            # A result shows the assessor as plain values (search.Shown), not a database row.
            assessor = db.session.get(Assessor, page.results[n % len(page.results)].assessor.id)
            assert assessor is not None
            selection.select_assessor(officer, commission, assessor.id, now=now)
            answer = selection.Answer(True, "", False, False, False, False, "", no_conflict=True)
            selection.respond(assessor.user, commission, answer, now=now)
            db.session.commit()
            ids.append(commission.id)
        profiler = cProfile.Profile()
        for commission_id in ids:
            if profile:
                profiler.enable()
            db.session.remove()
            started = time.perf_counter()
            member = db.session.scalar(select(User).where(User.email == PANEL))
            commission = db.session.get(Commission, commission_id)
            panel.decide(member, commission, True, "", now=now)
            db.session.commit()
            decide_times.append(time.perf_counter() - started)
            profiler.disable()
            db.session.remove()
            started = time.perf_counter()
            db.session.execute(text("SELECT 1"))
            db.session.commit()
            trivial_times.append(time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(40)
        # The service's own steps, and where the time goes inside them.
        stats.print_stats(r"registry/|rq/queue|redis/client", 40)
        stats.sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    return {
        "decide_p50": percentile(decide_times, 50),
        "decide_p95": percentile(decide_times, 95),
        "trivial_p50": percentile(trivial_times, 50),
        "trivial_p95": percentile(trivial_times, 95),
        "count": len(decide_times),
    }


def seed(app: Any, assessors: int) -> None:
    """The search benchmark's seeding (a kept register copied when there is one). Seeding leaves
    a PostgreSQL connection that only a garbage collection closes (it sits in a reference cycle),
    and copying the seeded database into a template needs it closed: collect when disposing."""
    import gc

    dispose = search_bench._dispose

    def dispose_and_collect(app: Any) -> None:
        dispose(app)
        gc.collect()

    search_bench._dispose = dispose_and_collect
    try:
        search_bench.seed(app, assessors)
    finally:
        search_bench._dispose = dispose


def run_backend(backend: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    from registry import create_app

    print(f"== {backend}: seeding {args.assessors} assessors ...", flush=True)
    seed(create_app(search_bench.bench_config(url)), args.assessors)
    empty_queue()
    with tempfile.TemporaryDirectory() as outbox:
        app = create_app(queue_config(url, outbox, inline=args.jobs_inline))
        figures = measure(app, args.commissions, profile=args.profile)
        figures.update(deliver_queued(app, args.commissions, outbox))
        empty_queue()
    figures["backend"] = backend
    print(
        f"   decide p50 {figures['decide_p50']:.1f} ms, p95 {figures['decide_p95']:.1f} ms; "
        f"SELECT 1 p50 {figures['trivial_p50']:.2f} ms; "
        f"{figures['emails_sent']} approval emails sent, once each",
        flush=True,
    )
    return figures


def section(all_figures: list[dict[str, Any]], args: argparse.Namespace) -> str:
    day = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"`benchmarks/approval.py` (run by `make bench`), {day}: `panel.decide` approving "
        f"{args.commissions} typical requests in-process, each in a fresh session as in a "
        f"request (loading the panel member and the commission, re-running the gate, freezing "
        f"the snapshot, committing once, "
        + (
            "then delivering the email in the request, JOBS_INLINE on as in development), "
            if args.jobs_inline
            else "enqueueing the email's delivery job on Redis), "
        )
        + f"on a register of {args.assessors:,} synthetic assessors. "
        + (
            "Each approval's email was sent once ("
            if args.jobs_inline
            else "As in production the job queue is on (JOBS_INLINE off): a burst worker then "
            "sent each approval's email, once ("
        )
        + ", ".join(
            f"{f['backend']}: {f['emails_sent']} sent, {f['emails_retried']} retried"
            for f in all_figures
        )
        + ").",
        "",
        "| | " + " | ".join(f["backend"] for f in all_figures) + " |",
        "|---|" + "---|" * len(all_figures),
    ]
    for label, key in (("decide p50 ms", "decide_p50"), ("decide p95 ms", "decide_p95")):
        lines.append(f"| {label} | " + " | ".join(f"{f[key]:.1f}" for f in all_figures) + " |")
    lines.append(
        "| SELECT 1 and commit, p50 / p95 ms | "
        + " | ".join(f"{f['trivial_p50']:.2f} / {f['trivial_p95']:.2f}" for f in all_figures)
        + " |"
    )
    lines.append(
        f"| target: p95 < {TARGET_P95_MS:.0f} ms | "
        + " | ".join("yes" if f["decide_p95"] < TARGET_P95_MS else "**no**" for f in all_figures)
        + " |"
    )
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace (or append) this script's section of BENCHMARKS.md, leaving the rest alone."""
    search_bench.write_section(text, SECTION)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessors", type=int, default=10_000)
    parser.add_argument("--commissions", type=int, default=60)
    parser.add_argument("--postgres", default=search_bench.DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument(
        "--profile", action="store_true", help="print decide's profile; never written"
    )
    parser.add_argument(
        "--jobs-inline",
        action="store_true",
        help="deliver the email in the request (development's JOBS_INLINE); never written",
    )
    args = parser.parse_args()
    search_bench.SCRATCH_DATABASE = "bench_approval"
    all_figures = []
    with tempfile.TemporaryDirectory() as tmp:
        all_figures.append(run_backend("SQLite", f"sqlite:///{tmp}/bench.db", args))
    if not args.no_postgres:
        url = search_bench.scratch_postgres(args.postgres)
        if url is not None:
            try:
                all_figures.append(run_backend("PostgreSQL", url, args))
            finally:
                search_bench.drop_postgres(url)
    text = section(all_figures, args)
    print(text)
    if (args.write or not args.no_postgres) and not (args.jobs_inline or args.profile):
        write_section(text)
        print("BENCHMARKS.md updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
