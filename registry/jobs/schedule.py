"""The scheduled work, defined once: what runs, how often, run by one `flask jobs scheduler`.

Every entry has a period; a run belongs to a slot (the period's start, in UTC). Before enqueueing
a slot's run, the scheduler takes a Redis lock keyed by the job and the slot (SET NX with an
expiry), so two schedulers at once, or one restarted, never run a job twice in one slot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis

log = logging.getLogger("registry.jobs")


@dataclass(frozen=True)
class Scheduled:
    """One piece of scheduled work: a name, a job function, and how often it runs."""

    name: str
    function: str
    every: timedelta
    # Where in its period it runs (e.g. daily work at 02:00 UTC rather than midnight).
    offset: timedelta = timedelta(0)
    description: str = ""
    # None: the service's queue; "owner": the owner role's (registry/jobs/queue.py).
    kind: str | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the period that `now` falls in (with the offset)."""
        epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo) + self.offset
        periods = (now - epoch) // self.every
        return epoch + periods * self.every

    def lock_key(self, slot: datetime) -> str:
        return f"registry:schedule:{self.name}:{slot.strftime('%Y%m%dT%H%M')}"


SCHEDULE: tuple[Scheduled, ...] = (
    Scheduled(
        "email-sweep",
        "registry.jobs.tasks.sweep",
        timedelta(minutes=1),
        description="enqueue waiting emails and pending register checks",
    ),
    Scheduled(
        "verify-due",
        "registry.jobs.tasks.verify_due",
        timedelta(hours=1),
        timedelta(minutes=5),
        "re-check registrations that are due",
    ),
    Scheduled(
        "canary",
        "registry.jobs.tasks.canary",
        timedelta(days=1),
        timedelta(hours=5),
        "one known-good number per public register",
    ),
    Scheduled(
        "commissions-monitor",
        "registry.jobs.tasks.monitor_commissions",
        timedelta(days=1),
        timedelta(hours=5, minutes=30),
        "flag open commissions whose assessor lapsed",
    ),
    Scheduled(
        "reminders",
        "registry.jobs.tasks.send_reminders",
        timedelta(days=1),
        timedelta(hours=7),
        "reminders before dated items fall due",
    ),
    Scheduled(
        "audit-verify",
        "registry.jobs.tasks.audit_verify",
        timedelta(days=1),
        timedelta(hours=3),
        "verify the audit trail's hash chain",
    ),
    Scheduled(
        "audit-purge",
        "registry.jobs.tasks.audit_purge",
        timedelta(days=1),
        timedelta(hours=3, minutes=30),
        "delete security events past their retention",
        kind="owner",
    ),
)


def claim_slot(connection: redis.Redis, entry: Scheduled, slot: datetime) -> bool:
    """Take the run of one slot; False when another scheduler (or an earlier tick) has it."""
    # The lock lives a little longer than the period, so a slot is never taken twice.
    ttl = int(entry.every.total_seconds()) + 300
    return bool(connection.set(entry.lock_key(slot), "1", nx=True, ex=ttl))


def due_now(connection: redis.Redis, now: datetime, enqueue, *, entries=SCHEDULE) -> list[str]:
    """Enqueue each entry whose current slot has not been run yet; returns their names."""
    started = []
    for entry in entries:
        slot = entry.slot(now)
        if not claim_slot(connection, entry, slot):
            continue
        if enqueue(entry.function, description=f"scheduled: {entry.description}", kind=entry.kind):
            started.append(entry.name)
            log.info("schedule.enqueued", extra={"job": entry.name, "slot": slot.isoformat()})
        else:
            # Redis took the lock but not the job: let the next tick try this slot again.
            connection.delete(entry.lock_key(slot))
    return started
