"""HTTP fetching, politely and defensively, with the standard library's ``http.client``.

One :meth:`Fetcher.fetch` call is one logical fetch: redirects are followed by hand (each hop checked by
the address policy *before* connecting, and connected to the checked address), 429 and 5xx answers are
retried with backoff honouring ``Retry-After`` up to a bound, conditional headers (ETag, Last-Modified)
are sent when known, the content type is checked before the body is read, and the body is read in chunks
so a page larger than the limit is abandoned early. The result is a :class:`FetchResult` whose
``outcome`` is ``ok``, ``not_modified``, ``skipped`` (a policy said no; the reason says which) or
``failed`` (the server or network did).
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from index.crawl.netsafety import AddressPolicy, UnsafeURLError
from index.crawl.politeness import HostThrottle
from index.settings import as_settings

LOGGER = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
PAGE_TYPES = HTML_TYPES | TEXT_TYPES
XML_TYPES = frozenset({
    "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/gzip", "application/x-gzip", "application/octet-stream", "text/plain",
})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_SIZE = 64 * 1024


def user_agent(settings: Mapping[str, Any]) -> str:
    """``USER_AGENT`` with the ``CONTACT`` setting added inside its comment, so site owners can write."""
    settings = as_settings(settings)
    agent = settings.user_agent or "migsearch/0.1"
    contact = settings.contact.strip()
    if not contact:
        return agent
    if agent.endswith(")"):
        return f"{agent[:-1]}; {contact})"
    return f"{agent} ({contact})"


@dataclass(frozen=True)
class FetchOptions:
    """Limits and identity for fetching; ``from_settings`` fills them from the settings dict."""

    user_agent: str = "migsearch/0.1"
    timeout: float = 20.0  # seconds for connecting and for each read
    total_timeout: float = 60.0  # seconds for a whole response body
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 2.0  # first retry waits this long, then twice as long...
    max_retry_wait: float = 60.0  # a longer Retry-After gives up instead of waiting

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **overrides: object) -> FetchOptions:
        """Options from ``USER_AGENT``, ``CONTACT`` and ``MAX_DOCUMENT_BYTES``, then ``overrides``."""
        settings = as_settings(settings)
        options = cls(user_agent=user_agent(settings), max_bytes=settings.max_document_bytes or cls.max_bytes)
        return replace(options, **overrides)  # type: ignore[arg-type]


@dataclass
class FetchResult:
    """The outcome of one fetch (after redirects and retries)."""

    url: str
    final_url: str
    outcome: str  # "ok" | "not_modified" | "skipped" | "failed"
    status: int | None = None
    reason: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str = ""
    redirects: list[str] = field(default_factory=list)
    attempts: int = 0

    @property
    def etag(self) -> str | None:
        """The response's ETag header, if any."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The response's Last-Modified header, if any."""
        return self.headers.get("last-modified")


class _Abandon(Exception):
    """Stop reading a response: ``outcome`` and ``reason`` say why."""

    def __init__(self, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, with the host name in the Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The TLS twin of :class:`_PinnedHTTPConnection`; certificates are verified against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC).timestamp()
    return max(0.0, when.timestamp() - current)


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip (or zlib) data, refusing output larger than ``max_bytes`` (zip bombs)."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 32)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise ValueError(f"bad compressed data: {error}") from error
    if len(out) > max_bytes:
        raise ValueError(f"decompressed size exceeds {max_bytes} bytes")
    return out


def _media_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _sniff_type(head: bytes) -> str | None:
    """A media type guessed from the first bytes when the server sent none; None for binary data."""
    if head.startswith(b"\x1f\x8b"):
        return "application/gzip"
    if b"\x00" in head[:1024]:
        return None
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "text/html"
    if lowered.startswith(b"<?xml"):
        return "application/xml"
    return "text/plain"


class Fetcher:
    """Fetches URLs one at a time per host, within the address policy and the throttle."""

    def __init__(
        self,
        options: FetchOptions,
        policy: AddressPolicy,
        throttle: HostThrottle,
        *,
        permit: Callable[[str], str | None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.policy = policy
        self.throttle = throttle
        self.permit = permit  # e.g. robots.txt: returns a refusal reason for a redirect target, or None
        self._sleep = sleep
        self.requests = 0  # HTTP requests sent, retries and redirect hops included

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Collection[str] = PAGE_TYPES,
        max_bytes: int | None = None,
        use_permit: bool = True,
        permit: Callable[[str], str | None] | None = None,
    ) -> FetchResult:
        """Fetch ``url``: follow redirects, retry, send conditional headers; never raises for HTTP errors.

        Each redirect target is address-checked, then passed to ``permit`` (default: the fetcher's),
        which returns a refusal reason or None; ``use_permit=False`` skips that (robots.txt itself).
        """
        permit = (permit or self.permit) if use_permit else None
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.options.max_bytes
        current, redirects = url, []
        for _hop in range(self.options.max_redirects + 1):
            try:
                addresses = self.policy.check_url(current)
            except UnsafeURLError as error:
                return FetchResult(url, current, "skipped", reason=str(error), redirects=redirects)
            if redirects and permit is not None:
                refusal = permit(current)
                if refusal:
                    return FetchResult(url, current, "skipped", reason=refusal, redirects=redirects)
            result = self._with_retries(url, current, addresses, headers, accept, limit)
            result.redirects = redirects
            if result.status not in REDIRECT_STATUSES:
                return result
            location = result.headers.get("location")
            if not location:
                return replace(result, outcome="failed", reason=f"HTTP {result.status} without Location")
            target = urljoin(current, location.strip()).split("#", 1)[0]
            if target in (url, current) or target in redirects:
                return replace(result, outcome="failed", reason=f"redirect loop at {target}")
            redirects = [*redirects, current]
            current = target
        return FetchResult(url, current, "failed", reason="too many redirects", redirects=redirects)

    def _with_retries(
        self, url: str, current: str, addresses: list[str], headers: dict[str, str],
        accept: Collection[str], limit: int,
    ) -> FetchResult:
        """One hop, retried on 429, 5xx and connection errors, waiting as the server asks."""
        result = FetchResult(url, current, "failed")
        for attempt in range(self.options.retries + 1):
            with self.throttle.slot(current):
                result = self._attempt(url, current, addresses, headers, accept, limit)
            result.attempts = attempt + 1
            network_error = result.outcome == "failed" and result.status is None
            retryable = result.status in RETRY_STATUSES or network_error
            if not retryable or attempt == self.options.retries:
                return result
            wait = retry_after_seconds(result.headers.get("retry-after"))
            if wait is None:
                wait = self.options.backoff * (2**attempt)
            elif wait > self.options.max_retry_wait:
                limit_text = f"{self.options.max_retry_wait:.0f}s"
                result.reason = f"{result.reason}; Retry-After {wait:.0f}s exceeds {limit_text}"
                return result
            LOGGER.info("retrying %s in %.1fs (%s)", current, wait, result.reason)
            self._sleep(wait)
        return result

    def _connection(self, url: str, address: str) -> http.client.HTTPConnection:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        cls = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        return cls(parts.hostname or "", port, address, self.options.timeout)

    def _attempt(
        self, url: str, current: str, addresses: list[str], headers: dict[str, str],
        accept: Collection[str], limit: int,
    ) -> FetchResult:
        """Send one request and read the answer within the limits."""
        parts = urlsplit(current)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        last_error: Exception | None = None
        for address in addresses:
            connection = self._connection(current, address)
            try:
                self.requests += 1
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                return self._read(url, current, response, accept, limit)
            except _Abandon as stop:
                return FetchResult(url, current, stop.outcome, reason=stop.reason)
            except (OSError, http.client.HTTPException) as error:
                last_error = error
                LOGGER.debug("request to %s via %s failed: %s", current, address, error)
            finally:
                connection.close()
        reason = f"network error: {type(last_error).__name__}: {last_error}".rstrip(": ")
        return FetchResult(url, current, "failed", reason=reason)

    def _read(
        self, url: str, current: str, response: http.client.HTTPResponse, accept: Collection[str], limit: int,
    ) -> FetchResult:
        """Turn a response into a result, reading the body only when it is wanted."""
        headers = {name.lower(): value for name, value in response.getheaders()}
        status = response.status
        result = FetchResult(url, current, "failed", status=status, headers=headers)
        if status == 304:
            return replace(result, outcome="not_modified")
        if status in REDIRECT_STATUSES:
            return result
        if not 200 <= status < 300:
            return replace(result, reason=f"HTTP {status} {response.reason}".strip())
        media = _media_type(headers)
        if media and media not in accept:
            return replace(result, outcome="skipped", content_type=media, reason=f"content type {media}")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return replace(result, outcome="skipped", reason=f"too large: {declared} bytes > {limit}")
        body = self._read_body(response, limit)
        if headers.get("content-encoding", "").lower() in {"gzip", "x-gzip", "deflate"}:
            try:
                body = gunzip_bounded(body, limit)
            except ValueError as error:
                return replace(result, outcome="skipped", reason=str(error))
        if not media:
            media = _sniff_type(body[:1024]) or "application/octet-stream"
            if media not in accept:
                return replace(result, outcome="skipped", content_type=media, reason=f"content type {media}")
        return replace(result, outcome="ok", body=body, content_type=media)

    def _read_body(self, response: http.client.HTTPResponse, limit: int) -> bytes:
        """Read at most ``limit`` bytes within the total timeout, or abandon the response."""
        deadline = time.monotonic() + self.options.total_timeout
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = response.read1(CHUNK_SIZE)
            except (OSError, http.client.HTTPException) as error:
                raise _Abandon("failed", f"network error while reading: {error}") from error
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise _Abandon("skipped", f"too large: more than {limit} bytes")
            if time.monotonic() > deadline:
                seconds = self.options.total_timeout
                raise _Abandon("failed", f"timed out after {seconds:.0f}s reading the body")
            chunks.append(chunk)
