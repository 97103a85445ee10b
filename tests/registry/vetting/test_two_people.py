"""AC-09 (two people grant privilege) and AC-10 (reinstatement is an admission), as the
attacks of issue 9 would try them: each test plays the attack first."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from vetting_helpers import NOW, accept_all, clear_check, later, made

from registry.errors import InvalidTransition, NotAllowed, NotEligible
from registry.models import (
    AccountStatus,
    AdmissionAction,
    AdmissionDecision,
    AdmissionStatus,
    AuditEvent,
    ItemReview,
    Organisation,
    OrganisationKind,
    ReviewStatus,
    Role,
)
from registry.models.people import RoleGrant
from registry.users import grants, service
from registry.vetting import admission
from registry.vetting.service import submit_for_vetting

LINK = "http://localhost/invitations/{}".format


@pytest.fixture
def vetted(db, applicant, manager):
    """The applicant, submitted, with every item accepted."""
    submit_for_vetting(applicant.user, now=NOW)
    accept_all(applicant, manager)
    return applicant


@pytest.fixture
def body(db, manager):
    return db.session.get(Organisation, manager.organisation_id)


def invite_manager(manager, body, email="sock.puppet@example.org", *, now=NOW):
    """The manager invites a second register manager account (the attack's first step)."""
    invitation = service.Invitation(
        email=email, full_name="Sock Puppet", role=Role.REGISTER_MANAGER, organisation_id=body.id
    )
    user = service.invite_user(manager, invitation, now=now, link_to=LINK)
    return user, grants.pending_grant_of(user)


def accepted(user):
    """The invited person accepts their invitation (status only: the pages are tested apart)."""
    user.status = AccountStatus.ACTIVE
    return user


# --------------------------------------------------------------------------- AC-09


def test_ac09_manager_cannot_admit_with_account_they_invited(db, vetted, manager, body, outbox):
    puppet, grant = invite_manager(manager, body)
    # The invitation is only proposed: no link is sent, so the account cannot even sign in.
    assert outbox.to(puppet.email) == []
    with pytest.raises(NotAllowed, match="second, different person"):
        grants.confirm(manager, grant, now=NOW, link_to=LINK)
    decision = admission.propose_admission(manager, vetted, "All accepted", now=later(1))
    with pytest.raises(NotAllowed, match="not been confirmed"):
        admission.confirm_admission(accepted(puppet), decision, now=later(1))
    assert vetted.admission_status is AdmissionStatus.SUBMITTED


def test_ac09_manager_they_invited_never_confirms_their_proposal_even_when_settled(
    db, vetted, manager, second_manager, body, outbox, make_user
):
    puppet, grant = invite_manager(manager, body)
    grants.confirm(second_manager, grant, now=NOW, link_to=LINK)
    assert [m["Subject"] for m in outbox.to(puppet.email)] == [
        "You have been invited to the assessor register"
    ]
    accepted(puppet)
    decision = admission.propose_admission(manager, vetted, "All accepted", now=later(1))
    with pytest.raises(NotAllowed, match="recently"):
        admission.confirm_admission(puppet, decision, now=later(1))
    with pytest.raises(NotAllowed, match="also proposed your own role"):
        admission.confirm_admission(puppet, decision, now=later(30))
    assert vetted.admission_status is AdmissionStatus.SUBMITTED
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "admission.confirm_refused")
    ).all()
    assert [(r.actor_id, r.outcome) for r in refused] == [(puppet.id, "refused")] * 2
    third = make_user(Role.REGISTER_MANAGER).user
    admission.confirm_admission(third, decision, now=later(30))
    assert vetted.admission_status is AdmissionStatus.ADMITTED


def test_ac09_new_manager_confirms_others_after_the_settling_period(
    db, vetted, manager, second_manager, body, clock
):
    puppet, grant = invite_manager(manager, body)
    grants.confirm(second_manager, grant, now=NOW, link_to=LINK)
    accepted(puppet)
    decision = admission.propose_admission(second_manager, vetted, "All ok", now=later(6))
    with pytest.raises(NotAllowed, match="recently"):
        admission.confirm_admission(puppet, decision, now=later(6))
    # Seven days after the confirmation, and not proposed by the manager who invited them.
    clock.move_to(later(7))
    admission.confirm_admission(puppet, decision, now=later(7))
    assert vetted.admission_status is AdmissionStatus.ADMITTED


def test_ac09_settling_period_is_a_setting(db, app, manager, second_manager, body):
    puppet, grant = invite_manager(manager, body)
    grants.confirm(second_manager, grant, now=NOW, link_to=LINK)
    app.config["GRANT_SETTLING_DAYS"] = 2
    try:
        assert grants.settling_refusal(puppet, counterpart_id=None, now=later(1))
        assert grants.settling_refusal(puppet, counterpart_id=None, now=later(2)) is None
    finally:
        app.config["GRANT_SETTLING_DAYS"] = 7


def test_ac09_role_promotion_needs_a_second_holder(db, manager, second_manager, make_user):
    officer = make_user(Role.OFFICER).user
    body = db.session.get(Organisation, manager.organisation_id)
    version = officer.session_version
    assert service.change_role(manager, officer, Role.REGISTER_MANAGER, body.id, now=NOW) is False
    assert officer.role is Role.OFFICER  # the old role until confirmed
    grant = grants.pending_grant_of(officer)
    with pytest.raises(NotAllowed, match="second, different person"):
        grants.confirm(manager, grant, now=NOW, link_to=None)
    with pytest.raises(NotAllowed, match="your own role"):
        grants.confirm(officer, grant, now=NOW, link_to=None)
    grants.confirm(second_manager, grant, now=later(1), link_to=None)
    assert (officer.role, officer.organisation_id) == (Role.REGISTER_MANAGER, body.id)
    assert officer.session_version == version + 1
    stored = db.session.get(RoleGrant, grant.id)
    assert (stored.proposed_by_id, stored.proposed_at) == (manager.id, NOW)
    assert (stored.confirmed_by_id, stored.confirmed_at) == (second_manager.id, later(1))
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("user.grant_%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "user.grant_proposed",
        "user.grant_confirm_refused",
        "user.grant_confirm_refused",
        "user.grant_confirmed",
    ]


def test_ac09_new_manager_cannot_confirm_a_grant_proposed_by_whoever_proposed_them(
    db, manager, second_manager, body, make_user
):
    puppet, grant = invite_manager(manager, body)
    grants.confirm(second_manager, grant, now=NOW, link_to=LINK)
    accepted(puppet)
    _, second_puppet_grant = invite_manager(manager, body, "puppet.two@example.org", now=later(8))
    with pytest.raises(NotAllowed, match="also proposed your own role"):
        grants.confirm(puppet, second_puppet_grant, now=later(8), link_to=LINK)
    # Within the settling period, not even another manager's proposal.
    officer = make_user(Role.OFFICER).user
    service.change_role(second_manager, officer, Role.REGISTER_MANAGER, body.id, now=later(1))
    with pytest.raises(NotAllowed, match="recently"):
        grants.confirm(puppet, grants.pending_grant_of(officer), now=later(1), link_to=None)


def test_ac09_a_panel_grant_is_confirmed_by_a_panel_member_of_that_council(
    db, manager, second_manager, make_user
):
    panel = make_user(Role.PANEL_MEMBER).user
    officer = make_user(Role.OFFICER, organisation=panel.organisation).user
    service.change_role(manager, officer, Role.PANEL_MEMBER, panel.organisation_id, now=NOW)
    grant = grants.pending_grant_of(officer)
    with pytest.raises(NotAllowed, match="panel member of"):
        grants.confirm(second_manager, grant, now=NOW, link_to=None)
    grants.confirm(panel, grant, now=NOW, link_to=None)
    assert officer.role is Role.PANEL_MEMBER


def test_ac09_the_first_panel_member_of_a_council_is_confirmed_by_a_second_manager(
    db, manager, second_manager, make_user, make_organisation
):
    council = make_organisation("Westmoor District Council", OrganisationKind.LOCAL_AUTHORITY)
    officer = make_user(Role.OFFICER, organisation=council).user
    service.change_role(manager, officer, Role.PANEL_MEMBER, council.id, now=NOW)
    grants.confirm(second_manager, grants.pending_grant_of(officer), now=NOW, link_to=None)
    assert officer.role is Role.PANEL_MEMBER


def test_ac09_an_auditor_is_confirmed_by_a_second_manager_not_an_auditor(
    db, manager, second_manager, make_user
):
    auditor = make_user(Role.AUDITOR).user
    officer = make_user(Role.OFFICER, organisation=auditor.organisation).user
    service.change_role(manager, officer, Role.AUDITOR, auditor.organisation_id, now=NOW)
    grant = grants.pending_grant_of(officer)
    with pytest.raises(NotAllowed, match="register manager"):
        grants.confirm(auditor, grant, now=NOW, link_to=None)
    grants.confirm(second_manager, grant, now=NOW, link_to=None)
    assert officer.role is Role.AUDITOR


def test_ac09_new_panel_member_cannot_decide_a_commission_within_the_settling_period(
    db, manager, make_user
):
    from registry.commissions import panel as panel_decisions
    from registry.models import Commission

    panel = make_user(Role.PANEL_MEMBER).user
    officer = make_user(Role.OFFICER, organisation=panel.organisation).user
    requester = make_user(Role.OFFICER, organisation=panel.organisation).user
    service.change_role(manager, officer, Role.PANEL_MEMBER, panel.organisation_id, now=NOW)
    grants.confirm(panel, grants.pending_grant_of(officer), now=NOW, link_to=None)
    commission = Commission(organisation_id=panel.organisation_id, requester_id=requester.id)
    with pytest.raises(NotAllowed, match="recently"):
        panel_decisions.decide(officer, commission, True, "", now=later(1))
    # Never a request raised by whoever proposed their grant.
    commission.requester_id = manager.id
    with pytest.raises(NotAllowed, match="also proposed your own role"):
        panel_decisions.decide(officer, commission, True, "", now=later(30))


def test_ac09_a_cancelled_invitation_never_becomes_an_account(
    db, manager, second_manager, body, outbox
):
    puppet, grant = invite_manager(manager, body)
    grants.cancel(second_manager, grant, now=NOW)
    assert puppet.status is AccountStatus.DISABLED
    with pytest.raises(InvalidTransition):
        grants.confirm(second_manager, grant, now=NOW, link_to=LINK)
    assert outbox.to(puppet.email) == []


# --------------------------------------------------------------------------- AC-10


def suspended(db, assessor, manager, second_manager):
    """Admit the vetted assessor with four eyes, then suspend them."""
    decision = admission.propose_admission(manager, assessor, "All accepted", now=later(1))
    admission.confirm_admission(second_manager, decision, now=later(1))
    admission.suspend(manager, assessor, "Conditions on the register", now=later(2))
    return assessor


def test_ac10_one_manager_cannot_reinstate_alone(db, vetted, manager, second_manager):
    assessor = suspended(db, vetted, manager, second_manager)
    admission.reinstate(manager, assessor, "Conditions lifted", now=later(3))
    assert assessor.admission_status is AdmissionStatus.SUSPENDED
    decision = admission.open_proposal(assessor)
    assert decision.action is AdmissionAction.REINSTATE
    with pytest.raises(NotAllowed, match="A second register manager must confirm"):
        admission.confirm_admission(manager, decision, now=later(3))
    assert assessor.admission_status is AdmissionStatus.SUSPENDED


def test_ac10_two_managers_reinstate_and_the_assessor_is_told(
    db, vetted, manager, second_manager, outbox
):
    assessor = suspended(db, vetted, manager, second_manager)
    outbox.clear()
    admission.reinstate(manager, assessor, "Conditions lifted", now=later(3))
    admission.confirm_admission(second_manager, admission.open_proposal(assessor), now=later(3))
    assert assessor.admission_status is AdmissionStatus.ADMITTED
    decision = db.session.scalar(
        select(AdmissionDecision).where(AdmissionDecision.action == AdmissionAction.REINSTATE)
    )
    assert (decision.proposed_by_id, decision.confirmed_by_id) == (manager.id, second_manager.id)
    subjects = [m["Subject"] for m in outbox.to(assessor.user.email)]
    assert subjects == ["You have been reinstated on the register"]


def test_ac10_reinstatement_is_refused_when_an_item_is_no_longer_accepted(
    db, vetted, manager, second_manager
):
    assessor = suspended(db, vetted, manager, second_manager)
    dbs = db.session.scalar(
        select(ItemReview).where(
            ItemReview.assessor_id == assessor.id, ItemReview.item_type == "dbs_check"
        )
    )
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type="dbs_check",
            item_id=dbs.item_id,
            status=ReviewStatus.PENDING,
            submitted_at=later(2),
        )
    )
    db.session.commit()
    with pytest.raises(NotEligible, match="No DBS check is accepted"):
        admission.reinstate(manager, assessor, "Conditions lifted", now=later(3))
    assert admission.open_proposal(assessor) is None


def test_ac10_conditions_are_checked_again_when_a_second_manager_confirms(
    db, vetted, manager, second_manager, make_user
):
    assessor = suspended(db, vetted, manager, second_manager)
    admission.reinstate(manager, assessor, "Conditions lifted", now=later(3))
    decision = admission.open_proposal(assessor)
    # The registration is no longer clear on its public register when the second manager looks.
    clear_check(assessor.registrations[0], at=later(4), outcome="not_found")
    with pytest.raises(NotEligible, match="clear on its public register"):
        admission.confirm_admission(second_manager, decision, now=later(4))
    assert assessor.admission_status is AdmissionStatus.SUSPENDED
    assert db.session.get(AdmissionDecision, decision.id).cancelled_at == later(4)


def test_ac10_a_newly_granted_manager_cannot_confirm_a_reinstatement(
    db, vetted, manager, second_manager, body
):
    assessor = suspended(db, vetted, manager, second_manager)
    puppet, grant = invite_manager(manager, body, now=later(2))
    grants.confirm(second_manager, grant, now=later(2), link_to=LINK)
    admission.reinstate(second_manager, assessor, "Lifted", now=later(3))
    with pytest.raises(NotAllowed, match="recently"):
        admission.confirm_admission(
            accepted(puppet), admission.open_proposal(assessor), now=later(3)
        )
    assert assessor.admission_status is AdmissionStatus.SUSPENDED


def test_ac10_reinstate_page_asks_for_a_fresh_code_then_only_proposes(
    db, vetted, manager, second_manager, logged_in, clock
):
    from datetime import timedelta

    assessor = suspended(db, vetted, manager, second_manager)
    client = logged_in(made(manager))
    clock.shift(timedelta(minutes=16))
    url = f"/vetting/assessors/{assessor.id}/reinstate"
    response = client.post(url, data={"reason": "Lifted"}, headers={"Referer": url})
    assert response.headers["Location"].startswith("/account/confirm-identity")
    assert admission.open_proposal(assessor) is None
    fresh = logged_in(made(manager))
    page = fresh.post(url, data={"reason": "Lifted"}, follow_redirects=True).get_data(as_text=True)
    assert "A second register manager must confirm" in page
    assert assessor.admission_status is AdmissionStatus.SUSPENDED
    assert admission.open_proposal(assessor).action is AdmissionAction.REINSTATE
