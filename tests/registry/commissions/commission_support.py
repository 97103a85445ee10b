"""Plain helpers for the commission tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from registry.commissions.case import CaseData


def today() -> date:
    return datetime.now(UTC).date()


def case_data(**changes) -> CaseData:
    """A typical case: an adult man convicted of intra-familial contact offending."""
    values = dict(
        case_reference="NS/2026/0417",
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
        needed_by=today() + timedelta(42),
        questions="What is the risk to the child?",
        budget_pence=250_000,
        named_parties=["Mr A Parent", "Ms B Partner"],
    )
    values.update(changes)
    return CaseData(**values)
