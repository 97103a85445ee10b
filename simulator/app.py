"""A local web app imitating the four public registers, for tests, benchmarks and the demo.

It serves the live registers' paths and page shapes from a seeded data set (simulator.data), and
has a small control API under /_simulator/ to change registrants while it runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from urllib.parse import quote

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from simulator import pages
from simulator.data import SEED_REGISTRANTS, Behaviour, Markup, SimRegistrant
from simulator.store import NUMBERED, RegistrantStore, describe


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status=status, content_type="text/html; charset=utf-8")


def _json(data: object, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _optional_date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("dates are ISO strings or null")
    return date.fromisoformat(value)


class SimulatorApp:
    """The simulator as a WSGI app. Thread safe; each instance has its own copy of the data."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        data: Iterable[SimRegistrant] | None = None,
        stall_seconds: float = 30.0,
        retry_after: int = 1,
        off_host_base: str = "https://register-elsewhere.example",
    ) -> None:
        self.store = RegistrantStore(SEED_REGISTRANTS if data is None else data, latency)
        self.stall_seconds = stall_seconds
        self.retry_after = retry_after
        self.off_host_base = off_host_base
        # Set only by close(): stalls and latency wait on it, so shutting down releases them.
        self._closing = threading.Event()
        self.url_map = _url_map()
        self._views: dict[str, Callable[..., Response]] = {
            "hcpc": self._hcpc,
            "swe": lambda request, number: self._serve("swe", number, pages.swe_entry),
            "gmc_doctors": self._gmc_doctors,
            "gmc": lambda request, number: self._serve("gmc", number, pages.gmc_entry),
            "nmc": lambda request, number: self._serve("nmc", number, pages.nmc_entry),
            "set": self._control_set,
            "reset": lambda request: self._control_reset(),
            "latency": self._control_latency,
            "markup": self._control_markup,
            "requests": lambda request: _json(self.request_counts()),
            "health": lambda request: _json({"status": "ok"}),
        }

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer one WSGI request."""
        request = Request(environ)
        try:
            endpoint, values = self.url_map.bind_to_environ(environ).match()
            response = self._views[endpoint](request, **values)
        except HTTPException as error:
            return error(environ, start_response)
        return response(environ, start_response)

    # Python control API, for tests and demos in the same process.

    def reset(self) -> None:
        """Restore the seeded data, the initial latency and zero request counts."""
        self.store.reset()

    def set_latency(self, seconds: float) -> None:
        """Delay every register answer by this many seconds (for benchmarks)."""
        self.store.set_latency(seconds)

    def set_markup(self, markup: Markup | str | None) -> None:
        """Mark up every entry this way (None: each register's own) until reset, except a
        registrant given its own markup through set_status. Raises ValueError if unknown."""
        self.store.set_markup(Markup(markup) if markup is not None else None)

    def request_counts(self) -> dict[str, int]:
        """Register requests served per body since the last reset (retries and redirects count)."""
        return self.store.request_counts()

    def registrant(self, body: str, number: str) -> SimRegistrant | None:
        """The registrant filed under this number now, if any."""
        return self.store.find(body, number)

    def set_status(
        self, body: str, number: str, status: str | None = None, **changes: Any
    ) -> SimRegistrant:
        """Change or add a registrant: status, and period_from, period_to (date or None),
        conditions (text; "" removes), name, behaviour, markup (a Markup, or None for the
        simulator's). Raises ValueError for unknown fields."""
        if changes.get("markup") is not None:
            changes["markup"] = Markup(changes["markup"])
        return self.store.set_status(body, number, status, **changes)

    def close(self) -> None:
        """Release every stalled or delayed answer now and from now on (call before shutdown)."""
        self._closing.set()

    # The registers.

    def _hcpc(self, request: Request) -> Response:
        query = request.args.get("query", "")
        profession = request.args.get("profession", "")

        def render(registrant: SimRegistrant) -> str:
            letters = NUMBERED.fullmatch(registrant.number)
            # The HCPC finds nothing unless the profession matches the number's own letters.
            if letters is None or profession.upper() != letters.group(1):
                return pages.not_found("hcpc", query)
            return pages.hcpc_entry(registrant)

        return self._serve("hcpc", query, render)

    def _gmc_doctors(self, request: Request, number: str) -> Response:
        def redirect(registrant: SimRegistrant) -> Response:
            path = f"/registrants/{quote(number, safe='')}"
            if registrant.behaviour is Behaviour.REDIRECT_OFF_HOST:
                return Response(status=302, headers={"Location": self.off_host_base + path})
            return Response(status=302, headers={"Location": path})

        # The redirect is part of one lookup: only the entry page carries the lookup's latency.
        return self._serve("gmc", number, redirect, not_found_redirects=True, delayed=False)

    def _serve(
        self,
        body: str,
        number: str,
        render: Callable[[SimRegistrant], str | Response],
        *,
        not_found_redirects: bool = False,
        delayed: bool = True,
    ) -> Response:
        registrant, latency = self.store.serve(body, number)
        if latency and delayed:
            self._closing.wait(latency)
        if registrant is None:
            if not_found_redirects:
                return Response(
                    status=302, headers={"Location": f"/registrants/{quote(number, safe='')}"}
                )
            return _html(pages.not_found(body, number))
        failure = self._transport_behaviour(registrant)
        if failure is not None:
            return failure
        special = _PAGE_BEHAVIOURS.get(registrant.behaviour)
        rendered = special() if special is not None else render(registrant)
        return rendered if isinstance(rendered, Response) else _html(rendered)

    def _transport_behaviour(self, registrant: SimRegistrant) -> Response | None:
        if registrant.behaviour is Behaviour.STALL:
            self._closing.wait(self.stall_seconds)
        elif registrant.behaviour is Behaviour.RATE_LIMITED:
            return Response(
                "Too many requests", status=429, headers={"Retry-After": str(self.retry_after)}
            )
        elif registrant.behaviour is Behaviour.UNAVAILABLE:
            return Response("Service unavailable", status=503)
        return None

    # The control API.

    def _control_set(self, request: Request, body: str, number: str) -> Response:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return _json({"error": "send a JSON object"}, 400)
        changes = dict(payload)
        status = changes.pop("status", None)
        if any(not isinstance(changes.get(k, ""), str | None) for k in ("name", "conditions")):
            return _json({"error": "name and conditions are text"}, 400)
        if not isinstance(status, str | None):
            return _json({"error": "status is text"}, 400)
        try:
            for field in ("period_from", "period_to"):
                if field in changes:
                    changes[field] = _optional_date(changes[field])
            if "behaviour" in changes:
                changes["behaviour"] = Behaviour(changes["behaviour"])
            updated = self.set_status(body, number, status, **changes)
        except ValueError as error:
            return _json({"error": str(error)}, 400)
        return _json(describe(updated))

    def _control_markup(self, request: Request) -> Response:
        payload = request.get_json(silent=True)
        markup = payload.get("markup", "") if isinstance(payload, dict) else ""
        try:
            if not isinstance(markup, str | None):
                raise ValueError
            self.set_markup(markup)
        except ValueError:
            names = ", ".join(m.value for m in Markup)
            return _json({"error": f'send {{"markup": one of {names}, or null}}'}, 400)
        return _json({"markup": markup})

    def _control_reset(self) -> Response:
        self.reset()
        return _json({"reset": True})

    def _control_latency(self, request: Request) -> Response:
        payload = request.get_json(silent=True)
        seconds = payload.get("seconds") if isinstance(payload, dict) else None
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            return _json({"error": 'send {"seconds": a number of seconds, 0 or more}'}, 400)
        self.set_latency(float(seconds))
        return _json({"seconds": float(seconds)})


def _url_map() -> Map:
    return Map(
        [
            Rule(
                "/check-the-register/professional-registration-detail/",
                endpoint="hcpc",
                methods=["GET"],
            ),
            Rule(
                "/umbraco/surface/searchregister/socialworker/<number>",
                endpoint="swe",
                methods=["GET"],
            ),
            Rule("/doctors/<number>", endpoint="gmc_doctors", methods=["GET"]),
            Rule("/registrants/<number>", endpoint="gmc", methods=["GET"]),
            Rule("/registration/search-the-register/<number>", endpoint="nmc", methods=["GET"]),
            Rule("/_simulator/registrants/<body>/<number>", endpoint="set", methods=["POST"]),
            Rule("/_simulator/reset", endpoint="reset", methods=["POST"]),
            Rule("/_simulator/latency", endpoint="latency", methods=["POST"]),
            Rule("/_simulator/markup", endpoint="markup", methods=["POST"]),
            Rule("/_simulator/requests", endpoint="requests", methods=["GET"]),
            Rule("/_simulator/health", endpoint="health", methods=["GET"]),
        ]
    )


_PAGE_BEHAVIOURS: dict[Behaviour, Callable[[], str]] = {
    Behaviour.CHALLENGE: pages.challenge_page,
    Behaviour.CAPTCHA: pages.captcha_page,
    Behaviour.CONSENT: pages.consent_page,
}


def make_simulator_app(
    *, latency: float = 0.0, data: Iterable[SimRegistrant] | None = None, **options: Any
) -> SimulatorApp:
    """A new simulator with its own copy of the data (the seed unless data is given).

    options: stall_seconds, retry_after, off_host_base.
    """
    return SimulatorApp(latency=latency, data=data, **options)


class _QuietRequestHandler(WSGIRequestHandler):
    def log(self, kind: str, message: str, *args: Any) -> None:
        """Keep test output clean: no access log."""


def start_in_thread(
    app: SimulatorApp, host: str = "127.0.0.1", port: int = 0
) -> tuple[BaseWSGIServer, str]:
    """Serve app on a daemon thread; returns the server (call shutdown()) and its base URL."""
    server = make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="register-simulator", daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_port}"


def serve(host: str = "127.0.0.1", port: int = 5001, latency: float = 0.0) -> None:
    """Serve a fresh simulator until interrupted."""
    app = make_simulator_app(latency=latency)
    server = make_server(host, port, app, threaded=True)
    try:
        server.serve_forever()
    finally:
        app.close()
        server.server_close()


if __name__ == "__main__":
    serve()
