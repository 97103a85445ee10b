"""Production refuses settings that only make sense in development (CFG-01), and error logs
carry no SQL parameters (LOG-03)."""

from __future__ import annotations

import io
import json
import logging

import pytest
import sqlalchemy as sa
from test_config import VALID

from config import ConfigError, ProductionConfig
from registry.extensions import db
from registry.models import Role, User
from support import config_for


def _production(**changes: object) -> type[ProductionConfig]:
    return config_for(base=ProductionConfig, **{**VALID, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"MAIL_BACKEND": "outbox"}, id="outbox email"),
        pytest.param({"EXTERNAL_BASE_URL": None}, id="no external base URL"),
        pytest.param({"EXTERNAL_BASE_URL": "http://register.example.org"}, id="http base URL"),
        pytest.param({"REGISTER_HCPC_URL": "http://www.hcpc-uk.org"}, id="http HCPC"),
        pytest.param({"REGISTER_SWE_URL": "http://127.0.0.1:5001"}, id="http SWE"),
        pytest.param({"REGISTER_GMC_URL": "http://www.gmc-uk.org"}, id="http GMC"),
        pytest.param({"REGISTER_NMC_URL": "http://www.nmc.org.uk"}, id="http NMC"),
    ],
)
def test_cfg01_production_refuses_development_settings(changes: dict) -> None:
    with pytest.raises(ConfigError):
        _production(**changes).validate()


def test_log03_production_engine_hides_sql_parameters() -> None:
    assert ProductionConfig.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True


@pytest.fixture
def log_stream(app, monkeypatch) -> io.StringIO:
    """What the app's JSON log handler writes."""
    (handler,) = logging.getLogger("registry").handlers
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    return stream


def test_log03_database_error_does_not_log_an_email_parameter(
    app, logged_in, make_user, log_stream
) -> None:
    taken = make_user(Role.OFFICER, email="taken.address@example.org")

    def duplicate() -> str:
        db.session.add(
            User(
                email="taken.address@example.org",
                full_name="Copy",
                role=Role.OFFICER,
                created_at=taken.user.created_at,
                password_hash="x",
            )
        )
        db.session.flush()
        return "unreachable"

    def search() -> str:
        db.session.execute(
            sa.text("SELECT * FROM no_such_table WHERE term = :term"),
            {"term": "secret-search-term@example.org"},
        )
        return "unreachable"

    app.add_url_rule("/duplicate", "duplicate", duplicate)
    app.add_url_rule("/bad-search", "bad_search", search)
    client = logged_in(Role.OFFICER)
    assert client.get("/duplicate").status_code == 500
    assert client.get("/bad-search").status_code == 500
    lines = log_stream.getvalue().splitlines()
    failures = [json.loads(line) for line in lines if '"request.failed"' in line]
    assert len(failures) == 2
    assert all("exception" in entry for entry in failures)
    assert "taken.address@example.org" not in log_stream.getvalue()
    assert "secret-search-term" not in log_stream.getvalue()
