"""Raw bytes to clean text: charset detection in a fixed order, and a check for binary files."""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

import charset_normalizer

LOGGER = logging.getLogger(__name__)

_BOMS = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""",
    re.IGNORECASE,
)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.IGNORECASE)
_MULTIBYTE = frozenset(("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
                        "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr",
                        "cp932", "cp949", "cp950", "iso2022_jp", "euc_jis_2004"))
_NEWLINES_RE = re.compile(r"\r\n?|\u2028|\u2029|\x85")
_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"\x1f\x8b",
    b"GIF8",
    b"\xff\xd8\xff",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xd0\xcf\x11\xe0",  # OLE (old MS Office)
    b"\x7fELF",
    b"RIFF",
    b"OggS",
    b"\x00\x00\x01\x00",  # ICO
    b"wOFF",
    b"SQLite format 3",
)
# Bytes that never appear in text: C0 controls other than tab, newline, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _lookup(name: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    name = name.strip().strip("\"'").lower()
    # Browsers treat these labels as their Windows supersets.
    name = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso-8859-9": "cp1254", "x-user-defined": "cp1252"}.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _finish(text: str) -> str:
    text = text.replace("\x00", "").replace("\ufeff", "")
    text = _NEWLINES_RE.sub("\n", text)
    return unicodedata.normalize("NFC", text)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 kB (<meta charset>, http-equiv or XML)."""
    head = data[:4096]
    match = _META_CHARSET_RE.search(head) or _XML_DECL_RE.search(head)
    return _lookup(match.group(1)) if match else None


def decode_bytes(data: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """Decode raw bytes: BOM, then the declared (HTTP) charset, then for HTML the page's own
    declaration, then strict UTF-8, then charset-normalizer's guess, finally latin-1.
    NULs are stripped, newlines normalized to '\\n' and the result NFC-normalized."""
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            return _finish(text)
    utf16 = _bomless_utf16(data)
    if utf16:
        return _finish(data.decode(utf16, errors="replace"))
    candidates = [_lookup(declared)]
    if html:
        candidates.append(sniff_html_charset(data))
    for encoding in candidates:
        if encoding and encoding.startswith(("utf-16", "utf-32")):
            # A declared UTF-16 without a BOM is usually a lie copied from a template.
            if b"\x00" not in data[:200]:
                continue
        if encoding and encoding not in _MULTIBYTE and not data.isascii():
            # Pages labelled latin-1 / windows-125x that are in fact UTF-8 are common; UTF-8 that
            # decodes strictly is almost never a coincidence.
            text = _try(data, "utf-8")
            if text is not None:
                return _finish(text)
        text = _try(data, encoding)
        if text is not None:
            return _finish(text)
        if encoding:
            LOGGER.debug("declared charset %s does not decode; guessing", encoding)
    text = _try(data, "utf-8")
    if text is not None:
        return _finish(text)
    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is not None and best.encoding:
        encoding = _lookup(best.encoding) or best.encoding
        text = data.decode(encoding, errors="replace")
        return _finish(text)
    return _finish(data.decode("latin-1"))


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit in every other byte, as in BOM-less UTF-16 text."""
    head = data[:4096]
    half = len(head) / 2
    if not half or b"\x00" not in head:
        return None
    even = head[0::2].count(0) / half
    odd = head[1::2].count(0) / half
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: known binary magic numbers, NUL bytes outside UTF-16/32,
    or a high share of control characters in the first 8 kB."""
    if not data:
        return False
    head = data[:8192]
    if head.startswith(_MAGIC):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        # UTF-16 without a BOM has NULs in every other byte; anything else with NULs is binary.
        return _bomless_utf16(head) is None
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
