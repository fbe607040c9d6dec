"""One URL fetched for ``migsearch ingest URL``: robots.txt, address policy, limits and delay as in a crawl."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from index.crawl.fetch import TEXT_TYPES, Fetcher, FetchOptions
from index.crawl.netsafety import AddressPolicy
from index.crawl.politeness import HostThrottle
from index.crawl.robots import RobotsCache
from index.inputs.raw import RawInput
from index.settings import as_settings

LOGGER = logging.getLogger(__name__)


class FetchError(Exception):
    """A single-URL fetch did not give a page; the message is the reason."""


_SHARED: dict[tuple, tuple[Fetcher, object]] = {}


def fetch_raw_input(url: str, settings: Mapping[str, Any], *, source: str | None = None) -> RawInput:
    """Fetch one URL for ``ingest URL``: robots.txt, address policy, limits and delay as in a crawl.

    Calls with the same settings share one throttle and robots cache, so a list of URLs on one host is
    still fetched one at a time with the delay. Raises :class:`FetchError` with the reason otherwise.
    """
    settings = as_settings(settings)
    options = FetchOptions.from_settings(settings)
    policy = AddressPolicy.from_settings(settings)
    key = (options, policy, settings.crawl_delay)
    if key not in _SHARED:
        fetcher = Fetcher(options, policy, HostThrottle(key[2]))
        robots = RobotsCache(fetcher, options.user_agent)
        fetcher.permit = robots.refusal
        _SHARED[key] = (fetcher, robots)
    fetcher, robots = _SHARED[key]
    refusal = robots.refusal(url)  # type: ignore[attr-defined]
    if refusal:
        raise FetchError(refusal)
    result = fetcher.fetch(url)
    if result.outcome != "ok":
        raise FetchError(result.reason or result.outcome)
    return RawInput(
        locator=result.final_url,
        data=result.body,
        kind="text" if result.content_type in TEXT_TYPES else "html",
        source=source or (urlsplit(result.final_url).hostname or "web"),
        url=result.final_url,
        headers=dict(result.headers),
    )
