"""Adapters say whether a blocked or restricted entry is a sanction or a lapse without one.

From labelled fields only; where the wording does not make a lapse certain, it is a sanction
(fail closed) and the sentence says so.
"""

import pytest

from registry.registers import REGISTERS, get_register
from registry.registers.base import LookupResult, Outcome
from registry.registers.judging import (
    UNCERTAIN_SANCTION,
    Reading,
    StatusRules,
    judge,
    sanction_of,
)
from simulator.data import (
    REFERENCE_NOW,
    SEED_REGISTRANTS,
    Behaviour,
    SimRegistrant,
    seed_registrant,
)

TREATED_AS_ONE = "the register does not say whether this was a sanction, so it is treated as one"

# For each register: (case, number, outcome, sanction, uncertain wording?)
CASES = {
    "hcpc": [
        ("suspension", "PYL20003", Outcome.BLOCKED, True, False),
        ("struck off", "PYL20004", Outcome.BLOCKED, True, False),
        ("interim order", "PYL20006", Outcome.BLOCKED, True, False),
        ("caution", "PYL20001", Outcome.RESTRICTED, True, False),
        ("conditions", "PYL20002", Outcome.RESTRICTED, True, False),
        ("conditions field", "PYL20015", Outcome.RESTRICTED, True, False),
        ("lapsed", "PYL20005", Outcome.BLOCKED, False, False),
        ("not renewed", "PYL20018", Outcome.BLOCKED, False, False),
        ("voluntary removal", "PYL20016", Outcome.BLOCKED, False, False),
        ("period ended", "PYL20007", Outcome.BLOCKED, False, False),
        ("removed, no ground", "PYL20017", Outcome.BLOCKED, True, True),
    ],
    "swe": [
        ("suspension", "SW2003", Outcome.BLOCKED, True, False),
        ("removal order", "SW2015", Outcome.BLOCKED, True, False),
        ("conditions", "SW2001", Outcome.RESTRICTED, True, False),
        ("interim order", "SW2002", Outcome.RESTRICTED, True, False),
        ("lapsed", "SW2017", Outcome.BLOCKED, False, False),
        ("voluntary removal", "SW2016", Outcome.BLOCKED, False, False),
        ("period ended", "SW2007", Outcome.BLOCKED, False, False),
        ("removed, no ground", "SW2004", Outcome.BLOCKED, True, True),
        ("not registered, no reason", "SW2005", Outcome.BLOCKED, True, True),
    ],
    "gmc": [
        ("suspension", "7020004", Outcome.BLOCKED, True, False),
        ("erased", "7020005", Outcome.BLOCKED, True, False),
        ("interim order", "7020009", Outcome.BLOCKED, True, False),
        ("conditions", "7020001", Outcome.RESTRICTED, True, False),
        ("undertakings", "7020002", Outcome.RESTRICTED, True, False),
        ("warning", "7020003", Outcome.RESTRICTED, True, False),
        ("administrative erasure", "7020006", Outcome.BLOCKED, False, False),
        ("voluntary erasure", "7020018", Outcome.BLOCKED, False, False),
        ("provisional", "7020008", Outcome.BLOCKED, False, False),
        ("without a licence", "7020007", Outcome.BLOCKED, True, True),
        ("removed, no ground", "7020019", Outcome.BLOCKED, True, True),
    ],
    "nmc": [
        ("suspension", "12B0003E", Outcome.BLOCKED, True, False),
        ("struck off", "12B0016E", Outcome.BLOCKED, True, False),
        ("interim order", "12B0006E", Outcome.BLOCKED, True, False),
        ("conditions", "12B0001E", Outcome.RESTRICTED, True, False),
        ("undertakings", "12B0002E", Outcome.RESTRICTED, True, False),
        ("lapsed", "12B0004E", Outcome.BLOCKED, False, False),
        ("voluntary removal", "12B0017E", Outcome.BLOCKED, False, False),
        ("period ended", "12B0007E", Outcome.BLOCKED, False, False),
        ("removed, no ground", "12B0005E", Outcome.BLOCKED, True, True),
    ],
}
ALL_CASES = [(body, *case) for body, cases in CASES.items() for case in cases]


def check(simulator, registrant: SimRegistrant) -> LookupResult:
    adapter = get_register(registrant.body, base_url=simulator.base_url, timeout=(1, 2))
    return adapter.lookup(
        registrant.number,
        surname=registrant.legal_surname,
        given_names=registrant.legal_given_names,
        now=REFERENCE_NOW,
    )


@pytest.mark.parametrize(
    ("body", "case", "number", "outcome", "sanction", "uncertain"),
    ALL_CASES,
    ids=[f"{case[0]}-{case[1]}" for case in ALL_CASES],
)
def test_each_adapter_says_sanction_or_lapse(
    register_simulator, body, case, number, outcome, sanction, uncertain
):
    result = check(register_simulator, seed_registrant(body, number))
    assert result.outcome is outcome, result.detail
    assert result.sanction is sanction, result.detail
    assert (TREATED_AS_ONE in result.detail) is uncertain, result.detail
    assert result.to_json_dict()["sanction"] is sanction


def test_every_register_has_each_case():
    for cases in CASES.values():
        named = {case for case, *_ in cases}
        assert {"suspension", "conditions", "removed, no ground"} <= named
        assert named & {"lapsed", "voluntary removal", "voluntary erasure"}
        assert any(not sanction for *_, sanction, _ in cases)


@pytest.mark.parametrize(
    "registrant",
    [r for r in SEED_REGISTRANTS if r.behaviour in {Behaviour.PAGE, Behaviour.MISSING_LABEL}],
    ids=lambda r: f"{r.body}-{r.number}",
)
def test_every_seeded_entry_has_its_documented_sanction(register_simulator, registrant):
    result = check(register_simulator, registrant)
    assert result.outcome == registrant.expected, result.detail
    assert result.sanction is registrant.expected_sanction, result.detail


def test_a_sanction_changed_while_running_is_noticed(register_simulator):
    register_simulator.app.set_status("swe", "SW123", "Suspended")
    result = check(register_simulator, seed_registrant("swe", "SW123"))
    assert (result.outcome, result.sanction) == (Outcome.BLOCKED, True)
    register_simulator.app.set_status("swe", "SW123", "Voluntarily removed")
    result = check(register_simulator, seed_registrant("swe", "SW123"))
    assert (result.outcome, result.sanction) == (Outcome.BLOCKED, False)


# The shared logic, without HTTP.

RULES = REGISTERS["hcpc"].rules


def reading(status: str, **fields) -> Reading:
    return Reading(status_text=status, name="Amelia Hart", **fields)


def verdict(status: str, **fields):
    return judge(
        reading(status, **fields), RULES, today=REFERENCE_NOW.date(), surname="Hart",
        given_names="Amelia",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Lapsed", False),
        ("Voluntary removal", False),
        ("Not renewed", False),
        ("Registration expired", False),
        ("Deregistered at own request", False),
        ("Suspended", True),
        ("Struck off", True),
        ("Striking-off order", True),
        ("Removed on fitness-to-practise grounds", True),
        ("Interim order", True),
        ("Lapsed; suspended", True),
        ("Lapsed – interim suspension order", True),
        ("Removed", None),
        ("Deregistered", None),
        ("Expired", None),
        ("Lapsed and removed", None),
    ],
)
def test_sanction_of_a_blocked_status(status, expected):
    assert sanction_of(status, RULES) is expected


def test_a_lapse_says_it_is_not_a_sanction():
    found = verdict("Lapsed")
    assert (found.outcome, found.sanction) == (Outcome.BLOCKED, False)
    assert found.detail == "The register shows the status “Lapsed”, which is not a sanction."


def test_an_uncertain_status_is_treated_as_a_sanction_and_says_so():
    found = verdict("Removed")
    assert (found.outcome, found.sanction) == (Outcome.BLOCKED, True)
    assert found.detail == f"The register shows the status “Removed”; {UNCERTAIN_SANCTION}."


def test_a_lapse_with_a_restriction_field_is_a_sanction_and_names_it():
    found = verdict("Lapsed", restrictions=(("Conditions", "Supervised practice only"),))
    assert (found.outcome, found.sanction) == (Outcome.BLOCKED, True)
    assert "Conditions: “Supervised practice only”" in found.detail


def test_an_ended_period_without_restrictions_is_a_lapse():
    from datetime import date

    found = verdict("Registered", period_from=date(2023, 6, 1), period_to=date(2025, 5, 31))
    assert (found.outcome, found.sanction) == (Outcome.BLOCKED, False)
    found = verdict(
        "Registered",
        period_from=date(2023, 6, 1),
        period_to=date(2025, 5, 31),
        restrictions=(("Caution", "Caution order, 3 years"),),
    )
    assert (found.outcome, found.sanction) == (Outcome.BLOCKED, True)


def test_a_restriction_field_that_names_no_sanction_is_treated_as_one():
    rules = REGISTERS["swe"].rules
    found = judge(
        reading("Registered", restrictions=(("Annotations", "Approved mental health worker"),)),
        rules, today=REFERENCE_NOW.date(), surname="Hart", given_names="Amelia",
    )  # fmt: skip
    assert (found.outcome, found.sanction) == (Outcome.RESTRICTED, True)
    assert UNCERTAIN_SANCTION in found.detail


def test_clear_name_mismatch_and_unreadable_are_never_a_sanction():
    assert verdict("Registered").sanction is False
    assert verdict("Registered (renewal pending)").sanction is False
    mismatch = judge(
        reading("Suspended"), RULES, today=REFERENCE_NOW.date(), surname="Jones",
        given_names="Amelia",
    )  # fmt: skip
    assert (mismatch.outcome, mismatch.sanction) == (Outcome.NAME_MISMATCH, False)


def test_rules_default_to_the_shared_wording():
    rules = StatusRules(
        clear="Registered", blocked=("lapsed",), restricted=(), restriction_labels={}
    )
    assert sanction_of("Lapsed", rules) is False
    assert sanction_of("Lapsed; suspended", rules) is True
