"""Form fields shared by features, in the GOV.UK patterns."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField


class DayMonthYearField(DateField):
    """A date typed into GOV.UK's day, month and year boxes.

    The widget expects exactly three values; a crafted request with fewer must get a form error,
    not a 500, so the values are padded to three before the date is parsed.
    """

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
