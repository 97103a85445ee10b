"""The shared transport to the public registers: timeouts, retries, politeness and a breaker."""

from __future__ import annotations

import codecs
import hashlib
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.util.retry import Retry

from registry.registers.breakers import GateClosed, RegisterGate, shared_gate

USER_AGENT = "assessor-register/0.1 (+register verification; contact: register-team)"
DEFAULT_TIMEOUT = (3.05, 5.0)
POOL_MAXSIZE = 10
MAX_BODY_BYTES = 2_000_000
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# REG-03 (docs/requirements.md), exactly. retry_after_max matters: urllib3's default would honour a
# Retry-After of hours and park a worker for that long.
RETRY = Retry(
    total=2,
    connect=2,
    read=1,
    status=2,
    backoff_factor=0.3,
    backoff_jitter=0.3,
    status_forcelist=(429, 502, 503, 504),
    allowed_methods=frozenset({"GET"}),
    respect_retry_after_header=True,
    retry_after_max=5,
    raise_on_status=False,
)

_local = threading.local()


class RegisterUnavailable(Exception):
    """The register could not be read; str() says why in plain English, for the evidence."""

    def __init__(
        self,
        reason: str,
        *,
        url: str | None = None,
        http_status: int | None = None,
        body_sha256: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.http_status = http_status
        self.body_sha256 = body_sha256


@dataclass(frozen=True)
class FetchedPage:
    """One answer from a register, read in full: status, final URL, headers and body."""

    status: int
    url: str
    headers: Mapping[str, str] = field(repr=False)
    content: bytes = field(repr=False)
    text: str = field(repr=False)
    sha256: str

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("" when absent)."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


class _SessionHolder:
    """Lives only in the thread-local; when the thread ends, its session's pools are closed."""


def register_session() -> requests.Session:
    """This thread's session for register lookups (requests does not promise thread safety)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=RETRY, pool_connections=4, pool_maxsize=POOL_MAXSIZE)
        # Both schemes: production is https, the simulator speaks plain http.
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = USER_AGENT
        _local.session = session
        _local.holder = _SessionHolder()
        # Closing when the thread ends returns sockets cleanly instead of leaving them to GC.
        weakref.finalize(_local.holder, adapter.close)
    return session


def close_register_session() -> None:
    """Close this thread's session, if it has one."""
    session = getattr(_local, "session", None)
    if session is not None:
        session.close()
        _local.session = None
        _local.holder = None


class RegisterClient:
    """Fetches register pages for one register through its gate; never follows redirects."""

    def __init__(
        self,
        code: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        gate: RegisterGate | None = None,
        max_concurrency: int | None = None,
        min_interval: float | None = None,
    ) -> None:
        self.code = code
        self.timeout = timeout
        self.session = session
        self.gate = gate or shared_gate(
            code, max_concurrency=max_concurrency, min_interval=min_interval
        )

    def get(self, url: str) -> FetchedPage:
        """GET a page as it is, redirects included. Raises RegisterUnavailable on any failure.

        Timeouts, connection errors, HTTP 429 and 5xx count against the breaker; while the
        breaker is open nothing is sent.
        """
        if self.gate.is_open():
            raise RegisterUnavailable(
                "The register is unavailable after repeated failures, so no request was sent.",
                url=url,
            )
        try:
            with self.gate.slot():
                page = self._fetch(url)
        except GateClosed as busy:
            raise RegisterUnavailable(str(busy), url=url) from busy
        except RegisterUnavailable:
            self.gate.record(failed=True)
            raise
        if page.status == 429 or page.status >= 500:
            self.gate.record(failed=True)
            raise RegisterUnavailable(
                f"The register answered HTTP {page.status} after retrying.",
                url=page.url,
                http_status=page.status,
                body_sha256=page.sha256,
            )
        self.gate.record(failed=False)
        return page

    def _fetch(self, url: str) -> FetchedPage:
        session = self.session or register_session()
        try:
            with session.get(
                url, timeout=self.timeout, allow_redirects=False, stream=True
            ) as response:
                content = _read_capped(response, url)
                status, final_url = response.status_code, response.url
                headers = CaseInsensitiveDict(response.headers)
        except requests.RequestException as error:
            raise RegisterUnavailable(_describe(error), url=url) from error
        return FetchedPage(
            status=status,
            url=final_url,
            headers=headers,
            content=content,
            text=content.decode(_charset(headers.get("Content-Type", "")), errors="replace"),
            sha256=hashlib.sha256(content).hexdigest(),
        )


def _read_capped(response: requests.Response, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RegisterUnavailable("The register page was far larger than expected.", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(error: requests.RequestException) -> str:
    """What went wrong, in plain English, for the evidence and the retry (issue 13).

    A failure that used up its retries reaches us as a ConnectionError wrapping
    MaxRetryError(reason=...), so look at the reason too. urllib3's NewConnectionError is a
    subclass of its ConnectTimeoutError, so a refused connection must be told apart before any
    timeout: it used to be recorded as "did not answer in time".
    """
    inner = error.args[0] if error.args else None
    reason = getattr(inner, "reason", inner)
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "The register's address could not be found (DNS lookup failed)."
    if isinstance(reason, urllib3.exceptions.NewConnectionError) or _in_chain(
        error, ConnectionRefusedError
    ):
        if _in_chain(reason, ConnectionRefusedError) or _in_chain(error, ConnectionRefusedError):
            return "The register refused the connection."
        return "The register could not be reached (no connection could be made)."
    if isinstance(error, requests.ConnectTimeout) or isinstance(
        reason, urllib3.exceptions.ConnectTimeoutError
    ):
        return "The register did not accept a connection in time."
    if isinstance(error, requests.Timeout) or isinstance(
        reason, urllib3.exceptions.TimeoutError | TimeoutError
    ):
        return "The register did not answer in time."
    return "The register could not be reached."


def _in_chain(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether `kind` is the error, its cause or context, or named in its message."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind) or (
            kind is ConnectionRefusedError and "Connection refused" in str(error)
        ):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            candidate = value.strip().strip('"')
            try:
                return codecs.lookup(candidate).name
            except LookupError:
                break
    return "utf-8"
