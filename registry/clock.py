"""The only read of the system clock, and conversion to UK dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def uk_date_of(moment: datetime) -> date:
    """The calendar date in the UK at an aware moment (legal dates are UK dates)."""
    if moment.tzinfo is None:
        raise ValueError("uk_date_of needs an aware datetime")
    return moment.astimezone(UK).date()


def uk_today() -> date:
    """Today's date in the UK."""
    return uk_date_of(utc_now())
