"""The rules a profile item must keep, and the column values it gets: plain data, no database.

Each check takes the item's data, today's UK date and the policy, and returns the values to set
on the row; it raises ValidationFailed(message, field) on the first broken rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from assessors.profile_data import (
    CpdData,
    DbsData,
    ExperienceData,
    InsuranceData,
    QualificationData,
    RefereeData,
    ServicesData,
    SupervisionData,
    ToolTrainingData,
)
from registry.eligibility import OffenceCategory, Population, Purpose
from registry.errors import ValidationFailed
from registry.models import Availability, DbsLevel
from registry.policy import Policy
from registry.vocabulary import REGIONS

Values = dict[str, Any]
MAX_CPD_HOURS = 500


def _not_future(value: date | None, today: date, field: str, what: str) -> None:
    if value is not None and value > today:
        raise ValidationFailed(f"{what} must be today or in the past", field)


def check_qualification(data: QualificationData, today: date, policy: Policy) -> Values:
    """A qualification was awarded on or before today, of a kind the policy lists (or none)."""
    _not_future(data.awarded_on, today, "awarded_on", "The date awarded")
    if data.kind is not None and policy.qualification(data.kind) is None:
        raise ValidationFailed("Select the kind of qualification from the list", "kind")
    return asdict(data)


def check_tool_training(data: ToolTrainingData, today: date, policy: Policy) -> Values:
    """A tool of the policy; a tool whose owner licenses practitioners needs a reference."""
    tool = policy.tool(data.tool_code)
    if tool is None:
        raise ValidationFailed("Select a tool from the list", "tool_code")
    _not_future(data.trained_on, today, "trained_on", "The date of the training")
    if data.refresher_due is not None and data.refresher_due < data.trained_on:
        raise ValidationFailed(
            "The refresher date must be after the training date", "refresher_due"
        )
    values = asdict(data)
    reference = (data.owner_approval_reference or "").strip() or None
    if tool.owner_approval_required and reference is None:
        raise ValidationFailed(
            f"Enter the reference of your approval by {tool.owner}", "owner_approval_reference"
        )
    values["owner_approval_reference"] = reference if tool.owner_approval_required else None
    values["owner_approved"] = tool.owner_approval_required
    return values


def check_experience(data: ExperienceData, today: date, policy: Policy) -> Values:
    """Known categories; a count of zero or more; a past period holding the last case."""
    for field, vocabulary, message in (
        ("offence_category", OffenceCategory, "Select the offence category"),
        ("population", Population, "Select who the assessments were of"),
        ("assessment_purpose", Purpose, "Select the kind of assessment"),
    ):
        if getattr(data, field) not in set(vocabulary):
            raise ValidationFailed(message, field)
    if data.count < 0:
        raise ValidationFailed("The number of assessments must be 0 or more", "count")
    _not_future(data.period_to, today, "period_to", "The end of the period")
    if data.period_from > data.period_to:
        raise ValidationFailed("The start of the period must be before its end", "period_from")
    _not_future(data.last_case_on, today, "last_case_on", "The date of the last case")
    if not data.period_from <= data.last_case_on <= data.period_to:
        raise ValidationFailed(
            "The date of the last case must be within the period", "last_case_on"
        )
    return asdict(data)


def check_referee(data: RefereeData, today: date, policy: Policy) -> Values:
    """A referee has no rules beyond the form's."""
    return asdict(data)


def check_dbs(data: DbsData, today: date, policy: Policy) -> Values:
    """Issued by today; a status check only with the Update Service, between issue and today."""
    if data.level not in set(DbsLevel):
        raise ValidationFailed("Select the level of the certificate", "level")
    _not_future(data.issued_on, today, "issued_on", "The date of issue")
    checked = data.last_status_check_on
    if checked is not None and not data.update_service:
        raise ValidationFailed(
            "Only enter a status check if the certificate is on the Update Service",
            "last_status_check_on",
        )
    _not_future(checked, today, "last_status_check_on", "The date of the last status check")
    if checked is not None and checked < data.issued_on:
        raise ValidationFailed(
            "The last status check must be on or after the date of issue", "last_status_check_on"
        )
    return asdict(data)


def check_insurance(data: InsuranceData, today: date, policy: Policy) -> Values:
    """Insurance still running after today, with some cover."""
    if data.expires_on <= today:
        raise ValidationFailed("The expiry date must be in the future", "expires_on")
    if data.cover_pence <= 0:
        raise ValidationFailed("The amount of cover must be more than £0", "cover")
    return asdict(data)


def check_cpd(data: CpdData, today: date, policy: Policy) -> Values:
    """CPD completed by today, of 1 to 500 hours."""
    _not_future(data.completed_on, today, "completed_on", "The date completed")
    if not 1 <= data.hours <= MAX_CPD_HOURS:
        raise ValidationFailed(f"Hours must be between 1 and {MAX_CPD_HOURS}", "hours")
    return asdict(data)


def check_supervision(data: SupervisionData, today: date, policy: Policy) -> Values:
    """A supervision arrangement that has started."""
    _not_future(data.started_on, today, "started_on", "The start date")
    return asdict(data)


def check_services(data: ServicesData, today: date, policy: Policy) -> Values:
    """Regions from the fixed list, a known availability and a day rate of £0 or more."""
    if not data.regions or not set(data.regions) <= set(REGIONS):
        raise ValidationFailed("Select the regions you cover", "regions")
    if data.availability not in set(Availability):
        raise ValidationFailed("Select your availability", "availability")
    if data.day_rate_pence is not None and data.day_rate_pence < 0:
        raise ValidationFailed("The day rate must be £0 or more", "day_rate")
    languages = [language.strip() for language in data.languages if language.strip()]
    return {
        "regions": [r for r in REGIONS if r in data.regions],
        "languages": languages,
        "availability": data.availability,
        "day_rate_pence": data.day_rate_pence,
    }


CHECKS: dict[str, Callable[[Any, date, Policy], Values]] = {
    "qualification": check_qualification,
    "tool_training": check_tool_training,
    "experience_entry": check_experience,
    "referee": check_referee,
    "dbs_check": check_dbs,
    "insurance": check_insurance,
    "cpd_record": check_cpd,
    "supervision": check_supervision,
}
