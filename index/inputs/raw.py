"""Turn paths, folders, globs, ``.gz`` files, JSON Lines dumps and URLs into ``RawInput`` items."""

from __future__ import annotations

import glob
import gzip
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LOGGER = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json"}
KNOWN_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | RECORD_SUFFIXES
#: Files in a folder that describe the folder rather than being releases (README.md, SOURCE.txt, LICENSE...):
#: left out of a folder's inputs unless named directly or matched by an ``include`` pattern.
NOT_RELEASES = frozenset(
    {"readme", "source", "sources", "license", "licence", "copying", "notice", "authors", "changelog",
     "contributing", "citation", "metadata"}
)


@dataclass(frozen=True)
class RawInput:
    """One document's raw input and where it came from. ``kind``: html, text, record or auto."""

    locator: str
    data: bytes
    kind: str
    source: str
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    record: dict | None = None
    selectors: Mapping[str, str] | None = None  # a crawled site's CSS selectors (title, date, body)


@dataclass(frozen=True)
class InputError:
    """An input that could not be read at all, with the reason (reported, never fatal)."""

    locator: str
    reason: str


@dataclass(frozen=True)
class SkippedInput(InputError):
    """A file in a folder that does not look like a release (README, SOURCE, ...): reported, not read."""


def is_release_like(path: Path) -> bool:
    """True when a file found in a folder looks like a release: a known suffix (HTML, text, JSON Lines,
    each optionally ``.gz``) or none, and a name other than README, SOURCE, LICENSE and the like."""
    name = path.name.lower().removesuffix(".gz")
    stem, suffix = os.path.splitext(name)
    if name.startswith(".") or (suffix not in KNOWN_SUFFIXES and suffix != ""):
        return False
    return stem not in NOT_RELEASES


def is_url(text: str) -> bool:
    """True for http(s) URLs."""
    return urlsplit(text).scheme in ("http", "https")


def kind_for_name(name: str) -> str:
    """html, text, record or auto from a file name (``.gz`` looked through)."""
    lower = name.lower().removesuffix(".gz")
    suffix = os.path.splitext(lower)[1]
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in RECORD_SUFFIXES:
        return "record"
    return "auto"


def expand_paths(args: list[str], include: tuple[str, ...] = ()) -> Iterator[Path | str | InputError]:
    """Files from paths, folders (recursive) and globs; URLs passed through; missing paths as errors.

    In a folder only release-like files are taken (``is_release_like``); other files with a known
    suffix (README.md, SOURCE.txt...) come out as ``SkippedInput`` unless their name matches one of
    the ``include`` glob patterns. Files named directly are always taken.
    """
    for arg in args:
        if is_url(arg):
            yield arg
            continue
        matches = sorted(glob.glob(arg, recursive=True)) if glob.has_magic(arg) else [arg]
        if not matches:
            yield InputError(arg, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if not child.is_file() or any(part.startswith(".") for part in child.relative_to(path).parts):
                        continue
                    if is_release_like(child) or any(child.match(pattern) for pattern in include):
                        yield child
                    elif kind_for_name(child.name) != "auto":
                        yield SkippedInput(str(child), "does not look like a release (README, SOURCE, ...)")
            elif path.is_file():
                yield path
            else:
                yield InputError(arg, "no such file or folder")


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, ``.gz`` decompressed; raises ValueError when over ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"file is {size:,} bytes, over the limit of {max_bytes:,}")
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValueError(f"decompressed file is over the limit of {max_bytes:,} bytes")
        return data
    return path.read_bytes()


def iter_records(path: Path, source: str) -> Iterator[RawInput | InputError]:
    """One ``RawInput`` per JSON object line (a JSON array file also works); bad lines as errors."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        head = handle.read(1)
        while head.isspace():
            head = handle.read(1)
        rest = handle.read() if head == b"[" else None
        if rest is not None:
            try:
                items = json.loads(head + rest)
            except ValueError as exc:
                yield InputError(str(path), f"not valid JSON: {exc}")
                return
            for number, item in enumerate(items, start=1):
                yield _record_input(path, number, item, source)
            return
        lines = (head + handle.readline(), *handle) if head else ()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                yield InputError(f"{path}:{number}", f"line {number} is not valid JSON: {exc}")
                continue
            yield _record_input(path, number, item, source, line)


def _record_input(path: Path, number: int, item: object, source: str, line: bytes | None = None):
    locator = f"{path}:{number}"
    if not isinstance(item, dict):
        return InputError(locator, f"line {number} is not a JSON object")
    data = line if line is not None else json.dumps(item, ensure_ascii=False).encode("utf-8")
    return RawInput(locator=locator, data=data.strip(), kind="record", source=source, record=item)


def iter_inputs(
    args: list[str],
    *,
    source: str | None = None,
    max_bytes: int = 20_000_000,
    fetcher=None,
    include: tuple[str, ...] = (),
) -> Iterator[RawInput | InputError]:
    """Every input named by ``args``: files, folders, globs, ``.gz``, JSON Lines records and URLs.

    ``source`` names the source of every input; by default a file's folder name or a URL's host.
    ``fetcher(url) -> RawInput`` fetches single URLs (the crawler's polite fetcher). ``include``: see
    ``expand_paths``.
    """
    for item in expand_paths(args, include):
        if isinstance(item, InputError):
            yield item
        elif isinstance(item, str):
            if fetcher is None:
                yield InputError(item, "fetching URLs is not available")
                continue
            try:
                yield fetcher(item, source=source)
            except Exception as exc:  # noqa: BLE001 - one bad URL never stops a batch
                yield InputError(item, str(exc) or exc.__class__.__name__)
        else:
            yield from _file_inputs(item, source or item.resolve().parent.name or "files", max_bytes)


def _file_inputs(path: Path, source: str, max_bytes: int) -> Iterator[RawInput | InputError]:
    kind = kind_for_name(path.name)
    try:
        if kind == "record":
            yield from iter_records(path, source)
            return
        data = read_file(path, max_bytes=max_bytes)
    except (OSError, ValueError, EOFError) as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    yield RawInput(locator=str(path.resolve()), data=data, kind=kind, source=source)
