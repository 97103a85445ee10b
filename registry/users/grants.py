"""Two people grant privilege (AC-09).

Granting or raising a privileged role (register manager, panel member, auditor) is proposed by a
register manager and takes effect only when a second, different, existing holder confirms it (see
docs/decisions/0008-two-people-grant-privilege.md for who that is). A newly granted holder cannot
confirm an admission, a reinstatement, another grant or (as a panel member) decide a commission
until the settling period has passed, and never one proposed by whoever proposed their own grant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from registry import notifications
from registry.audit import record_audit
from registry.errors import InvalidTransition, NotAllowed, NotFound
from registry.extensions import db
from registry.models import AccountStatus, Role, TokenPurpose, User
from registry.models.people import PRIVILEGED_ROLES, RoleGrant
from registry.rows import rowcount

DEFAULT_SETTLING_DAYS = 7


def settling_period() -> timedelta:
    """How long a newly granted holder waits before confirming others' decisions."""
    return timedelta(days=int(current_app.config.get("GRANT_SETTLING_DAYS", DEFAULT_SETTLING_DAYS)))


def is_privileged(role: Role) -> bool:
    """True for the roles that need two people to grant."""
    return role in PRIVILEGED_ROLES


def pending_grant_of(user: User) -> RoleGrant | None:
    """The grant of this user waiting for confirmation, if any."""
    return db.session.scalar(
        select(RoleGrant).where(
            RoleGrant.user_id == user.id,
            RoleGrant.confirmed_at.is_(None),
            RoleGrant.cancelled_at.is_(None),
        )
    )


def current_grant(user: User) -> RoleGrant | None:
    """The confirmed grant the user holds their present role by (the latest for that role)."""
    return db.session.scalar(
        select(RoleGrant)
        .where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == user.role,
            RoleGrant.confirmed_at.is_not(None),
        )
        .order_by(RoleGrant.confirmed_at.desc(), RoleGrant.id.desc())
        .limit(1)
    )


def settling_refusal(user: User, *, counterpart_id: int | None, now: datetime) -> str | None:
    """Why this holder cannot yet confirm a decision of `counterpart_id`; None when they can.

    A holder with no grant row at all predates the recording of grants (the migration records
    every such holder, and every path that grants a role writes a row), so counts as settled.
    """
    grant = current_grant(user)
    if grant is None:
        if _has_any_grant(user):
            return "Your role has not been confirmed by a second person"
        return None
    assert grant.confirmed_at is not None  # a current grant is a confirmed one
    settled_at = grant.confirmed_at + settling_period()
    if now < settled_at:
        return (
            f"You were given your role recently. You can confirm other people's decisions "
            f"from {settled_at:%-d %B %Y %H:%M} UTC"
        )
    if counterpart_id is not None and grant.proposed_by_id == counterpart_id:
        return (
            "The person who proposed this also proposed your own role, "
            "so a different person must confirm it"
        )
    return None


def require_settled_holder(user: User, *, counterpart_id: int | None, now: datetime) -> None:
    """Raise NotAllowed unless the user may confirm or decide what `counterpart_id` proposed or
    requested: their grant is past the settling period and was not proposed by that person."""
    refusal = settling_refusal(user, counterpart_id=counterpart_id, now=now)
    if refusal is not None:
        raise NotAllowed(refusal)


def propose(
    manager: User,
    user: User,
    role: Role,
    organisation_id: int | None,
    *,
    via: str,
    now: datetime,
) -> RoleGrant:
    """Record a proposed grant (the caller commits), audit it and tell who can confirm it."""
    if pending_grant_of(user) is not None:
        raise InvalidTransition(
            "A role for this person is already waiting for confirmation. Confirm or cancel it first"
        )
    grant = RoleGrant(
        user_id=user.id,
        role=role,
        organisation_id=organisation_id,
        previous_role=None if via == "invitation" else user.role,
        previous_organisation_id=None if via == "invitation" else user.organisation_id,
        via=via,
        proposed_by_id=manager.id,
        proposed_at=now,
    )
    db.session.add(grant)
    db.session.flush()
    record_audit(
        manager,
        "user.grant_proposed",
        grant,
        at=now,
        after={"user": user.id, "role": str(role), "organisation_id": organisation_id, "via": via},
    )
    return grant


def notify_confirmers(grant: RoleGrant, *, now: datetime) -> None:
    """Tell everyone who could confirm (in the caller's unit of work; emails after its commit)."""
    confirmers = [u for u in _candidate_confirmers(grant) if u.id != grant.proposed_by_id]
    proposer = grant.proposed_by.full_name if grant.proposed_by else "A former user"
    notifications.notify(
        confirmers,
        "A role needs a second person's confirmation",
        f"{proposer} proposes to make {grant.user.full_name} a "
        f"{grant.role.label.lower()}. It takes effect only when someone else confirms it.",
        link=notifications.Link("users.grant_confirm", {"grant_id": grant.id}),
        now=now,
    )


def visible_to(viewer: User) -> list[RoleGrant]:
    """Grants waiting for confirmation that this person may see (managers see all)."""
    query = select(RoleGrant).where(
        RoleGrant.confirmed_at.is_(None), RoleGrant.cancelled_at.is_(None)
    )
    if viewer.role is Role.PANEL_MEMBER:
        query = query.where(
            RoleGrant.role == Role.PANEL_MEMBER,
            RoleGrant.organisation_id == viewer.organisation_id,
        )
    elif viewer.role is not Role.REGISTER_MANAGER:
        return []
    return list(db.session.scalars(query.order_by(RoleGrant.proposed_at)))


def grant_for(viewer: User, grant_id: int) -> RoleGrant:
    """One grant the viewer may see. Raises NotFound otherwise."""
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or not _may_see(viewer, grant):
        raise NotFound("That grant does not exist")
    return grant


def confirm_refusal(confirmer: User, grant: RoleGrant, *, now: datetime) -> str | None:
    """Why this person cannot confirm the grant; None when they can."""
    if not grant.pending:
        return "This role is no longer waiting for confirmation"
    if confirmer.id == grant.user_id:
        return "You cannot confirm your own role"
    if confirmer.id == grant.proposed_by_id:
        return "You proposed this, so a second, different person must confirm it"
    if confirmer.status is not AccountStatus.ACTIVE or not _is_confirmer_for(confirmer, grant):
        return f"Only another {_confirmer_words(grant)} can confirm this"
    return settling_refusal(confirmer, counterpart_id=grant.proposed_by_id, now=now)


def confirm(
    confirmer: User | None,
    grant: RoleGrant,
    *,
    now: datetime,
    link_to: Callable[[str], str] | None,
    via_cli: bool = False,
) -> None:
    """Confirm a proposed grant: only now does the role take effect. Raises NotAllowed or
    InvalidTransition. An invited person is sent their invitation now, not before."""
    from registry.auth.service import issue_token

    if not via_cli:
        assert confirmer is not None  # only the server's operator confirms as nobody
        refusal = confirm_refusal(confirmer, grant, now=now)
        if refusal is not None:
            if grant.pending:
                record_audit(
                    confirmer,
                    "user.grant_confirm_refused",
                    grant,
                    at=now,
                    outcome="refused",
                    after={"reason": refusal},
                )
                db.session.commit()
                raise NotAllowed(refusal)
            raise InvalidTransition(refusal)
    done = db.session.execute(
        update(RoleGrant)
        .where(
            RoleGrant.id == grant.id,
            RoleGrant.confirmed_at.is_(None),
            RoleGrant.cancelled_at.is_(None),
        )
        .values(
            confirmed_by_id=None if via_cli or confirmer is None else confirmer.id,
            confirmed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(done) != 1:
        db.session.rollback()
        raise InvalidTransition("This role is no longer waiting for confirmation")
    db.session.refresh(grant)
    user = grant.user
    token = None
    if grant.via == "invitation":
        token = issue_token(user, TokenPurpose.INVITATION, now=now)
    else:
        user.role = grant.role
        user.organisation_id = grant.organisation_id
        user.session_version += 1
    record_audit(
        None if via_cli else confirmer,
        "user.grant_confirmed",
        grant,
        at=now,
        before={"role": str(grant.previous_role) if grant.previous_role else None},
        after={
            "user": user.id,
            "role": str(grant.role),
            "organisation_id": grant.organisation_id,
            "proposed_by": grant.proposed_by_id,
            "via": "cli" if via_cli else "web",
        },
    )
    notifications.notify(
        [grant.proposed_by] if grant.proposed_by else [],
        "A role was confirmed",
        f"{user.full_name} is now a {grant.role.label.lower()}.",
        link=notifications.Link("users.show", {"user_id": user.id}),
        now=now,
    )
    if token is not None and link_to is not None:
        _send_invitation(user, grant.proposed_by, link_to(token))
    db.session.commit()


def cancel(actor: User, grant: RoleGrant, *, now: datetime) -> None:
    """Withdraw a proposed grant; an invited account that was waiting for it is disabled."""
    if not _may_see(actor, grant):
        raise NotFound("That grant does not exist")
    done = db.session.execute(
        update(RoleGrant)
        .where(
            RoleGrant.id == grant.id,
            RoleGrant.confirmed_at.is_(None),
            RoleGrant.cancelled_at.is_(None),
        )
        .values(cancelled_by_id=actor.id, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(done) != 1:
        db.session.rollback()
        raise InvalidTransition("This role is no longer waiting for confirmation")
    db.session.refresh(grant)
    if grant.via == "invitation" and grant.user.status is AccountStatus.INVITED:
        grant.user.status = AccountStatus.DISABLED
    record_audit(actor, "user.grant_cancelled", grant, at=now, after={"user": grant.user_id})
    db.session.commit()


def record_bootstrap(user: User, *, now: datetime) -> None:
    """Record the first register manager's grant, made from the CLI (the caller commits)."""
    db.session.add(
        RoleGrant(
            user_id=user.id,
            role=user.role,
            organisation_id=user.organisation_id,
            via="bootstrap",
            proposed_at=now,
            confirmed_at=now,
        )
    )


def active_holders(role: Role, organisation_id: int | None = None) -> int:
    """How many active accounts hold a role (in an organisation, when given)."""
    query = select(func.count(User.id)).where(
        User.role == role, User.status == AccountStatus.ACTIVE
    )
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return db.session.scalar(query) or 0


def cli_may_confirm(grant: RoleGrant) -> str | None:
    """Why the server's operator may not confirm this grant from the CLI; None when they may.

    Only the second register manager of a new system: no other manager exists to confirm.
    """
    if not grant.pending:
        return "This grant is no longer waiting for confirmation"
    if grant.role is not Role.REGISTER_MANAGER:
        return "Only a register manager's grant can be confirmed here"
    others = db.session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.REGISTER_MANAGER,
            User.status == AccountStatus.ACTIVE,
            User.id.not_in([grant.user_id, grant.proposed_by_id or 0]),
        )
    )
    if others:
        return "Another register manager exists: they must confirm it on the Users page"
    return None


def _send_invitation(user: User, inviter: User | None, link: str) -> None:
    days = current_app.config["INVITATION_LIFETIME"].days
    notifications.send_after_commit(
        notifications.render_email(
            "invitation.txt",
            user.email,
            "You have been invited to the assessor register",
            user=user,
            inviter=inviter,
            link=link,
            days=days,
        )
    )


def _has_any_grant(user: User) -> bool:
    counted = db.session.scalar(
        select(func.count(RoleGrant.id)).where(RoleGrant.user_id == user.id)
    )
    return (counted or 0) > 0


def _holders_elsewhere(grant: RoleGrant) -> int:
    """Active holders of the grant's role in its organisation, besides its subject."""
    return (
        db.session.scalar(
            select(func.count(User.id)).where(
                User.role == grant.role,
                User.organisation_id == grant.organisation_id,
                User.status == AccountStatus.ACTIVE,
                User.id != grant.user_id,
            )
        )
        or 0
    )


def _by_managers(grant: RoleGrant) -> bool:
    """True when register managers confirm this grant: a manager's or an auditor's (auditors
    only read, AC-02), or a panel's first member."""
    return grant.role is not Role.PANEL_MEMBER or _holders_elsewhere(grant) == 0


def _is_confirmer_for(user: User, grant: RoleGrant) -> bool:
    if _by_managers(grant):
        return user.role is Role.REGISTER_MANAGER
    return user.role is Role.PANEL_MEMBER and user.organisation_id == grant.organisation_id


def _candidate_confirmers(grant: RoleGrant) -> list[User]:
    query = select(User).where(User.status == AccountStatus.ACTIVE, User.id != grant.user_id)
    if _by_managers(grant):
        query = query.where(User.role == Role.REGISTER_MANAGER)
    else:
        query = query.where(
            User.role == Role.PANEL_MEMBER, User.organisation_id == grant.organisation_id
        )
    return list(db.session.scalars(query.order_by(User.id)))


def _confirmer_words(grant: RoleGrant) -> str:
    if _by_managers(grant):
        return "register manager"
    organisation = grant.organisation.name if grant.organisation else "the organisation"
    return f"panel member of {organisation}"


def _may_see(viewer: User, grant: RoleGrant) -> bool:
    if viewer.role is Role.REGISTER_MANAGER:
        return True
    return (
        viewer.role is Role.PANEL_MEMBER
        and grant.role is Role.PANEL_MEMBER
        and viewer.organisation_id == grant.organisation_id
    )
