"""The profile's sections and where each stands, for the assessor's task list (read only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from assessors.profile import items_of
from registry.clock import uk_date_of
from registry.eligibility.wording import months_before, years_after
from registry.models import AdmissionStatus, Assessor, ReviewStatus
from registry.policy import Policy
from registry.vetting.status import latest_reviews


@dataclass(frozen=True)
class Section:
    """A part of the profile: its URL slug, item type (table), title and how many make it whole."""

    key: str
    item_type: str
    title: str
    needed: int = 1


SECTIONS = (
    Section("qualifications", "qualification", "Qualifications"),
    Section("tool-training", "tool_training", "Risk assessment tool training"),
    Section("experience", "experience_entry", "Experience"),
    Section("referees", "referee", "Referees", needed=2),
    Section("dbs", "dbs_check", "DBS certificate"),
    Section("insurance", "insurance", "Professional indemnity insurance"),
    Section("cpd", "cpd_record", "Continuing professional development"),
    Section("supervision", "supervision", "Supervision"),
)
SECTION_BY_KEY = {section.key: section for section in SECTIONS}
SOON = timedelta(days=30)
# Statuses that count towards "n of 12 sections completed".
DONE = frozenset({"Completed", "Awaiting review", "Expires soon"})


@dataclass(frozen=True)
class SectionStatus:
    """Where a section stands: a tag's words and colour, and a manager's message if rejected."""

    key: str
    title: str
    status: str
    colour: str | None = None
    message: str | None = None
    hint: str | None = None
    href: str | None = None

    @property
    def done(self) -> bool:
        """Counted as completed: something in it that counts, or will once accepted."""
        return self.status in DONE


def section_statuses(assessor: Assessor, policy: Policy, *, now: datetime) -> list[SectionStatus]:
    """Each section's status, from Rejected and Expired to Completed or Not started."""
    today = uk_date_of(now)
    reviews = latest_reviews(assessor.id)
    statuses = []
    for section in SECTIONS:
        items = items_of(assessor, section.item_type)
        rejected = [
            reviews[(section.item_type, item.id)]
            for item in items
            if (section.item_type, item.id) in reviews
            and reviews[(section.item_type, item.id)].status is ReviewStatus.REJECTED
        ]
        if rejected:
            statuses.append(
                SectionStatus(section.key, section.title, "Rejected", "red", rejected[-1].message)
            )
            continue
        expiry = _expiry(section.item_type, items, today, policy)
        if expiry:
            statuses.append(SectionStatus(section.key, section.title, *expiry))
            continue
        waiting = _waiting(assessor, section, items, reviews)
        if waiting:
            statuses.append(waiting)
            continue
        statuses.append(SectionStatus(section.key, section.title, *_progress(section, items)))
    return statuses


def _waiting(
    assessor: Assessor, section: Section, items: list[Any], reviews
) -> SectionStatus | None:
    """ "Awaiting review" for an admitted assessor's section with an item not yet accepted: until
    it is, the item counts for nothing (decision 0007)."""
    if assessor.admission_status is not AdmissionStatus.ADMITTED:
        return None
    waiting = [
        item
        for item in items
        if (found := reviews.get((section.item_type, item.id))) is not None
        and found.status is ReviewStatus.PENDING
    ]
    if not waiting:
        return None
    one = len(waiting) == 1
    return SectionStatus(
        section.key,
        section.title,
        "Awaiting review",
        "blue",
        hint=f"{len(waiting)} added or changed {'item does' if one else 'items do'} not count "
        f"for eligibility until a register manager accepts {'it' if one else 'them'}",
    )


def services_status(assessor: Assessor) -> SectionStatus:
    """Whether regions, availability and a day rate are all set."""
    values = (assessor.regions, assessor.availability, assessor.day_rate_pence)
    filled = sum(1 for value in values if value not in (None, [], ""))
    words = {0: ("Not started", "blue"), 3: ("Completed", None)}.get(
        filled, ("In progress", "light-blue")
    )
    return SectionStatus("services", "Regions, languages, availability and fees", *words)


def _progress(section: Section, items: list[Any]) -> tuple[str, str | None]:
    if not items:
        return "Not started", "blue"
    if len(items) < section.needed:
        return "In progress", "light-blue"
    return "Completed", None


def _expiry(
    item_type: str, items: list[Any], today: date, policy: Policy
) -> tuple[str, str] | None:
    windows = _windows(item_type, items, policy)
    if any(due < today for due, _ in windows):
        return "Expired", "red"
    if any(warn_from <= today for _, warn_from in windows):
        return "Expires soon", "orange"
    return None


def _windows(item_type: str, items: list[Any], policy: Policy) -> list[tuple[date, date]]:
    """(last day it counts, first day to warn) of what counts now: the latest of each kind."""
    if item_type == "insurance" and items:
        latest = max(item.expires_on for item in items)
        return [(latest, latest - SOON)]
    if item_type == "dbs_check" and items:
        latest = max(items, key=lambda item: (item.issued_on, item.id))
        if latest.update_service:
            return []
        # Flagged from 33 months old: three months before it stops counting at 3 years.
        years = policy.safeguarding.dbs_certificate_years
        ends = years_after(latest.issued_on, years)
        return [(ends, months_before(ends, 3))]
    if item_type == "tool_training":
        due: dict[str, date] = {}
        for item in items:
            if item.refresher_due is not None:
                due[item.tool_code] = max(item.refresher_due, due.get(item.tool_code, date.min))
        return [(day, day - SOON) for day in due.values()]
    return []


@dataclass(frozen=True)
class TaskList:
    """The 12 sections of the task list, in order, and how many are completed."""

    sections: list[SectionStatus]

    @property
    def completed(self) -> int:
        return sum(1 for section in self.sections if section.done)

    @property
    def total(self) -> int:
        return len(self.sections)


def task_list(
    assessor: Assessor, policy: Policy, *, now: datetime, documents: int, not_clear: int
) -> TaskList:
    """Identity, registrations, the eight item sections, services and documents, with status."""
    identity = (
        SectionStatus("identity", "Your name on the register", "Completed")
        if assessor.legal_given_names and assessor.legal_surname
        else SectionStatus("identity", "Your name on the register", "Not started", "blue")
    )
    current = [r for r in assessor.registrations if r.is_current]
    if not current:
        registrations = SectionStatus("registrations", "Registrations", "Not started", "blue")
    elif not_clear:
        registrations = SectionStatus(
            "registrations",
            "Registrations",
            "Needs attention",
            "orange",
            hint=f"{not_clear} {'registration is' if not_clear == 1 else 'registrations are'} "
            "not clear on the public register: see what to do next",
        )
    else:
        registrations = SectionStatus("registrations", "Registrations", "Completed")
    files = (
        SectionStatus("documents", "Documents", "Completed")
        if documents
        else SectionStatus("documents", "Documents", "Not started", "blue")
    )
    items = section_statuses(assessor, policy, now=now)
    return TaskList([identity, registrations, *items, services_status(assessor), files])
