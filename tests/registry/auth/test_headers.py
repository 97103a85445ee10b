"""Security headers on every response (HDR-01..07).

The main test walks every GET rule of the URL map, a static file and the error pages,
anonymously and as each role, and checks each header's exact value on every response.
"""

from __future__ import annotations

import pytest
from auth_helpers import ROLES, Samples, parse_html, routes, text_of, url_for_rule

from registry.models import Role

CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
HSTS = "max-age=31536000; includeSubDomains"
EXACT = {
    "X-Content-Type-Options": "nosniff",  # HDR-03
    "Referrer-Policy": "strict-origin-when-cross-origin",  # HDR-04
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",  # HDR-06
}


def parse_csp(value: str) -> dict[str, set[str]]:
    """A Content-Security-Policy header as {directive: sources}."""
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def header_problems(response, *, signed_in: bool) -> list[str]:
    """Every way the response's security headers differ from HDR-02..07."""
    headers = response.headers
    problems = [
        f"{name}: {headers.get(name)!r}"
        for name, value in EXACT.items()
        if headers.get(name) != value
    ]
    csp = headers.get("Content-Security-Policy", "")
    is_download = "attachment" in headers.get("Content-Disposition", "")
    if not (is_download and parse_csp(csp).keys() >= {"sandbox"}) and parse_csp(csp) != CSP:
        problems.append(f"Content-Security-Policy: {csp!r}")  # HDR-02
    if response.mimetype == "text/html" and headers.get("Cross-Origin-Opener-Policy") != (
        "same-origin"
    ):
        problems.append("Cross-Origin-Opener-Policy missing")  # HDR-05
    if signed_in and headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control: {headers.get('Cache-Control')!r}")  # HDR-07
    if response.mimetype == "text/html":
        inline = [s for s in parse_html(text_of(response)).scripts if not s.get("src")]
        if inline:
            problems.append(f"inline script: {inline}")  # HDR-02
    return problems


def every_response(app, client, make_user, monkeypatch) -> dict[str, object]:
    """Each GET rule, a static file, and the 400, 403, 404, 405 and 500 pages."""
    samples = Samples(make_user)
    responses = {}
    for rule in routes(app):
        if "GET" in rule.methods:
            url = url_for_rule(rule, samples)
            responses[url] = client.get(url)
    responses["static file"] = static = client.get("/static/js/app.mjs")
    static.close()
    responses["404"] = client.get("/no-such-page")
    responses["405"] = client.get("/sign-out")
    client.send_csrf = False
    responses["400"] = client.post("/sign-out")
    client.send_csrf = True

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "pages.privacy", broken)
    responses["500"] = client.get("/privacy")
    return responses


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_hdr02_to_hdr07_exact_headers_on_every_response(
    who,
    app,
    make_user,
    logged_in,
    monkeypatch,
) -> None:
    client = app.test_client() if who == "anonymous" else logged_in(who)
    responses = every_response(app, client, make_user, monkeypatch)
    statuses = {response.status_code for response in responses.values()}
    assert {200, 400, 404, 405, 500} <= statuses
    if who != "anonymous":
        assert 403 in statuses or who == Role.REGISTER_MANAGER
    problems = {
        url: problems
        for url, response in responses.items()
        if (problems := header_problems(response, signed_in=who != "anonymous"))
    }
    assert problems == {}


@pytest.mark.app_settings(SIGN_IN_LIMIT_PER_ACCOUNT="1 per 5 minutes")
def test_hdr_headers_on_the_429_page(client) -> None:
    for _ in range(2):
        response = client.post("/sign-in", data={"email": "a@example.test", "password": "x"})
    assert response.status_code == 429
    assert header_problems(response, signed_in=False) == []


def test_hdr01_no_hsts_over_plain_http_in_tests(client) -> None:
    response = client.get("/sign-in", base_url="http://localhost")
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.app_settings(production=True)
@pytest.mark.parametrize("who", ["anonymous", Role.REGISTER_MANAGER])
def test_hdr01_hsts_on_every_response_in_production(
    who,
    app,
    make_user,
    logged_in,
    monkeypatch,
) -> None:
    client = app.test_client() if who == "anonymous" else logged_in(who)
    responses = every_response(app, client, make_user, monkeypatch)
    wrong = {
        url: response.headers.get("Strict-Transport-Security")
        for url, response in responses.items()
        if response.headers.get("Strict-Transport-Security") != HSTS
    }
    assert wrong == {}


@pytest.mark.app_settings(production=True, FORCE_HSTS=False)
def test_hdr01_hsts_when_the_proxy_says_https(client) -> None:
    response = client.get(
        "/sign-in", base_url="http://localhost", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.app_settings(production=True, FORCE_HSTS=False)
def test_hdr01_no_hsts_on_plain_http_without_force(client) -> None:
    response = client.get("/sign-in", base_url="http://localhost")
    assert "Strict-Transport-Security" not in response.headers
