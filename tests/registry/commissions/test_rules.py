"""The commission's permission and state rules, and allowed_actions as the pages read it."""

from __future__ import annotations

import pytest

from registry.commissions import rules
from registry.errors import InvalidTransition
from registry.models import Commission, CommissionStatus, PanelDecision, PanelOutcome, Role, User

S = CommissionStatus


def person(user_id: int, role: Role, organisation_id: int | None = 1) -> User:
    return User(id=user_id, role=role, organisation_id=organisation_id)


def request_in(status: S, *, decided_by: tuple[int, ...] = ()) -> Commission:
    commission = Commission(id=9, status=status, requester_id=1, organisation_id=1)
    commission.decisions = [
        PanelDecision(decided_by_id=i, outcome=PanelOutcome.APPROVED) for i in decided_by
    ]
    return commission


REQUESTER = person(1, Role.OFFICER)
PANEL = person(2, Role.PANEL_MEMBER)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.DRAFT, {"edit", "start_search", "cancel"}),
        (S.SHORTLISTING, {"edit", "search", "select", "cancel"}),
        (S.AWAITING_ASSESSOR, {"cancel"}),
        (S.AWAITING_PANEL, {"cancel"}),
        (S.APPROVED, {"instruct", "cancel"}),
        (S.INSTRUCTED, {"record_report", "cancel"}),
        (S.REPORT_RECEIVED, {"quality_review"}),
        (S.CLOSED, set()),
        (S.CANCELLED, set()),
    ],
)
def test_the_requester_is_offered_what_the_state_allows(status, expected):
    assert rules.allowed_actions(REQUESTER, request_in(status)) == expected


def test_only_a_panel_member_of_the_authority_who_has_not_decided_may_decide():
    waiting = request_in(S.AWAITING_PANEL)
    assert rules.allowed_actions(PANEL, waiting) == {"decide"}
    assert rules.allowed_actions(person(3, Role.PANEL_MEMBER, organisation_id=2), waiting) == set()
    assert rules.allowed_actions(PANEL, request_in(S.AWAITING_PANEL, decided_by=(2,))) == set()
    assert rules.allowed_actions(PANEL, request_in(S.SHORTLISTING)) == set()
    # The requester, even as a panel member, never decides their own request (AC-06).
    assert "decide" not in rules.allowed_actions(person(1, Role.PANEL_MEMBER), waiting)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ASSESSOR, Role.REGISTER_MANAGER])
def test_other_roles_are_offered_nothing(role):
    for status in S:
        assert rules.allowed_actions(person(5, role), request_in(status)) == set()


def test_every_state_may_only_move_along_the_machine():
    with pytest.raises(InvalidTransition, match="cannot become"):
        rules.check_transition(S.CLOSED, S.SHORTLISTING)
    for status, targets in rules.TRANSITIONS.items():
        for target in targets:
            rules.check_transition(status, target)
