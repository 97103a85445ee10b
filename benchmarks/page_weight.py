"""Page weight: the HTML of every page a user can reach, on the demo data (issue 14: every page
under 100 KB).

The script builds a scratch SQLite database with the demo data as `make run` does (`flask demo
seed`, `flask registers verify-due` against the register simulator, started in a thread here, and
`flask demo commissions`), then, in-process with the Flask test client, signs in as a demo user of
each role and GETs every GET rule of the URL map, once for each object of the demo data that fits
its URL arguments (every assessor, commission, registration, user, ...). Every answer that is a
200 HTML page counts; it reports how many pages were visited, the heaviest five (path, role, KB)
and whether every page is under the limit, and writes the "## Page weight" section of
BENCHMARKS.md. tests/test_page_weight.py walks the same pages with the same code and fails on a
page over the limit.

    .venv/bin/python benchmarks/page_weight.py              # updates BENCHMARKS.md
    .venv/bin/python benchmarks/page_weight.py --no-write
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SECTION = "## Page weight"
LIMIT_BYTES = 100 * 1024
# One demo user of each role (demo/seed.py USERS).
DEMO_USERS = {
    "assessor": "assessor@example.org",
    "officer": "officer@northshire.example",
    "panel_member": "panel@northshire.example",
    "register_manager": "manager@register.example",
    "auditor": "auditor@northshire.example",
}
# URL arguments that have no object in the data: links from emails, stored files.
SKIPPED_ARGUMENTS = frozenset({"token", "filename"})
PER_ARGUMENT = 200  # at most this many objects per URL argument


@dataclass(frozen=True)
class Page:
    path: str
    role: str
    endpoint: str
    size: int

    @property
    def kb(self) -> float:
        return self.size / 1024


# --------------------------------------------------------------------------- the walk


def argument_values(app: Any) -> dict[str, list[Any]]:
    """For each URL argument, the ids (or keys) of the objects of the data, in order."""
    from sqlalchemy import select

    from registry.extensions import db
    from registry.models import (
        AdmissionDecision,
        Assessor,
        Commission,
        Document,
        RegisterPage,
        Registration,
        User,
        VerificationCheck,
    )
    from registry.models.people import RoleGrant

    columns = {
        "assessor_id": Assessor.id,
        "commission_id": Commission.id,
        "registration_id": Registration.id,
        "user_id": User.id,
        "decision_id": AdmissionDecision.id,
        "grant_id": RoleGrant.id,
        "check_id": VerificationCheck.id,
        "document_id": Document.id,
        "sha256": RegisterPage.sha256,
    }
    with app.app_context():
        values = {
            name: list(db.session.scalars(select(column).order_by(column).limit(PER_ARGUMENT)))
            for name, column in columns.items()
        }
        db.session.remove()
    return values


def item_ids(app: Any, email: str) -> dict[str, list[int]]:
    """The profile items of one assessor, by section key (for /profile/<section>/<item_id>)."""
    from sqlalchemy import select

    from assessors.overview import SECTIONS
    from registry.extensions import db
    from registry.models import Assessor, Base, User

    tables = {mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers}
    found: dict[str, list[int]] = {}
    with app.app_context():
        assessor_id = db.session.scalar(
            select(Assessor.id).join(User, User.id == Assessor.user_id).where(User.email == email)
        )
        for section in SECTIONS:
            model = tables.get(section.item_type)
            if model is None or assessor_id is None or not hasattr(model, "assessor_id"):
                continue
            found[section.key] = list(
                db.session.scalars(
                    select(model.id).where(model.assessor_id == assessor_id).order_by(model.id)
                )
            )
        db.session.remove()
    return found


def signed_in(app: Any, email: str) -> Any:
    """A test client signed in as the user through both factors (as the suite's logged_in)."""
    from sqlalchemy import select

    from registry.extensions import db
    from registry.models import User

    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        user_id = user.get_id()
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


def urls_of(rule: Any, values: dict[str, list[Any]], items: dict[str, list[int]]) -> Iterator[str]:
    """The rule's URL for every combination of objects of the data that fits its arguments."""
    from werkzeug.routing import AnyConverter

    arguments = sorted(rule.arguments)
    if any(name in SKIPPED_ARGUMENTS for name in arguments):
        return
    section_converter = rule._converters.get("section")
    sections = (
        sorted(section_converter.items) if isinstance(section_converter, AnyConverter) else [None]
    )
    for section in sections:
        choices: list[list[Any]] = []
        for name in arguments:
            if name == "section":
                choices.append([section])
            elif name == "item_id":
                choices.append(items.get(str(section), []))
            else:
                choices.append(values.get(name, []))
        for combination in itertools.product(*choices):
            built = dict(zip(arguments, combination, strict=True))
            yield rule.build(built, append_unknown=False)[1]


def walk(
    app: Any, users: dict[str, str] | None = None, *, on_page: Callable[[Page], None] | None = None
) -> list[Page]:
    """Every HTML page each user can reach: every GET rule with the data's objects."""
    users = users or DEMO_USERS
    values = argument_values(app)
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and "GET" in rule.methods
    ]
    pages: list[Page] = []
    for role, email in users.items():
        client = signed_in(app, email)
        items = item_ids(app, email)
        for rule in rules:
            for url in urls_of(rule, values, items):
                response = client.get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                page = Page(url, role, rule.endpoint, len(response.get_data()))
                pages.append(page)
                if on_page is not None:
                    on_page(page)
    return pages


# --------------------------------------------------------------------------- the demo data


def demo_app(database_url: str) -> Any:
    """A development app on the database, pointed at a register simulator started in a thread,
    with the demo data of `make run` in it."""
    from config import DevelopmentConfig
    from registry import create_app
    from simulator.app import make_simulator_app, start_in_thread

    simulator = make_simulator_app(stall_seconds=5.0)
    _server, base_url = start_in_thread(simulator)
    config = type(
        "PageWeightConfig",
        (DevelopmentConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DEBUG": False,
            "JOBS_INLINE": True,
            "LOG_JSON": True,
            "RATELIMIT_ENABLED": False,
            **{f"REGISTER_{body}_URL": base_url for body in ("HCPC", "SWE", "GMC", "NMC")},
        },
    )
    app = create_app(config)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    for args in (["demo", "seed"], ["registers", "verify-due"], ["demo", "commissions"]):
        result = runner.invoke(args=args)
        # verify-due exits 1 when a register could not be read (the simulator's unreadable
        # pages); the checks it made are kept all the same.
        if result.exit_code != 0 and args[0] != "registers":
            raise RuntimeError(f"flask {' '.join(args)} failed: {result.output}")
    return app


# --------------------------------------------------------------------------- BENCHMARKS.md


def heaviest(pages: list[Page], n: int = 5) -> list[Page]:
    """The n heaviest pages, one per path (the heaviest role's)."""
    best: dict[str, Page] = {}
    for page in pages:
        if page.path not in best or page.size > best[page.path].size:
            best[page.path] = page
    return sorted(best.values(), key=lambda p: p.size, reverse=True)[:n]


def section(pages: list[Page]) -> str:
    day = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    over = [p for p in pages if p.size >= LIMIT_BYTES]
    roles = sorted({p.role for p in pages})
    lines = [
        SECTION,
        "",
        f"`benchmarks/page_weight.py` (run by `make bench`), {day}: on the demo data of `make run` "
        "(`flask demo seed`, `flask registers verify-due`, `flask demo commissions`; SQLite), a "
        "demo user of each role signed in with the Flask test client GETs every GET rule of the "
        "URL map once for each object of the data that fits its arguments; every 200 HTML answer "
        "is a page. `tests/test_page_weight.py` walks the same pages and fails on any over "
        f"{LIMIT_BYTES // 1024} KB.",
        "",
        f"Pages visited: {len(pages)} ({len({p.path for p in pages})} distinct paths; roles: "
        f"{', '.join(roles)}). Every page under {LIMIT_BYTES // 1024} KB: "
        f"{'yes' if not over else '**no** (' + str(len(over)) + ' over)'}.",
        "",
        "| heaviest pages | role | KB |",
        "|---|---|---|",
    ]
    for page in heaviest(pages):
        lines.append(f"| `{page.path}` | {page.role} | {page.kb:.1f} |")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace (or append) this script's section of BENCHMARKS.md, leaving the rest alone."""
    path = REPO / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    lines = current.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        path.write_text(current.rstrip("\n") + "\n\n" + text)
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    before = "\n".join(lines[:start]).rstrip("\n")
    after = "\n".join(lines[end:])
    path.write_text(before + "\n\n" + text + ("\n" + after + "\n" if after else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)  # a log line per request (and per refusal) is noise here
    with tempfile.TemporaryDirectory() as tmp:
        print("seeding the demo data ...", flush=True)
        app = demo_app(f"sqlite:///{tmp}/page-weight.db")
        print("walking every page of every role ...", flush=True)
        pages = walk(app)
        from registry.extensions import db

        with app.app_context():
            db.engine.dispose()
    text = section(pages)
    print(text)
    for page in sorted(pages, key=lambda p: p.size, reverse=True)[:15]:
        print(f"{page.kb:8.1f} KB  {page.role:<16} {page.path}")
    if not args.no_write:
        write_section(text)
        print("BENCHMARKS.md updated.")
    return 0  # tests/test_page_weight.py is the gate; the benchmark reports


if __name__ == "__main__":
    sys.exit(main())
