"""robots.txt: fetched once per host (through the same fetcher, so it is throttled and address-checked),
parsed with protego, and asked before every request under our User-Agent token.

Following RFC 9309: a 4xx robots.txt (missing) allows everything; a 5xx or unreachable one disallows
everything until the next crawl, since the site may be in trouble. ``Crawl-delay`` and ``Sitemap`` lines
are read too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from protego import Protego

from index.crawl.fetch import Fetcher
from index.crawl.politeness import host_key

LOGGER = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL = 24 * 3600.0
ROBOTS_TYPES = frozenset({"text/plain", "text/html", "application/octet-stream"})


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: ``migsearch`` for ``migsearch/0.1 (...)``."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip() or "*"


@dataclass
class RobotsRules:
    """One host's parsed robots.txt, or a blanket allow / disallow when there was none to read."""

    parser: Protego | None
    allow_all: bool = True
    note: str = ""
    fetched_at: float = field(default_factory=time.monotonic)

    def can_fetch(self, url: str, token: str) -> bool:
        """True when ``url`` may be fetched by ``token``."""
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float | None:
        """The ``Crawl-delay`` for ``token`` in seconds, if the file sets one."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        """The ``Sitemap:`` URLs listed in the file."""
        return list(self.parser.sitemaps) if self.parser is not None else []


class RobotsCache:
    """robots.txt per host, fetched on first use and kept for ``ttl`` seconds."""

    def __init__(
        self,
        fetcher: Fetcher,
        user_agent: str,
        *,
        ttl: float = ROBOTS_TTL,
        on_rules: Callable[[str, RobotsRules], None] | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.token = agent_token(user_agent)
        self.ttl = ttl
        self.on_rules = on_rules  # called once per host when its rules are (re)loaded
        self._rules: dict[str, RobotsRules] = {}

    def rules_for(self, url: str) -> RobotsRules:
        """The rules of the URL's host, fetching robots.txt when not cached or stale."""
        key = host_key(url)
        rules = self._rules.get(key)
        if rules is None or time.monotonic() - rules.fetched_at > self.ttl:
            rules = self._load(key)
            self._rules[key] = rules
            if self.on_rules is not None:
                self.on_rules(key, rules)
        return rules

    def refusal(self, url: str) -> str | None:
        """None when ``url`` may be fetched, else the reason it may not."""
        rules = self.rules_for(url)
        if rules.can_fetch(url, self.token):
            return None
        return f"disallowed by robots.txt{f' ({rules.note})' if rules.note else ''}"

    def _load(self, key: str) -> RobotsRules:
        scheme, rest = key.split("://", 1)
        host, port = rest.rsplit(":", 1)
        default = (scheme == "http" and port == "80") or (scheme == "https" and port == "443")
        robots_url = f"{scheme}://{host}{'' if default else ':' + port}/robots.txt"
        result = self.fetcher.fetch(
            robots_url, accept=ROBOTS_TYPES, max_bytes=ROBOTS_MAX_BYTES, use_permit=False
        )
        if result.outcome == "ok":
            text = result.body.decode("utf-8", errors="replace")
            LOGGER.info("robots.txt for %s: %d bytes", key, len(result.body))
            return RobotsRules(Protego.parse(text))
        if result.status is not None and 400 <= result.status < 500:
            LOGGER.info("no robots.txt for %s (HTTP %s): all allowed", key, result.status)
            return RobotsRules(None, allow_all=True)
        if result.outcome == "skipped" and result.status is not None and result.status < 300:
            LOGGER.info("unreadable robots.txt for %s (%s): all allowed", key, result.reason)
            return RobotsRules(None, allow_all=True)
        LOGGER.warning("robots.txt for %s unavailable (%s): host skipped", key, result.reason)
        return RobotsRules(None, allow_all=False, note=f"robots.txt unavailable: {result.reason}")
