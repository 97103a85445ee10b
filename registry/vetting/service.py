"""Vetting an assessor's profile item by item: submission, resubmission, managers' decisions.

Admission (four eyes) is in admission.py, attestation in attestation.py, reminders in
reminders.py; the read side of the managers' screens is in queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from registry.audit import record_audit
from registry.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, ItemReview, ReviewStatus, Role, User
from registry.notifications import Link, managers, notify
from registry.rows import rowcount
from registry.vetting.items import IDENTITY, ProfileItem, profile_items
from registry.vetting.status import latest_reviews

SETTLED = frozenset({ReviewStatus.PENDING, ReviewStatus.ACCEPTED})


@dataclass(frozen=True)
class Submitted:
    """What a submission put in front of the managers, and rejected items left unchanged."""

    queued: int
    unchanged_rejections: int


# Sections that must have something in them before a profile is submitted or attested (the
# admission's mandatory items), with what to add, in the words of the assessor's task list.
REQUIRED_SECTIONS = {
    IDENTITY: "Your name on the register (enter your legal name)",
    "registration": "Registrations (add at least one registration)",
    "experience_entry": "Experience (add at least one experience entry)",
    "dbs_check": "DBS certificate (add your DBS certificate)",
    "insurance": "Professional indemnity insurance (add your insurance)",
    "supervision": "Supervision (add your supervision arrangement)",
}


class IncompleteProfile(InvalidTransition):
    """Required sections are empty: .missing is [(item_type, what to add)] in task-list order."""

    def __init__(self, doing: str, missing: list[tuple[str, str]]) -> None:
        words = "; ".join(what for _, what in missing)
        super().__init__(f"Before you {doing} your profile, complete these sections: {words}")
        self.missing = missing


def assessor_for(user: User) -> Assessor:
    """The acting assessor's record. Raises NotAllowed for other roles or before identity."""
    if user.role is not Role.ASSESSOR:
        raise NotAllowed("Only assessors have a profile")
    assessor = db.session.scalar(select(Assessor).where(Assessor.user_id == user.id))
    if assessor is None:
        raise NotAllowed("Enter your name before you submit your profile")
    return assessor


def require_manager(user: User) -> None:
    """Raise NotAllowed unless the user is a register manager."""
    if user.role is not Role.REGISTER_MANAGER:
        raise NotAllowed("Only register managers vet assessors")


def submit_for_vetting(assessor_user: User, *, now: datetime) -> Submitted:
    """Submit the profile (applying -> submitted), or resubmit it after fixes when submitted.

    Raises InvalidTransition when there is nothing to submit or the status does not allow it.
    """
    assessor = assessor_for(assessor_user)
    if assessor.admission_status is AdmissionStatus.SUBMITTED:
        return resubmit(assessor_user, now=now)
    if assessor.admission_status is not AdmissionStatus.APPLYING:
        raise InvalidTransition("Your profile has already been vetted")
    items = profile_items(assessor)
    _require_minimum(assessor, items)
    latest = latest_reviews(assessor.id)
    queued = [i for i in items if (r := latest.get(i.key)) is None or r.status not in SETTLED]
    _queue(assessor, queued, now)
    assessor.admission_status = AdmissionStatus.SUBMITTED
    record_audit(assessor_user, "vetting.submitted", assessor, at=now, after={"items": len(queued)})
    _tell_managers(assessor, "Profile submitted for vetting", now)
    db.session.commit()
    return Submitted(len(queued), 0)


def resubmit(assessor_user: User, *, now: datetime) -> Submitted:
    """Put rejected items changed since their rejection, and items never reviewed, back to review.

    An item with no change time of its own (identity, services) goes back whenever rejected.
    Raises InvalidTransition unless the profile is submitted and something is queued.
    """
    assessor = assessor_for(assessor_user)
    if assessor.admission_status is not AdmissionStatus.SUBMITTED:
        raise InvalidTransition("Only a submitted profile can be resubmitted")
    latest = latest_reviews(assessor.id)
    queued, unchanged = [], 0
    for item in profile_items(assessor):
        review = latest.get(item.key)
        if review is None or (review.status is ReviewStatus.REJECTED and _changed(item, review)):
            queued.append(item)
        elif review.status is ReviewStatus.REJECTED and _still_held(item):
            unchanged += 1
    if not queued:
        raise InvalidTransition("Change the items that were rejected before you resubmit")
    _queue(assessor, queued, now)
    record_audit(
        assessor_user, "vetting.resubmitted", assessor, at=now, after={"items": len(queued)}
    )
    _tell_managers(assessor, "Profile resubmitted after changes", now)
    db.session.commit()
    return Submitted(len(queued), unchanged)


def decide_item(
    manager: User, review: ItemReview, accept: bool, message: str | None, *, now: datetime
) -> ItemReview:
    """Accept or reject the latest pending review of an item; a rejection needs a message.

    Raises NotAllowed, ValidationFailed (no message), InvalidTransition (decided or superseded).
    """
    require_manager(manager)
    message = (message or "").strip() or None
    if not accept and message is None:
        raise ValidationFailed("Enter a message telling the assessor what to change", "message")
    latest = latest_reviews(review.assessor_id).get((review.item_type, review.item_id))
    if latest is None or latest.id != review.id:
        raise InvalidTransition("The assessor has changed this item since; review the new version")
    status = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
    # Conditional: of two managers deciding at once, exactly one wins.
    result = db.session.execute(
        update(ItemReview)
        .where(ItemReview.id == review.id, ItemReview.status == ReviewStatus.PENDING)
        .values(status=status, message=message, decided_by_id=manager.id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise InvalidTransition("This item has already been decided")
    db.session.refresh(review)
    after = {"item_type": review.item_type, "item_id": review.item_id, "status": str(status)}
    record_audit(manager, f"vetting.item_{status}", review, at=now, after=after)
    if not accept:
        _tell_rejected(review, message or "", now)
    db.session.commit()
    return review


def _require_minimum(assessor: Assessor, items: list[ProfileItem]) -> None:
    require_sections(assessor, "submit", items)


def require_sections(
    assessor: Assessor, doing: str, items: list[ProfileItem] | None = None
) -> None:
    """Raise IncompleteProfile naming every required section that has nothing in it yet."""
    items = profile_items(assessor) if items is None else items
    present = {item.item_type for item in items if _still_held(item)} - {IDENTITY}
    if assessor.legal_given_names and assessor.legal_surname:
        present.add(IDENTITY)
    missing = [(key, what) for key, what in REQUIRED_SECTIONS.items() if key not in present]
    if missing:
        raise IncompleteProfile(doing, missing)


def _still_held(item: ProfileItem) -> bool:
    """False for a registration the assessor corrected or withdrew (kept only as evidence)."""
    return item.item_type != "registration" or item.row.is_current


def _changed(item: ProfileItem, review: ItemReview) -> bool:
    if item.item_type == "registration":
        return False  # a registration is not edited: the assessor adds a corrected one
    if item.changed_at is None or review.decided_at is None:
        return True
    return item.changed_at > review.decided_at


def _queue(assessor: Assessor, items: list[ProfileItem], now: datetime) -> None:
    for item in items:
        db.session.add(
            ItemReview(
                assessor_id=assessor.id,
                item_type=item.item_type,
                item_id=item.item_id,
                status=ReviewStatus.PENDING,
                submitted_at=now,
            )
        )
    db.session.flush()


def _tell_managers(assessor: Assessor, subject: str, now: datetime) -> None:
    body = f"{assessor.legal_name}'s profile is waiting for review."
    link = Link("vetting.assessor_show", {"assessor_id": assessor.id})
    notify(managers(), subject, body, link=link, now=now)


def _tell_rejected(review: ItemReview, message: str, now: datetime) -> None:
    label = "your identity" if review.item_type == IDENTITY else "an item of your profile"
    body = (
        f"A register manager could not accept {label} ({review.item_type.replace('_', ' ')}). "
        f"Their message: {message}\n\nChange the item, then resubmit your profile."
    )
    assessor = db.session.get_one(Assessor, review.assessor_id)
    notify(
        [assessor.user],
        "An item of your profile needs changes",
        body,
        link=Link("assessors.vetting"),
        now=now,
    )
