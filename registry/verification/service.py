"""Verifying registrations against the public registers, and keeping the evidence.

`verify` is one unit of work: look up, record the check, commit, then notify. Lookups are HTTP
only and never touch the database, so they can run in worker threads while the caller records
the results. A check asked for from a page (`request_check`) runs as a job (`check_pending`), so
the request returns at once and a register that cannot be reached is tried again within minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from registry import notifications, reactions
from registry.audit import record_audit
from registry.clock import uk_date_of, utc_now
from registry.eligibility import Outcome, RegistrationFact
from registry.extensions import db
from registry.models import (
    Assessor,
    CheckMethod,
    Registration,
    User,
    VerificationCheck,
)
from registry.policy_store import current_policy
from registry.registers import (
    AUTOMATED_BODIES,
    InvalidNumber,
    LookupResult,
    RegisterAdapter,
    get_register,
)
from registry.rows import rowcount
from registry.verification.cadence import next_due
from registry.verification.pages import keep_pages
from registry.verification.register_standing import Standing, standing_of


@dataclass(frozen=True)
class LookupRequest:
    """What a lookup needs, as plain values, so that it can run in any thread."""

    registration_id: int
    body: str
    number: str
    surname: str
    given_names: str


@dataclass(frozen=True)
class Recorded:
    """A check just recorded, and whether it took the registration out of `clear`."""

    check: VerificationCheck
    before: Standing
    after: Standing

    @property
    def lapsed(self) -> bool:
        return self.before.is_clear and not self.after.is_clear


def adapter_for(body: str) -> RegisterAdapter:
    """The adapter of a register, at its configured base URL and timeouts (REG-01, REG-02)."""
    config = current_app.config
    return get_register(
        body,
        base_url=config[f"REGISTER_{body.upper()}_URL"],
        timeout=(config["REGISTER_CONNECT_TIMEOUT"], config["REGISTER_READ_TIMEOUT"]),
    )


def lookup_request(registration: Registration) -> LookupRequest:
    """The plain values a lookup of this registration needs."""
    assessor = registration.assessor
    return LookupRequest(
        registration.id,
        registration.body,
        registration.number,
        assessor.legal_surname,
        assessor.legal_given_names,
    )


def run_lookup(adapter: RegisterAdapter, request: LookupRequest, now: datetime) -> LookupResult:
    """One HTTP lookup (no database); never raises for a register problem, nor for a number
    that cannot be on the register (recorded as not found, without asking the register), so
    that one bad entry never stops a verify-due run."""
    try:
        return adapter.lookup(
            request.number, surname=request.surname, given_names=request.given_names, now=now
        )
    except InvalidNumber as error:
        return LookupResult(
            body=adapter.code,
            number=request.number,
            outcome=Outcome.NOT_FOUND,
            detail=f"The register was not asked: {error}.",
            checked_at=now.astimezone(UTC),
            adapter_version=adapter.version,
            source_url=adapter.base_url,
        )


def standing(registration: Registration, *, now: datetime) -> Standing:
    """The registration's standing now, derived from its checks."""
    return standing_of(registration.checks, now=now, **_windows())


def registration_facts(assessor: Assessor, *, now: datetime) -> tuple[RegistrationFact, ...]:
    """The assessor's registrations as the gate sees them: each from its latest read check.

    The gate judges freshness itself, so a clear result is passed with its date even when old.
    """
    facts = []
    for registration in assessor.registrations:
        current = standing(registration, now=now)
        check = next((c for c in registration.checks if c.id == current.check_id), None)
        facts.append(
            RegistrationFact(
                registration_id=registration.id,
                body=registration.body,
                profession=registration.profession,
                outcome=Outcome(check.outcome) if check else Outcome.UNREADABLE,
                checked_on=uk_date_of(check.checked_at) if check else None,
                evidence_id=check.id if check else None,
                entries=tuple(entry_code(e) for e in (check.entries if check else [])),
                manual=bool(check and check.is_manual),
                period_to=check.period_to if check else None,
                conditions=check.conditions if check else None,
                register_status=check.status_text if check else None,
                sanction=shows_sanction(check),
                # Corrected or withdrawn by the assessor: never relied on as "Regulated", but a
                # sanction it shows still counts for "No restriction" (decision 0007).
                rejected=not registration.is_current,
            )
        )
    return tuple(facts)


def shows_sanction(check: VerificationCheck | None) -> bool:
    """Whether a check showed a sanction. A check recorded before this was kept (None) counts
    as one when it was blocked or restricted: fail closed."""
    if check is None:
        return False
    if check.sanction is not None:
        return check.sanction
    return check.outcome in {Outcome.BLOCKED, Outcome.RESTRICTED}


def entry_code(entry: str) -> str:
    """A register's entry wording as a policy code: "Forensic psychologist" -> "forensic"."""
    words = entry.lower().replace("-", " ").split()
    if words and words[-1] == "psychologist":
        words = words[:-1]
    return "_".join(words)


def record_result(
    registration: Registration,
    result: LookupResult,
    *,
    performed_by: User | None,
    label: str,
    now: datetime,
) -> Recorded:
    """Add the check to the session and reschedule the registration (the caller commits)."""
    return record_results(
        [(registration, result)], performed_by=performed_by, label=label, now=now
    )[0]


def record_results(
    results: list[tuple[Registration, LookupResult]],
    *,
    performed_by: User | None,
    label: str,
    now: datetime,
) -> list[Recorded]:
    """record_result for several registrations (each once) with one flush for all their checks.

    The caller commits. One flush instead of one per result keeps the database round trips of a
    verify-due batch to a handful of batched statements.
    """
    befores = [standing(registration, now=now) for registration, _ in results]
    checks = [
        _add_check(registration, result, performed_by=performed_by, label=label)
        for registration, result in results
    ]
    keep_pages([(r.body_sha256, r.page, r.page_type) for _, r in results], now)
    db.session.flush()
    recorded = []
    for (registration, _), before, check in zip(results, befores, checks, strict=True):
        after = standing(registration, now=now)
        record_audit(
            performed_by,
            "registration.checked",
            registration,
            at=now,
            after={"outcome": check.outcome, "check_id": check.id, "standing": after.outcome},
        )
        recorded.append(Recorded(check, before, after))
    return recorded


def evidence_record(
    registration: Registration, result: LookupResult, *, performed_by: User | None, label: str
) -> VerificationCheck:
    """The one constructor of a check's evidence record from a lookup result (REG-06)."""
    return VerificationCheck(
        registration=registration,
        method=CheckMethod.AUTOMATIC,
        performed_by=performed_by,
        performed_by_label=label,
        checked_at=result.checked_at,
        outcome=str(result.outcome),
        status_text=result.status_text,
        detail=result.detail,
        name_on_register=result.name,
        period_from=result.period_from,
        period_to=result.period_to,
        entries=list(result.entries),
        conditions=result.conditions,
        source_url=result.source_url,
        http_status=result.http_status,
        body_sha256=result.body_sha256,
        data_valid_on=result.data_valid_on,
        adapter_version=result.adapter_version,
        recheck_after=result.recheck_after,
        sanction=result.sanction,
    )


def _add_check(
    registration: Registration, result: LookupResult, *, performed_by: User | None, label: str
) -> VerificationCheck:
    check = evidence_record(registration, result, performed_by=performed_by, label=label)
    check.next_due_on = next_due(
        body=registration.body,
        number=registration.number,
        outcome=check.outcome,
        checked_on=uk_date_of(result.checked_at),
        period_to=result.period_to,
        recheck_after=result.recheck_after,
    )
    registration.next_check_due = check.next_due_on
    registration.claimed_until = None
    db.session.add(check)
    return check


def verify(
    registration: Registration, *, actor: User | None, now: datetime, label: str | None = None
) -> Recorded:
    """Check one registration against its public register now, and keep the evidence."""
    result = run_lookup(adapter_for(registration.body), lookup_request(registration), now)
    recorded = record_result(
        registration, result, performed_by=actor, label=label or _label(actor), now=now
    )
    notify_if_lapsed(recorded, now=now)
    db.session.commit()
    return recorded


# Minutes before the 2nd, 3rd and 4th try of a check the register could not answer (issue 13).
RETRY_MINUTES = (1, 5, 15)
# A check job holds its registration this long; a worker that died lets it go after that.
CHECK_CLAIM = timedelta(minutes=3)


def request_check(registration: Registration, *, actor: User | None, now: datetime) -> None:
    """Ask for a register check of this registration, in the caller's unit of work.

    The caller commits, then calls `dispatch_check`. The registration says "pending" until a
    check job records an answer; if the job is never enqueued (Redis down) the scheduler's sweep
    finds the pending registration at check_retry_at and enqueues it then.
    """
    registration.check_pending_since = now
    registration.check_attempts = 0
    registration.check_retry_at = now + timedelta(minutes=RETRY_MINUTES[0])
    registration.check_requested_by_id = actor.id if actor else None
    record_audit(actor, "registration.check_requested", registration, at=now)


def dispatch_check(registration_id: int) -> None:
    """After the commit: enqueue the check job, or run it now where JOBS_INLINE is set."""
    if current_app.config.get("JOBS_INLINE"):
        check_pending(registration_id, now=utc_now())
        return
    from registry.jobs.queue import enqueue

    enqueue(
        "registry.jobs.tasks.check_registration",
        registration_id,
        description="check a registration on its public register",
    )


def check_pending(registration_id: int, *, now: datetime) -> Recorded | None:
    """The check job: look the registration up once, record what the register said.

    Claimed with a conditional UPDATE, so two jobs for one registration never record two checks
    for one try. A register that could not be read is tried again after 1, 5 and 15 minutes; the
    registration stays pending meanwhile (the evidence of each try is kept, with its reason).
    Returns None when there was nothing to do.
    """
    claimed_result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration_id)
        .where(Registration.check_pending_since.is_not(None))
        .where((Registration.check_attempts == 0) | (Registration.check_retry_at <= now))
        .values(
            check_attempts=Registration.check_attempts + 1,
            check_retry_at=now + CHECK_CLAIM,
        )
    )
    claimed = rowcount(claimed_result)
    db.session.commit()
    if claimed != 1:
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return None
    db.session.refresh(registration)
    actor = (
        db.session.get(User, registration.check_requested_by_id)
        if registration.check_requested_by_id
        else None
    )
    result = run_lookup(adapter_for(registration.body), lookup_request(registration), now)
    recorded = record_result(registration, result, performed_by=actor, label=_label(actor), now=now)
    attempts = registration.check_attempts
    if result.outcome == Outcome.UNREADABLE and attempts <= len(RETRY_MINUTES):
        registration.check_retry_at = now + timedelta(minutes=RETRY_MINUTES[attempts - 1])
        record_audit(
            None,
            "registration.check_retry",
            registration,
            at=now,
            after={"attempt": attempts, "reason": result.detail},
        )
    else:
        registration.check_pending_since = None
        registration.check_retry_at = None
        registration.check_requested_by_id = None
    notify_if_lapsed(recorded, now=now)
    db.session.commit()
    return recorded


def pending_checks_due(*, now: datetime, limit: int = 200) -> list[int]:
    """Pending checks whose next try has come (for the scheduler's sweep)."""
    return list(
        db.session.scalars(
            select(Registration.id)
            .where(Registration.check_pending_since.is_not(None))
            .where(Registration.check_retry_at <= now)
            .order_by(Registration.check_retry_at)
            .limit(limit)
        )
    )


def notify_if_lapsed(recorded: Recorded, *, now: datetime) -> None:
    """When a registration stops being clear: tell the assessor and every register manager, and
    announce the lapse (create_app wires the reaction: open commissions are flagged). Inside the
    caller's unit of work; the caller commits."""
    if not recorded.lapsed:
        return
    registration = recorded.check.registration
    assessor = registration.assessor
    subject = f"Registration no longer clear: {registration.body.upper()} {registration.number}"
    body = (
        f"The public register now shows {assessor.legal_name}'s registration "
        f"{registration.number} as: {recorded.after.label}. "
        f"What the register said: {recorded.check.status_text or recorded.check.detail}. "
        "The assessor is not eligible for commissions until it is clear again."
    )
    managers = notifications.managers()
    notifications.notify(
        [assessor.user],
        subject,
        body,
        link=notifications.Link("assessors.registrations"),
        now=now,
    )
    notifications.notify(
        managers,
        subject,
        body,
        link=notifications.Link(
            "verification.registration_show", {"registration_id": registration.id}
        ),
        now=now,
    )
    record_audit(
        None,
        "registration.lapse_notified",
        registration,
        at=now,
        after={"standing": recorded.after.outcome, "recipients": 1 + len(managers)},
    )
    reactions.announce(reactions.ASSESSOR_LAPSED, assessor_id=assessor.id, reason=body, now=now)


def record_canary(body: str, result: LookupResult) -> None:
    """Keep the canary's answer for a register, so the attention page can show its state."""
    record_audit(
        None,
        "registers.canary",
        at=result.checked_at,
        object_type=body,
        outcome=str(result.outcome),
        after={"detail": result.detail, "http_status": result.http_status},
        security_only=True,
    )
    db.session.commit()


def record_capture_view(viewer: User, check: VerificationCheck, *, now: datetime) -> None:
    """Audit a download of a manual check's capture (LOG-02)."""
    record_audit(viewer, "evidence.capture_downloaded", check, at=now)
    db.session.commit()


def due_registrations_query(now: datetime):
    """Automatically checkable registrations due now and not claimed by another run."""
    today = uk_date_of(now)
    return (
        select(Registration.id)
        .where(Registration.body.in_(AUTOMATED_BODIES))
        .where((Registration.next_check_due.is_(None)) | (Registration.next_check_due <= today))
        .where((Registration.claimed_until.is_(None)) | (Registration.claimed_until < now))
    )


# Ids per query when reading many registrations by id (an IN list of bound parameters).
IDS_PER_QUERY = 1000


def registration_bodies(ids: list[int]) -> dict[str, list[int]]:
    """The ids of these registrations grouped by register, ascending; plain values, no objects."""
    by_body: dict[str, list[int]] = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = db.session.execute(
            select(Registration.id, Registration.body).where(
                Registration.id.in_(ids[start : start + IDS_PER_QUERY])
            )
        )
        for registration_id, body in rows:
            by_body.setdefault(body, []).append(registration_id)
    return {body: sorted(found) for body, found in by_body.items()}


def lookup_requests(ids: list[int]) -> list[LookupRequest]:
    """lookup_request for each of these registrations, read as plain values in one query (no
    objects kept in the session), in id order. Registrations since deleted are left out."""
    rows = db.session.execute(
        select(
            Registration.id,
            Registration.body,
            Registration.number,
            Assessor.legal_surname,
            Assessor.legal_given_names,
        )
        .join(Registration.assessor)
        .where(Registration.id.in_(ids))
        .order_by(Registration.id)
    )
    return [LookupRequest(*row) for row in rows]


def load_registrations(ids: list[int]) -> list[Registration]:
    """Registrations with their assessors and checks, in one round trip per relationship."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.id.in_(ids))
            .options(selectinload(Registration.assessor), selectinload(Registration.checks))
        )
    )


def _label(actor: User | None) -> str:
    return f"On request by {actor.full_name}" if actor else "Scheduled check (verify-due)"


def _windows() -> dict[str, int]:
    # One source of truth for freshness: the eligibility policy file.
    freshness = current_policy().freshness
    return {
        "automatic_days": freshness.registration_check_days,
        "manual_days": freshness.manual_registration_check_days,
    }
