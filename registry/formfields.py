"""Form fields shared by features, in the GOV.UK patterns."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, IntegerField
from wtforms.validators import NumberRange, ValidationError


class DayMonthYearField(DateField):
    """A date typed into GOV.UK's day, month and year boxes.

    The widget expects exactly three values; a crafted request with fewer must get a form error,
    not a 500, so the values are padded to three before the date is parsed.
    """

    data: Any  # a date once validated (WTForms itself is untyped)

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        padded = [*list(valuelist)[:3], "", "", ""][:3]
        self.raw_data = padded
        if not any(part.strip() for part in padded):
            self.data = None
            return
        super().process_formdata(padded)


# --------------------------------------------------------------------------- numbers (IN-04)

# The largest amount of money any field takes: budgets, day rates and insurance cover, in pounds.
# (The columns hold pence in a 32-bit INTEGER, which stops at about £21.4 million.)
MAX_POUNDS = 10_000_000
# The largest count any field takes (a number of assessments, hours of CPD).
MAX_COUNT = 10_000


def parse_pounds(text: str | None, *, what: str = "The amount") -> int | None:
    """Pounds typed as text ("1,250.50", "£1250") as whole pence; None when blank.

    Raises ValueError with a GOV.UK-style message for anything that is not an amount of money
    from £0 to MAX_POUNDS with at most two decimal places: "1e400", "Infinity", "NaN", twenty
    digits and "-5" are all refused here, before they reach arithmetic or the database.
    """
    cleaned = (text or "").replace(",", "").replace("£", "").strip()
    if not cleaned:
        return None
    example = f"{what} must be an amount in pounds, like 1250 or 1250.50"
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", cleaned):
        if re.fullmatch(r"\d{1,12}\.\d{3,}", cleaned):
            raise ValueError(f"{what} must be in pounds and pence, like 1250.50")
        raise ValueError(example)
    amount = Decimal(cleaned)
    if amount > MAX_POUNDS:
        raise ValueError(f"{what} must be £{MAX_POUNDS:,} or less")
    return int(amount * 100)


def pounds(what: str) -> Any:
    """A WTForms validator: the field must be blank or an amount parse_pounds accepts."""

    def check(form: Any, field: Any) -> None:
        try:
            parse_pounds(field.data, what=what)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    return check


class CountField(IntegerField):
    """A whole number from 0 to MAX_COUNT, typed into a GOV.UK text input."""

    data: Any  # an int once validated (WTForms itself is untyped)

    def __init__(
        self,
        label: str | None = None,
        validators: Any = None,
        *,
        maximum: int = MAX_COUNT,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", GovTextInput())
        bounded = [
            *(validators or []),
            NumberRange(min=0, max=maximum, message=f"{label} must be between 0 and {maximum:,}"),
        ]
        super().__init__(label, bounded, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        # IntegerField accepts any number of digits; refuse absurd lengths before int() does work.
        if valuelist and len(valuelist[0].strip()) > 12:
            self.data = None
            raise ValueError(f"{self.label.text} must be between 0 and {MAX_COUNT:,}")
        super().process_formdata(valuelist)
