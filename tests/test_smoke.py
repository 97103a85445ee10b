"""The app starts, serves its public pages, and keeps each test's rows to itself."""

import pytest
from sqlalchemy import func, select

from registry import create_app
from registry.models import Role, User
from registry.policy import PolicyError
from support import config_for


def test_sign_in_page_is_served(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)


def test_health_reports_ok(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_a_row_made_in_one_test_is_gone_in_the_next_part_one(db, make_user):
    make_user(email="isolation@example.test")
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_row_made_in_one_test_is_gone_in_the_next_part_two(db):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_eligibility_policy_page_shows_the_version_to_every_signed_in_role(logged_in):
    for role in Role:
        page = logged_in(role).get("/eligibility-policy").get_data(as_text=True)
        assert "What makes an assessor eligible" in page
        assert "Policy version 2026.2" in page


def test_a_malformed_policy_stops_the_app_with_the_file_and_key(tmp_path):
    broken = tmp_path / "eligibility.toml"
    broken.write_text('version = ""\n', encoding="utf-8")
    config = config_for(POLICY_PATH=str(broken))
    with pytest.raises(PolicyError, match=r"eligibility\.toml"):
        create_app(config)
