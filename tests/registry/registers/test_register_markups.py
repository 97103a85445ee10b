"""Every adapter reads its entry alike in every common markup a register might use or move to.

The simulator renders each entry in a chosen markup (its control API); the lookups go over real
HTTP, and must give the same outcome and fields as the register's own page. A layout in which the
labels cannot be tied to their values must come back unreadable, never clear.
"""

import pytest
import requests

from registry.registers import REGISTERS, get_register
from registry.registers.base import LookupResult, Outcome
from simulator.data import (
    REFERENCE_NOW,
    SEED_REGISTRANTS,
    UNFAMILIAR_MARKUPS,
    Behaviour,
    Markup,
    SimRegistrant,
)

FAMILIAR = [m for m in Markup if m is not Markup.REGISTER and m not in UNFAMILIAR_MARKUPS]
# Entries whose page the simulator renders (the others fail before any markup is read).
RENDERED = {Behaviour.PAGE, Behaviour.MISSING_LABEL}


def pages_of(body: str) -> list[SimRegistrant]:
    return [r for r in SEED_REGISTRANTS if r.body == body and r.behaviour in RENDERED]


def lookup(simulator, registrant: SimRegistrant) -> LookupResult:
    adapter = get_register(registrant.body, base_url=simulator.base_url, timeout=(1, 2))
    return adapter.lookup(
        registrant.number,
        surname=registrant.legal_surname,
        given_names=registrant.legal_given_names,
        now=REFERENCE_NOW,
    )


def what_was_read(result: LookupResult) -> tuple:
    return (
        result.outcome,
        result.sanction,
        result.detail,
        result.status_text,
        result.name,
        result.period_from,
        result.period_to,
        result.entries,
        result.conditions,
        result.data_valid_on,
    )


def use_markup(simulator, markup: Markup | None) -> None:
    answer = requests.post(
        f"{simulator.base_url}/_simulator/markup",
        json={"markup": markup.value if markup else None},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("markup", FAMILIAR, ids=str)
@pytest.mark.parametrize("body", list(REGISTERS))
def test_every_adapter_reads_every_common_markup_as_the_register_own(
    register_simulator, body, markup
):
    registrants = pages_of(body)
    own = [what_was_read(lookup(register_simulator, r)) for r in registrants]
    use_markup(register_simulator, markup)
    for registrant, expected in zip(registrants, own, strict=True):
        assert what_was_read(lookup(register_simulator, registrant)) == expected, (
            registrant.number,
            registrant.case,
        )


@pytest.mark.parametrize("markup", FAMILIAR, ids=str)
@pytest.mark.parametrize("body", list(REGISTERS))
def test_the_fields_read_in_each_markup_are_the_entry_own(register_simulator, body, markup):
    # Not only the same as the register's own page: the right values, lists and conditions.
    use_markup(register_simulator, markup)
    for registrant in pages_of(body):
        result = lookup(register_simulator, registrant)
        assert result.outcome == registrant.expected, (registrant.number, result.detail)
        if registrant.behaviour is Behaviour.MISSING_LABEL:
            continue
        assert result.status_text == registrant.status
        assert result.name == registrant.register_name
        if body != "gmc":
            assert result.period_to == registrant.period_to
        if body in {"hcpc", "gmc"} and registrant.entries:
            assert result.entries == registrant.entries
        for label, text in registrant.restrictions:
            assert f"{label}: {text}" in (result.conditions or "")
        if registrant.expected in {Outcome.BLOCKED, Outcome.RESTRICTED}:
            assert result.sanction is registrant.expected_sanction, registrant.number


@pytest.mark.parametrize("markup", sorted(UNFAMILIAR_MARKUPS), ids=str)
@pytest.mark.parametrize("body", list(REGISTERS))
def test_an_unfamiliar_layout_is_unreadable_never_clear(register_simulator, body, markup):
    use_markup(register_simulator, markup)
    for registrant in pages_of(body):
        result = lookup(register_simulator, registrant)
        assert result.outcome is Outcome.UNREADABLE, (registrant.number, result.detail)
        assert not result.sanction


def test_a_registrant_can_have_its_own_markup(register_simulator):
    answer = requests.post(
        f"{register_simulator.base_url}/_simulator/registrants/gmc/7012345",
        json={"markup": "headings"},
        timeout=5,
    )
    assert answer.json()["markup"] == "headings"
    page = requests.get(f"{register_simulator.base_url}/registrants/7012345", timeout=5).text
    assert "<h3>Registration status</h3>" in page
    other = requests.get(f"{register_simulator.base_url}/registrants/7000100", timeout=5).text
    assert "<dt>Registration status</dt>" in other


def test_a_registrant_markup_wins_over_the_simulator_markup(register_simulator):
    use_markup(register_simulator, Markup.PROSE)
    register_simulator.app.set_status("hcpc", "PYL043541", markup=Markup.DIVS)
    result = lookup(register_simulator, register_simulator.app.registrant("hcpc", "PYL043541"))
    assert result.outcome is Outcome.CLEAR


@pytest.mark.parametrize("payload", [{"markup": "comic-sans"}, {"markup": 3}, {}, ["dl"]])
def test_the_markup_control_refuses_what_it_does_not_know(register_simulator, payload):
    answer = requests.post(
        f"{register_simulator.base_url}/_simulator/markup", json=payload, timeout=5
    )
    assert answer.status_code == 400


def test_reset_restores_each_register_own_markup(register_simulator):
    use_markup(register_simulator, Markup.INLINE)
    register_simulator.app.reset()
    page = requests.get(f"{register_simulator.base_url}/registrants/7000100", timeout=5).text
    assert "<dt>Registration status</dt>" in page
