"""Downloading a page over HTTP: the only module that imports requests.

News sites are slow, rate-limited and sometimes broken, and a URL typed by an
editor may point anywhere. So every fetch is bounded: a timeout on each read
and on the whole download, a few retries with exponential backoff on 429, 5xx
and connection errors, a limit on redirects (followed here, hop by hop, so
that each hop is checked to be http or https) and a limit on size, enforced
while the body streams in. The session is passed in, so that tests drive a
real session against a local server and the caller decides its lifetime.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from ipaddress import ip_address
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from localize._version import __version__
from localize.errors import LocalizeError

USER_AGENT = (
    f"Mozilla/5.0 (compatible; localize/{__version__}; newsroom article import)"
)
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SCHEMES = ("http", "https")
_CHUNK_BYTES = 64 * 1024

# Callers hold and pass sessions without importing requests themselves.
Session = requests.Session


class FetchError(LocalizeError):
    """A URL could not be fetched; the message names the URL and the reason."""


@dataclass(frozen=True)
class FetchPolicy:
    """How patient and how trusting a fetch is.

    ``timeout`` bounds each connect and each read, and ``deadline`` the whole
    download (a server trickling bytes never trips a read timeout).
    ``backoff`` is the first wait before a retry, doubled for each further
    one and capped at ``max_wait``; a server's Retry-After is honoured up to
    the same cap.
    """

    timeout: float = 20.0
    deadline: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchedPage:
    """What a URL returned: the final URL after redirects, the body and its declared type."""

    url: str
    content: bytes
    media_type: str  # "text/html", lower case; "" when the server sent none
    charset: str | None  # from the Content-Type header, when declared


def new_session() -> Session:
    """A session that names the tool honestly while looking enough like a browser to be served."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT})
    return session


def check_url(url: str) -> None:
    """Refuse anything but an absolute http or https URL (``file://``, ``ftp://``, ...)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        scheme = f"{parts.scheme}://" if parts.scheme else "no scheme"
        raise FetchError(f"{url}: only http:// and https:// URLs can be imported, not {scheme}")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")


def fetch(
    url: str,
    *,
    session: Session,
    policy: FetchPolicy = FetchPolicy(),
    sleep: Callable[[float], None] = time.sleep,
) -> FetchedPage:
    """GET ``url`` within ``policy`` and return the page, or raise FetchError."""
    check_url(url)
    current = url
    for _hop in range(policy.max_redirects + 1):
        response = _get_with_retries(current, session=session, policy=policy, sleep=sleep)
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                target = urljoin(current, location)
                try:
                    check_url(target)
                except FetchError:
                    raise FetchError(f"{current}: redirected to a URL that cannot be fetched: {location}") from None
                current = target
                continue
            if response.status_code >= 400:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchError(f"{current}: HTTP {response.status_code}{reason}")
            content = _read_body(response, url=current, policy=policy)
            media_type, charset = _content_type(response.headers.get("Content-Type", ""))
            return FetchedPage(url=current, content=content, media_type=media_type, charset=charset)
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects")


def _get_with_retries(
    url: str, *, session: Session, policy: FetchPolicy, sleep: Callable[[float], None]
) -> requests.Response:
    """One GET, repeated with backoff while the failure looks passing.

    Not urllib3's Retry, as ``api_session`` uses: a page's Retry-After lengthens the
    backoff rather than replacing it, both capped at ``max_wait``; and the wait goes
    through ``sleep``, so that the tests check every wait without waiting.
    """
    for attempt in range(policy.retries + 1):
        last_attempt = attempt == policy.retries
        try:
            response = session.get(
                url, stream=True, allow_redirects=False, timeout=(policy.timeout, policy.timeout)
            )
        except requests.exceptions.ConnectionError as error:
            # A refused or dropped connection may be a restart; a read timeout
            # (not a ConnectionError) is a slow server, and retrying it only
            # multiplies the wait.
            if last_attempt:
                raise FetchError(f"{url}: cannot connect ({_reason(error)})") from None
            sleep(_wait(policy, attempt, retry_after=None))
            continue
        except requests.exceptions.Timeout:
            raise FetchError(f"{url}: no answer within {policy.timeout:g} seconds") from None
        except requests.exceptions.RequestException as error:
            raise FetchError(f"{url}: {_reason(error)}") from None
        if response.status_code in RETRY_STATUSES and not last_attempt:
            retry_after = response.headers.get("Retry-After")
            response.close()
            sleep(_wait(policy, attempt, retry_after=retry_after))
            continue
        return response
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _wait(policy: FetchPolicy, attempt: int, *, retry_after: str | None) -> float:
    wait = policy.backoff * (2**attempt)
    if retry_after is not None and retry_after.strip().isdigit():
        wait = max(wait, float(retry_after))
    return min(wait, policy.max_wait)


def _read_body(response: requests.Response, *, url: str, policy: FetchPolicy) -> bytes:
    """Stream the body, stopping as soon as it passes the size limit or the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"{url}: the page is larger than {_megabytes(policy.max_bytes)} ({declared} bytes)")
    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    try:
        # read1 returns what has arrived, up to a chunk, instead of waiting for
        # a whole chunk: a server trickling bytes meets the deadline promptly.
        while chunk := response.raw.read1(_CHUNK_BYTES, decode_content=True):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(f"{url}: the page is larger than {_megabytes(policy.max_bytes)}")
            if time.monotonic() - started > policy.deadline:
                raise FetchError(f"{url}: the download took longer than {policy.deadline:g} seconds")
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchError(f"{url}: no answer within {policy.timeout:g} seconds") from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError(f"{url}: the download broke off ({_reason(error)})") from None
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = header
    media_type = message.get_content_type() if header else ""
    charset = message.get_param("charset")
    return media_type.lower(), (charset.strip() if isinstance(charset, str) and charset.strip() else None)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _reason(error: Exception) -> str:
    """The innermost cause of a requests error, in a few words rather than a repr chain."""
    cause: BaseException = error
    while True:
        inner = cause.__context__ or cause.__cause__
        if inner is None or inner is cause:
            break
        cause = inner
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    text = str(cause) or type(cause).__name__
    # urllib3 wraps the interesting part: "...(<...>: [Errno -2] Name or service not known)"
    errno_message = re.search(r"\[Errno -?\d+\] ([^\])']+)", text)
    return errno_message.group(1).strip() if errno_message else text


# -- APIs (machine translation engines) ------------------------------------------------------

# 529 is DeepL's "too many requests, try later"; 408 a proxy's timeout.
API_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 529})


class _PatientRetry(urllib3.util.Retry):
    """urllib3's Retry, which honours Retry-After on 429 and 503, with the wait capped so
    that a server asking for an hour turns into a prompt failure rather than a hung run."""

    MAX_WAIT = 60.0

    def get_retry_after(self, response):  # type: ignore[override] - urllib3's signature
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, self.MAX_WAIT)


@dataclass(frozen=True)
class ApiPolicy:
    """How an API session retries: ``retries`` on 429, 5xx and refused connections,
    ``backoff`` seconds before the second retry, doubled after (urllib3's backoff factor;
    a server's Retry-After wins), ``connections`` kept open for concurrent requests."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    connections: int = 4


@dataclass(frozen=True)
class ApiResponse:
    """What an API answered: status, body and headers (looked up case-insensitively)."""

    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> object:
        """The body as JSON; ``None`` when it is not JSON."""
        import json

        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def api_session(policy: ApiPolicy = ApiPolicy()) -> Session:
    """A session whose POSTs are retried by urllib3 (Retry-After honoured), sized for ``connections``."""
    retry = _PatientRetry(
        total=policy.retries,
        connect=policy.retries,
        read=0,  # a read that timed out may have been processed (and billed): do not send it again
        status=policy.retries,
        other=0,
        allowed_methods=None,  # POST too: a 429 or 503 was not processed
        status_forcelist=API_RETRY_STATUSES,
        backoff_factor=policy.backoff,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is returned, so that its error body can be shown
    )
    adapter = requests.adapters.HTTPAdapter(
        max_retries=retry, pool_connections=1, pool_maxsize=max(1, policy.connections)
    )
    session = requests.Session()
    session.headers.update({"User-Agent": f"localize/{__version__} (pretranslate)"})
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def post_api(
    url: str, *, session: Session, timeout: float, json: object | None = None,
    data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
) -> ApiResponse:
    """POST ``json`` (or form ``data``) to ``url``; any status is returned, a network failure raises FetchError.

    The error names the URL and the reason, never the request's headers (where API keys travel).
    """
    check_url(url)
    try:
        response = session.post(url, json=json, data=data, headers=headers or {}, timeout=(timeout, timeout))
    except requests.exceptions.RetryError:
        raise FetchError(f"{url}: the server kept failing after retries") from None
    except requests.exceptions.ConnectionError as error:
        if isinstance(error, requests.exceptions.ReadTimeout) or "Read timed out" in str(error):
            raise FetchError(f"{url}: no answer within {timeout:g} seconds") from None
        raise FetchError(f"{url}: cannot connect ({_reason(error)})") from None
    except requests.exceptions.Timeout:
        raise FetchError(f"{url}: no answer within {timeout:g} seconds") from None
    except requests.exceptions.RequestException as error:
        raise FetchError(f"{url}: {_reason(error)}") from None
    with response:
        return ApiResponse(response.status_code, response.content, dict(response.headers.lower_items()))


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 in brackets or not) is this machine itself."""
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
