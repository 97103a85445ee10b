"""Register pages are read from labelled fields only, and odd pages are refused."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from registry.registers.parsing import (
    Fields,
    PageUnreadable,
    challenge_marker,
    looks_like_consent_page,
    parse_period,
    parse_uk_date,
)


def fields_of(html: str) -> Fields:
    return Fields(BeautifulSoup(html, "html.parser"))


def test_table_rows_are_fields():
    fields = fields_of("<table><tr><th>Status</th><td> Registered </td></tr></table>")
    assert fields.require("Status").text == "Registered"


def test_definition_lists_are_fields_with_list_items():
    fields = fields_of(
        "<dl><dt>Specialist register</dt><dd><ul><li>Forensic Psychiatry</li>"
        "<li>General Psychiatry</li></ul></dd></dl>"
    )
    assert fields.require("Specialist register").items == (
        "Forensic Psychiatry",
        "General Psychiatry",
    )


def test_label_colon_value_lines_are_fields():
    fields = fields_of("<p><strong>Registration status:</strong> Registered</p>")
    assert fields.require("Registration status").text == "Registered"


def test_labels_are_matched_whatever_their_case_spacing_and_colon():
    fields = fields_of(
        "<table><tr><th>  REGISTRATION\n  status : </th><td>Lapsed</td></tr></table>"
    )
    assert fields.require("Registration status").text == "Lapsed"


def test_a_missing_label_is_unreadable():
    fields = fields_of("<table><tr><th>Name</th><td>Amelia Hart</td></tr></table>")
    with pytest.raises(PageUnreadable, match="no Status field"):
        fields.require("Status")


def test_two_different_values_under_one_label_are_unreadable():
    fields = fields_of(
        "<table><tr><th>Status</th><td>Registered</td></tr>"
        "<tr><th>Status</th><td>Suspended</td></tr></table>"
    )
    with pytest.raises(PageUnreadable, match="more than one"):
        fields.get("Status")


def test_the_same_value_twice_is_fine():
    fields = fields_of("<p>Status: Registered</p><dl><dt>Status</dt><dd>Registered</dd></dl>")
    assert fields.require("Status").text == "Registered"


def test_status_words_outside_a_labelled_field_are_ignored():
    fields = fields_of("<h1>Registered</h1><p>This person is Registered.</p>")
    assert fields.get("Status") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/06/2025", date(2025, 6, 1)),
        ("1/6/2025", date(2025, 6, 1)),
        ("30 November 2026", date(2026, 11, 30)),
        ("30 Nov 2026", date(2026, 11, 30)),
        (" 1  Sept 2026 ", date(2026, 9, 1)),
    ],
)
def test_uk_dates_are_read(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["2025-06-01", "31/02/2025", "06/01", "1 Smarch 2025", ""])
def test_other_dates_are_unreadable(text):
    with pytest.raises(PageUnreadable):
        parse_uk_date(text)


def test_a_period_is_two_dates():
    assert parse_period("01/06/2025 to 31/05/2027") == (date(2025, 6, 1), date(2027, 5, 31))
    with pytest.raises(PageUnreadable):
        parse_period("from 01/06/2025")


def test_challenge_and_consent_markers_are_recognised():
    assert challenge_marker("<title>Just a moment...</title>") == "just a moment"
    assert challenge_marker('<div class="g-recaptcha"></div>') == "captcha"
    assert challenge_marker("<p>Status: Registered</p>") is None
    assert looks_like_consent_page("<button>Accept all cookies</button>")
