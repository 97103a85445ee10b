"""The app starts, serves its public pages, and keeps each test's rows to itself."""

from sqlalchemy import func, select

from registry.models import User


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
