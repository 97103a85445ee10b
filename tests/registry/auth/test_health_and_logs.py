"""/health, /ready and /metrics, and JSON logs with a request id (issue 13: health, logs).

Health endpoints are public (in the deny-by-default allow-list), carry no personal data, and
/metrics answers only loopback or the METRICS_TOKEN. Every log line of a request carries the
request's id, which is echoed in the X-Request-Id header; refusals are logged once each, by route
and status, never with an email address or a search term.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
from auth_helpers import REDIS_URL

from registry.health import add_metric, add_readiness_check
from registry.models import Role

UNREACHABLE = "redis://127.0.0.1:1/0"
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}
TOKEN = "m" * 40


@pytest.fixture
def log_lines(app, monkeypatch):
    """The JSON lines the app's log handler writes, parsed."""
    (handler,) = logging.getLogger("registry").handlers
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.raw = stream  # type: ignore[attr-defined]
    return lines


# --------------------------------------------------------------------------- /health, /ready


def test_health_answers_without_touching_anything(client) -> None:
    response = client.get("/health")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_ready_with_memory_limits_checks_the_database(client) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "not used"},
    }


@pytest.mark.app_settings(RATELIMIT_STORAGE_URI=REDIS_URL)
def test_ready_with_redis_reachable(client) -> None:
    assert client.get("/ready").get_json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.app_settings(RATELIMIT_STORAGE_URI=UNREACHABLE)
def test_ready_names_redis_when_it_cannot_be_reached(client, log_lines) -> None:
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
        "unavailable": ["redis"],
    }
    (line,) = [entry for entry in log_lines() if entry["message"] == "ready.unavailable"]
    assert line["unavailable"] == ["redis"]


def test_ready_asks_a_registered_dependency(app, client) -> None:
    add_readiness_check(app, "queue", lambda: False)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.get_json()["unavailable"] == ["queue"]


def test_health_endpoints_need_no_session_for_anyone(logged_in) -> None:
    client = logged_in(Role.AUDITOR)
    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 200


# --------------------------------------------------------------------------- /metrics


def _metrics(text: str) -> dict[str, str]:
    return dict(
        line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#")
    )


def test_metrics_from_loopback(client) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    values = _metrics(response.get_data(as_text=True))
    assert values == {
        'registry_dependency_up{dependency="database"}': "1",
        "registry_failed_jobs": "0",
        "registry_unreadable_registers": "0",
        "registry_ratelimit_fallback_active": "0",
        "registry_ratelimit_fallbacks_total": values["registry_ratelimit_fallbacks_total"],
        "registry_ratelimit_recoveries_total": values["registry_ratelimit_recoveries_total"],
    }


def test_metrics_count_registers_whose_canary_was_unreadable(client, db) -> None:
    from registry.audit import record_audit
    from registry.clock import utc_now

    for body, outcome in (("hcpc", "unreadable"), ("swe", "clear"), ("gmc", "unreadable")):
        record_audit(
            None,
            "registers.canary",
            at=utc_now(),
            object_type=body,
            outcome=outcome,
            security_only=True,
        )
    db.session.commit()
    values = _metrics(client.get("/metrics").get_data(as_text=True))
    assert values["registry_unreadable_registers"] == "2"


def test_metrics_hook_for_failed_jobs(app, client) -> None:
    add_metric(app, "registry_failed_jobs", "Jobs that failed for good", lambda: 3)
    assert _metrics(client.get("/metrics").get_data(as_text=True))["registry_failed_jobs"] == "3"


def test_metrics_refused_from_outside_without_the_token(client) -> None:
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404


@pytest.mark.app_settings(METRICS_TOKEN=TOKEN)
def test_metrics_from_outside_with_the_token(client) -> None:
    wrong = {"Authorization": "Bearer " + "x" * 40}
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=wrong).status_code == 404
    assert client.get("/metrics", environ_base=OUTSIDE, headers=right).status_code == 200


# --------------------------------------------------------------------------- request ids and logs


def test_each_request_gets_an_id_echoed_in_the_response(client, log_lines) -> None:
    first = client.get("/sign-in").headers["X-Request-Id"]
    second = client.get("/sign-in").headers["X-Request-Id"]
    assert first != second
    assert [entry["request_id"] for entry in log_lines() if entry["message"] == "request"] == [
        first,
        second,
    ]


def test_a_sane_inbound_request_id_is_kept(client) -> None:
    sent = "lb-2f1c9a7e-0001"
    assert client.get("/health", headers={"X-Request-Id": sent}).headers["X-Request-Id"] == sent


@pytest.mark.parametrize(
    "sent", ["short", "x" * 65, "has space in it", 'quote"d-request-id', "line\\nbreak-0000"]
)
def test_an_odd_inbound_request_id_is_replaced(client, sent: str) -> None:
    echoed = client.get("/health", headers={"X-Request-Id": sent}).headers["X-Request-Id"]
    assert echoed != sent
    assert len(echoed) == 16


def test_every_line_of_a_request_carries_its_id(client, make_user, log_lines) -> None:
    made = make_user()
    for _ in range(11):
        response = client.post("/sign-in", data={"email": made.email, "password": "wrong"})
    assert response.status_code == 429
    request_id = response.headers["X-Request-Id"]
    mine = [entry for entry in log_lines() if entry.get("request_id") == request_id]
    assert [entry["message"] for entry in mine] == ["request.throttled", "request"]
    assert all("request_id" in entry for entry in log_lines())


def test_refusals_are_logged_once_without_personal_data(
    client, logged_in, make_user, log_lines
) -> None:
    made = make_user(email="private.person@example.org", full_name="Private Person")
    officer = logged_in(Role.OFFICER)
    officer.get("/users")  # 403
    officer.get("/no-such-page")  # 404
    client.send_csrf = False
    client.post("/sign-in", data={"email": made.email, "password": "x"})  # CSRF refusal
    client.send_csrf = True
    for _ in range(11):
        client.post("/sign-in", data={"email": made.email, "password": "wrong"})
    refusals = [
        (entry["message"], entry.get("status"))
        for entry in log_lines()
        if entry["message"] != "request"
    ]
    assert refusals == [
        ("request.refused", 403),
        ("request.refused", 404),
        ("csrf.refused", 400),
        ("request.throttled", 429),
    ]
    raw = log_lines.raw.getvalue()
    for personal in ("private.person", "Private Person", "example.org"):
        assert personal not in raw


def test_request_lines_name_the_route_not_the_query(logged_in, log_lines) -> None:
    client = logged_in(Role.OFFICER)
    client.get("/commissions?q=Private+Person")
    (line,) = [entry for entry in log_lines() if entry["message"] == "request"]
    assert line["route"] == "/commissions"
    assert "Private" not in log_lines.raw.getvalue()
