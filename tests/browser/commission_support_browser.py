"""A case description for the browser journeys (kept apart from the commission test helpers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registry.commissions.case import CaseData


def case(reference: str) -> CaseData:
    """A typical adult-male contact-offending case."""
    return CaseData(
        case_reference=reference,
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
        access_details="",
        needed_by=datetime.now(UTC).date() + timedelta(days=42),
        questions="Risk?",
        budget_pence=None,
        named_parties=["Mr A Parent"],
    )
