"""The Users page: search by name or email, filter by role and organisation, pages."""

from __future__ import annotations

import pytest

from registry.models import Role
from registry.users import listing


@pytest.fixture
def people(db, make_user, make_organisation):
    north = make_organisation("Northshire Council")
    east = make_organisation("Eastborough Council")
    make_user(
        Role.OFFICER, full_name="Olive Officer", email="olive@north.example", organisation=north
    )
    make_user(Role.OFFICER, full_name="Eric East", email="eric@east.example", organisation=east)
    make_user(
        Role.PANEL_MEMBER, full_name="Pat Panel", email="pat@north.example", organisation=north
    )
    make_user(Role.ASSESSOR, full_name="Alma Assessor", email="alma_100%@example.org")
    return {"north": north, "east": east}


def _names(filters, **kwargs):
    return [u.full_name for u in listing.find_users(filters, **kwargs).users]


def test_search_by_name_or_email_ignores_case(people):
    assert _names(listing.UserFilters(text="OLIVE")) == ["Olive Officer"]
    assert _names(listing.UserFilters(text="north.example")) == ["Olive Officer", "Pat Panel"]
    # The wildcard characters of LIKE are matched as themselves.
    assert _names(listing.UserFilters(text="_100%")) == ["Alma Assessor"]
    assert _names(listing.UserFilters(text="%")) == ["Alma Assessor"]


def test_filter_by_role_and_organisation(people):
    assert _names(listing.UserFilters(role=Role.OFFICER)) == ["Eric East", "Olive Officer"]
    north = listing.UserFilters(organisation=people["north"].id)
    assert _names(north) == ["Olive Officer", "Pat Panel"]
    none = listing.UserFilters(organisation=listing.NO_ORGANISATION)
    assert "Alma Assessor" in _names(none)
    assert "Olive Officer" not in _names(none)


def test_pages(people):
    first = listing.find_users(listing.UserFilters(text="example"), per_page=2)
    assert (first.total, first.pages, len(first.users)) == (4, 2, 2)
    last = listing.find_users(listing.UserFilters(text="example"), per_page=2, page=9)
    assert last.page == 2


def test_the_query_string_is_read_safely():
    parsed = listing.parse_filters({"q": "x" * 500, "role": "nonsense", "organisation": "1; drop"})
    assert (len(parsed.text), parsed.role, parsed.organisation) == (200, None, None)
    assert listing.parse_filters({"role": "auditor", "organisation": "7"}).role is Role.AUDITOR


def test_the_users_page_filters_from_the_url(people, logged_in):
    client = logged_in(Role.REGISTER_MANAGER)
    page = client.get(f"/users?role=officer&organisation={people['north'].id}").get_data(
        as_text=True
    )
    assert "Olive Officer" in page
    assert "Eric East" not in page
    assert "Pat Panel" not in page
    assert '<option value="officer" selected>' in page
    page = client.get("/users?q=nobody-at-all").get_data(as_text=True)
    assert "No account matches" in page


def test_the_users_page_links_the_next_page_with_the_filters(people, logged_in, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    client = logged_in(Role.REGISTER_MANAGER)
    page = client.get("/users?role=officer").get_data(as_text=True)
    assert 'href="/users?page=2&amp;role=officer"' in page
    assert "Eric East" in page
    assert "Olive Officer" not in page
    assert "Olive Officer" in client.get("/users?role=officer&page=2").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR, Role.ASSESSOR])
def test_only_managers_list_users(logged_in, role):
    assert logged_in(role).get("/users?q=a").status_code == 403
