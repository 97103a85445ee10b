"""flask registers lookup | verify-due | canary, against the simulator over real HTTP."""

import json

import pytest
from sqlalchemy import select

from registry.models import AuditEvent


def test_lookup_prints_one_json_object_and_exits_0_when_clear(runner):
    result = runner.invoke(args=["registers", "lookup", "hcpc", "PYL043541", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["outcome"] == "clear"
    assert data["status_text"] == "Registered"
    expected = {
        "name",
        "period_from",
        "period_to",
        "source_url",
        "http_status",
        "body_sha256",
        "checked_at",
    }
    assert expected <= data.keys()


def test_lookup_exits_1_for_any_other_outcome(runner):
    result = runner.invoke(args=["registers", "lookup", "gmc", "7020004"])
    assert result.exit_code == 1
    assert "blocked" in result.output


def test_lookup_compares_the_surname_when_given(runner):
    result = runner.invoke(
        args=["registers", "lookup", "swe", "SW123", "--surname", "Somebody", "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["outcome"] == "name_mismatch"


def test_lookup_exits_2_for_a_bad_number_without_any_request(runner, register_simulator):
    result = runner.invoke(args=["registers", "lookup", "hcpc", "../admin"])
    assert result.exit_code == 2
    assert "correct format" in result.output
    assert sum(register_simulator.app.request_counts().values()) == 0


def test_verify_due_summarises_and_exits_1_when_a_register_was_unreadable(
    runner, make_registration
):
    make_registration("hcpc", "PYL043541")
    make_registration("hcpc", "PYL20009")  # the register page has lost its Status row
    result = runner.invoke(args=["registers", "verify-due"])
    assert result.exit_code == 1
    assert "Checked 2 registrations" in result.output
    assert "clear 1" in result.output
    assert "unreadable 1" in result.output


def test_verify_due_exits_0_when_every_register_was_read(runner, make_registration):
    make_registration("swe", "SW123")
    result = runner.invoke(args=["registers", "verify-due", "--limit", "5"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_canary_passes_while_every_register_can_be_read(runner):
    result = runner.invoke(args=["registers", "canary"])
    assert result.exit_code == 0, result.output


def test_canary_fails_when_a_register_page_changes(runner, register_simulator, db):
    register_simulator.app.set_status("hcpc", "PYL000100", "Registrant (new layout)")
    result = runner.invoke(args=["registers", "canary"])
    assert result.exit_code == 1
    assert "hcpc" in result.output
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "registers.canary", AuditEvent.object_type == "hcpc"
        )
    )
    assert event.outcome == "unreadable"


def test_simulate_is_refused_outside_development_and_tests(make_app):
    from config import TestConfig

    app = make_app(TESTING=False)
    assert not TestConfig.DEMO_DATA_ALLOWED
    result = app.test_cli_runner().invoke(args=["registers", "simulate", "--port", "0"])
    assert result.exit_code != 0
    # Not attached at all outside development and tests; refused if attached by another app.
    assert "No such command" in result.output or "development and tests only" in result.output
