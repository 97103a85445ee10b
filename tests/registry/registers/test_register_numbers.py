"""Registration numbers are normalised and checked before anything is sent (REG-01)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.registers.numbers import (
    AUTOMATED_BODIES,
    BODY_NAMES,
    MANUAL_BODIES,
    NUMBER_FORMATS,
    InvalidNumber,
    normalise_number,
    normalise_number_with_warning,
    same_hcpc_number,
)


@pytest.mark.parametrize(
    ("body", "raw", "expected"),
    [
        ("hcpc", "PYL043541", "PYL043541"),
        ("hcpc", " pyl 043 541 ", "PYL043541"),
        ("hcpc", "PYL31200", "PYL31200"),
        ("hcpc", "odp1", "ODP1"),
        ("swe", "SW123", "SW123"),
        ("swe", "sw000123", "SW123"),
        ("swe", "SW 1234567", "SW1234567"),
        ("gmc", "1234567", "1234567"),
        ("gmc", " 123 4567\t", "1234567"),
        ("nmc", "12a3456e", "12A3456E"),
    ],
)
def test_valid_numbers_are_normalised(body, raw, expected):
    assert normalise_number(body, raw) == expected


@pytest.mark.parametrize(
    ("body", "raw"),
    [
        ("hcpc", "PYL1234567"),
        ("hcpc", "XX123"),
        ("hcpc", "PYL"),
        ("hcpc", "PYL０４３５４１"),
        ("swe", "SW0"),
        ("swe", "SW000"),
        ("swe", "SW12345678"),
        ("swe", "123"),
        ("gmc", "123456"),
        ("gmc", "12345678"),
        ("gmc", "C123456"),
        ("gmc", "١٢٣٤٥٦٧"),
        ("nmc", "12A3456"),
        ("nmc", "1A23456E"),
        ("nmc", "12A3456E?x=1"),
    ],
)
def test_invalid_numbers_are_refused(body, raw):
    with pytest.raises(InvalidNumber):
        normalise_number(body, raw)


def test_hcpc_keeps_leading_zeros_as_typed_but_compares_numerically():
    assert normalise_number("hcpc", "PYL043541") == "PYL043541"
    assert normalise_number("hcpc", "PYL43541") == "PYL43541"
    assert same_hcpc_number("PYL043541", "PYL43541")
    assert not same_hcpc_number("PYL043541", "CS43541")


def test_invalid_number_message_is_fit_for_a_form():
    with pytest.raises(InvalidNumber) as refused:
        normalise_number("hcpc", "nonsense")
    assert str(refused.value) == (
        "Enter an HCPC registration number in the correct format, like PYL012345"
    )


@pytest.mark.parametrize("body", AUTOMATED_BODIES)
def test_empty_number_asks_for_one(body):
    with pytest.raises(InvalidNumber) as refused:
        normalise_number(body, "   ")
    assert str(refused.value).startswith("Enter ")
    assert "correct format" not in str(refused.value)


def test_gmc_consultant_code_loses_its_c_with_a_warning():
    number, warning = normalise_number_with_warning("gmc", "c1234567")
    assert number == "1234567"
    assert warning is not None
    assert "consultant code" in warning


def test_a_plain_gmc_number_has_no_warning():
    assert normalise_number_with_warning("gmc", "1234567") == ("1234567", None)


def test_body_tables_cover_every_body_once():
    assert set(AUTOMATED_BODIES).isdisjoint(MANUAL_BODIES)
    assert set(BODY_NAMES) == set(AUTOMATED_BODIES) | set(MANUAL_BODIES)
    assert set(NUMBER_FORMATS) == set(AUTOMATED_BODIES)


# The autouse fixture that resets the simulator is irrelevant to these pure functions.
PURE = {"suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.mark.slow
@settings(max_examples=100, **PURE)
@given(body=st.sampled_from(AUTOMATED_BODIES), raw=st.text())
def test_reg01_any_text_is_a_valid_number_or_invalid_number(body, raw):
    try:
        number = normalise_number(body, raw)
    except InvalidNumber:
        return
    assert NUMBER_FORMATS[body].pattern.fullmatch(number)
    assert normalise_number(body, number) == number


@settings(max_examples=50, **PURE)
@given(data=st.data(), body=st.sampled_from(AUTOMATED_BODIES))
def test_valid_numbers_survive_case_and_spacing(data, body):
    number = data.draw(st.from_regex(NUMBER_FORMATS[body].pattern, fullmatch=True))
    spaced = " " + " ".join(number.lower()) + " "
    assert normalise_number(body, spaced) == normalise_number(body, number)
