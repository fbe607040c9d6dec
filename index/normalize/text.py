"""Plain-text releases to ``Normalized``: title line, paragraphs, no site footer, a stated date.

Also cleans text extracted from PDF (one line per paragraph, line-break hyphens, runs of spaces), so
records from such corpora go through the same ``clean_body``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container

from index.document import Normalized
from index.extraction.dates import find_release_date
from index.normalize.encoding import decode_bytes

LOGGER = logging.getLogger(__name__)

MAX_TITLE_CHARS = 200

_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: The spacing characters other than " " that ``_SPACES_RE`` matches. Replacing each by " " and then
#: runs of spaces by one is the same as replacing every ``_SPACES_RE`` run by " ", and much quicker
#: (a pattern that starts with a literal is found by a fast scan, a character class is tried everywhere).
_OTHER_SPACES = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_DOUBLE_SPACES_RE = re.compile(r"  +")
_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
#: The characters ``_ZERO_WIDTH_RE`` matches (all non-ASCII): deleting each with ``str.replace`` when the
#: text holds it is the same as ``_ZERO_WIDTH_RE.sub("", text)`` and quicker than trying a class everywhere.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_BLANK_LINES_RE = re.compile(r"\n\s*\n")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# "refu-\ngees" inside a paragraph and "refu- gees" left by PDF extraction. A match starts where a word
# starts (the lookbehind), so a long word is not read again from each of its letters.
_LINE_HYPHEN_RE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-\n([^\W\d_]+)")
_INLINE_HYPHEN_RE = re.compile(r"\b([^\W\d_]{2,})- ([a-z\u0430-\u044f][^\W\d_]*)")
#: What every ``_INLINE_HYPHEN_RE`` match holds, found from the hyphen (a quick test before the full scan).
_INLINE_HYPHEN_HINT_RE = re.compile(r"-(?<=[^\W\d_]{2}-) [a-z\u0430-\u044f]")
_SENTENCE_END_RE = re.compile(r"[.!?:;…\"'”’»)\]]$")
#: The characters ``_SENTENCE_END_RE`` ends on.
_SENTENCE_END_CHARS = frozenset(".!?:;…\"'”’»)]")
_STARTS_LOWER_RE = re.compile(r"^[(\"'“‘«]?[a-z\u00df-\u00ff\u0430-\u044f]")

_COPYRIGHT_RE = re.compile(r"^\s*(?:©|\(c\)|&copy;|copyright\b)", re.IGNORECASE)
_FOOTER_RE = re.compile(
    r"all rights reserved|privacy policy|terms (?:of|for) (?:use|users|service)|cookie (?:policy|settings)"
    r"|^\s*(?:follow us|share (?:this|on)|back to top|print(?: this)?(?: page)?|subscribe\b|sitemap"
    r"|contact us|related (?:news|articles|posts)|read more|tags?:)",
    re.IGNORECASE,
)
_MENU_SEPARATOR_RE = re.compile(r"\s+[|•·]\s+")


_MOJIBAKE_RE = re.compile(r"Ã.|Â.|â€")
#: The first characters of every ``_MOJIBAKE_RE`` match (all non-ASCII).
_MOJIBAKE_LEADS = "ÃÂâ"
#: "Â" standing alone: what is left of a doubly encoded no-break space ("Â\xa0") once the space was
#: lost upstream, a whole line of it in many converted PDFs; never a word.
_LONE_A_CIRCUMFLEX_RE = re.compile(r"(?<!\S)Â(?!\S)")
_WIDE_GAP_RE = re.compile(r" {2,}")
_SPACED_RUN_RE = re.compile(r"(?<!\S)(?:\w ){4,}\w(?!\S)")
#: What every ``_SPACED_RUN_RE`` match holds (from its second letter on): a quick test before the full scan.
_SPACED_RUN_HINT_RE = re.compile(r" \w \w \w \w(?!\S)")
#: ftfy's repair of the lines it was last asked about (line -> repaired line), so that text cleaned
#: twice, or a line repeated across documents, is not repaired again (ftfy's result depends on the line only).
_FTFY_MEMORY: dict[str, str] = {}
FTFY_MEMORY_LINES = 20000
MIN_SPACED_TOKENS = 6
SPACED_SHARE = 0.6


def repair_letter_spacing(line: str) -> str:
    """Undo OCR letter-spacing ("S t a t e m e n t  b y  t h e" -> "Statement by the").

    Only lines where most tokens are single characters are touched; words are the runs of single
    characters, separated by wider gaps or by tokens of several letters.
    """
    tokens = line.split()
    if len(tokens) < MIN_SPACED_TOKENS:
        return line
    if list(map(len, tokens)).count(1) < SPACED_SHARE * len(tokens):  # (single characters)
        return line
    words: list[str] = []
    for chunk in _WIDE_GAP_RE.split(line.strip()):
        run = ""
        for token in chunk.split(" "):
            if len(token) == 1:
                run += token
                continue
            if run:
                words.append(run)
                run = ""
            if token:
                words.append(token)
        if run:
            words.append(run)
    return " ".join(words)


def fix_mojibake(text: str) -> str:
    """Repair text decoded with the wrong charset ("Ã¢Â" and the like), only where it shows."""
    if text.isascii() or not any(lead in text for lead in _MOJIBAKE_LEADS) or not _MOJIBAKE_RE.search(text):
        return text
    return "\n".join(_fix_line(line) if _MOJIBAKE_RE.search(line) else line for line in text.split("\n"))


def _fix_line(line: str) -> str:
    """ftfy's repair of one line (remembering the last ``FTFY_MEMORY_LINES`` lines asked about)."""
    fixed = _FTFY_MEMORY.get(line)
    if fixed is not None:
        return fixed
    import ftfy

    fixed = ftfy.fix_text(line)
    if len(_FTFY_MEMORY) >= FTFY_MEMORY_LINES:
        _FTFY_MEMORY.clear()
    _FTFY_MEMORY[line] = fixed
    return fixed


def collapse_spaces(text: str) -> str:
    """Every run of spacing characters (spaces, tabs, no-break and other Unicode spaces) as one space."""
    if "\t" in text:
        text = text.replace("\t", " ")
    if not text.isascii():  # (the other spacing characters are not ASCII: skip looking for each of them)
        for char in _OTHER_SPACES:
            if char in text:
                text = text.replace(char, " ")
    return _DOUBLE_SPACES_RE.sub(" ", text)


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces, strip each line, drop zero-width characters and soft hyphens.

    Also repairs mojibake and OCR letter-spacing, which need the original spacing to be undone.
    """
    if not text.isascii():
        for char in _ZERO_WIDTH:
            if char in text:
                text = text.replace(char, "")
    text = fix_mojibake(text)
    if "Â" in text:
        text = _LONE_A_CIRCUMFLEX_RE.sub("", text)
    if _SPACED_RUN_HINT_RE.search(text) and _SPACED_RUN_RE.search(text):
        text = "\n".join(repair_letter_spacing(line) for line in text.split("\n"))
    text = collapse_spaces(text)
    return "\n".join([line.strip() for line in text.split("\n")]).strip()


def _vocabulary(text: str) -> set[str]:
    """``{word.lower() for word in _WORD_RE.findall(text)}``.

    A word never spans whitespace, so the words are those of each distinct whitespace-separated token; a
    token of letters only (``str.isalpha``) is one word as it is, and only the other tokens go through
    the regex (joined by spaces, in one scan)."""
    tokens = set(text.split())
    words = {token.lower() for token in tokens if token.isalpha()}
    others = " ".join(token for token in tokens if not token.isalpha())
    words.update(word.lower() for word in _WORD_RE.findall(others))
    return words


class _LazyVocabulary:
    """The vocabulary of a text, read only when a hyphen is first looked up in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = _vocabulary(self.text)
        return word in self._words


def _join_hyphenated(left: str, right: str, vocab: Container[str], *, line_break: bool) -> str:
    joined = left + right
    if joined.lower() in vocab:
        return joined
    if f"{left}-{right}".lower() in vocab or right[:1].isupper():
        return f"{left}-{right}"
    # A hyphen at a line break is usually a syllable break; one inside a line usually a compound.
    return joined if line_break else f"{left}-{right}"


def dehyphenate(text: str, vocab: Container[str] | None = None) -> str:
    """Undo hyphenation at line breaks ('refu-\\ngees') and PDF spacing ('refu- gees') using the
    text's own vocabulary to tell split words from compounds ('high- quality' stays 'high-quality')."""
    line_breaks, spaced = "-\n" in text, "- " in text
    if not line_breaks and not spaced:
        return text
    vocab = _LazyVocabulary(text) if vocab is None else vocab
    if line_breaks:
        text = _LINE_HYPHEN_RE.sub(
            lambda m: _join_hyphenated(m.group(1), m.group(2), vocab, line_break=True), text
        )
    if "- " not in text or not _INLINE_HYPHEN_HINT_RE.search(text):
        return text
    return _INLINE_HYPHEN_RE.sub(
        lambda m: _join_hyphenated(m.group(1), m.group(2), vocab, line_break=False), text
    )


def _is_footer_line(line: str) -> bool:
    """A copyright, terms or 'follow us' line under 200 characters, or a menu ("Home | About | Contact")
    that names none of those."""
    if len(line) >= 200:  # (a long paragraph is rarely a menu: test that first, the footer words after)
        return _is_menu(line) and not (_COPYRIGHT_RE.match(line) or _FOOTER_RE.search(line))
    return bool(_COPYRIGHT_RE.match(line) or _FOOTER_RE.search(line)) or _is_menu(line)


def _is_menu(line: str) -> bool:
    items = _MENU_SEPARATOR_RE.split(line)
    return len(items) >= 2 and all(0 < len(item.split()) <= 4 for item in items)


def _strip_footer(paragraphs: list[str]) -> list[str]:
    """Drop copyright, terms and menu lines at the end (and copyright lines anywhere)."""
    kept = [p for p in paragraphs if not (_COPYRIGHT_RE.match(p) and len(p) < 200)]
    while kept:
        lines = kept[-1].split("\n")
        while lines and _is_footer_line(lines[-1]):
            lines.pop()
        if not lines:
            kept.pop()
            continue
        kept[-1] = "\n".join(lines)
        break
    return kept


def _ends_sentence(text: str) -> bool:
    """``_SENTENCE_END_RE.search(text) is not None``, from the last characters only (a search would try
    every position of the text; ``$`` also matches before a final line break)."""
    return text[-1:] in _SENTENCE_END_CHARS or (text[-1:] == "\n" and text[-2:-1] in _SENTENCE_END_CHARS)


def _join_lines(block: str) -> str:
    """One paragraph from hard-wrapped lines; short label-like lines keep their breaks."""
    lines = block.split("\n")
    if len(lines) == 1:
        return block
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        # Lists, addresses and datelines are short lines that are not wrapped prose.
        if len(prev) < 40 and not _ends_sentence(prev) and not _STARTS_LOWER_RE.match(line):
            out.append(line)
        else:
            out[-1] = prev + " " + line
    return "\n".join(out)


#: Words a paragraph never ends on: a "paragraph" ending so is one line of a PDF page whose sentence goes
#: on in the next one ("... Shadow Minister for" / "Immigration and Citizenship, Scott Morrison said").
_NEVER_LAST_WORDS = frozenset(
    "the of and a an to for in with by at on from as that which whose than into onto between against "
    "during his her their its our your this these those Mr Mrs Ms Dr Senator".split()
)


def _continues(tail: str, para: str, last_piece: str) -> bool:
    """True when the paragraph ending ``tail`` (its last piece ``last_piece``) goes on in ``para``."""
    if tail.endswith("-"):
        return True
    if _ends_sentence(tail):
        return False
    if _STARTS_LOWER_RE.match(para):
        return True
    return tail[-1:].isalpha() and para[:1].isupper() and last_piece.rsplit(None, 1)[-1] in _NEVER_LAST_WORDS


def _merge_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Join 'paragraphs' that are really one line of a PDF page each: the sentence goes on in lower case,
    or after a word no paragraph ends on ("of", "the", "Senator")."""
    # Each merged paragraph is kept as its pieces, joined once at the end (adding to a growing string
    # copies it each time); the tests look at its last two characters and last piece only.
    merged: list[list[str]] = []
    tail = ""
    for para in paragraphs:
        if merged and _continues(tail, para, merged[-1][-1]):
            glue = "\n" if tail.endswith("-") else " "
            merged[-1] += (glue, para)
            tail = (tail + glue + para)[-2:]
        else:
            merged.append([para])
            tail = para[-2:]
    return ["".join(pieces) for pieces in merged]


def clean_body(text: str) -> str:
    """Paragraphs separated by one blank line: wrapped lines joined, hyphenation undone, footer gone."""
    text = clean_whitespace(text)
    if not text:
        return ""
    vocab = _LazyVocabulary(text)
    blocks = [block.strip() for block in _BLANK_LINES_RE.split(text) if block.strip()]
    blocks = _merge_broken_paragraphs(blocks)
    # (a block without a hyphen has none to undo, before or after its lines are joined)
    paragraphs = [
        dehyphenate(_join_lines(dehyphenate(block, vocab)), vocab) if "-" in block else _join_lines(block)
        for block in blocks
    ]
    return "\n\n".join(_strip_footer(paragraphs))


_HEADER_LINE_RE = re.compile(
    r"\b(?:M\.?P\.?|MHR|M\.H\.R\.|senator|minister (?:for|of|assisting)|^prime minister$|member for|leader of"
    r"|shadow|spokes(?:man|woman|person)"
    r"|media release|press release|news release|media statement|transcript|e\s*&\s*o\s*e|eo&e|embargo"
    r"|check against delivery|for immediate release|parliament of|house of representatives|dated:"
    r"|e-?mail|phone|fax|www\.|https?://|contact)\b|@|\|",
    re.IGNORECASE,
)
#: ``_HEADER_LINE_RE`` for lower-cased ASCII lines, without ``re.IGNORECASE`` (its escapes are all lower-case
#: ones, which lower-casing the pattern leaves as they are): on ASCII text a case-insensitive search is the same
#: as a plain search of the lower-cased text, and quicker.
_HEADER_LINE_LOWER_RE = re.compile(_HEADER_LINE_RE.pattern.lower())
_SUBJECT_RE = re.compile(r"^subjects?\s*(?:\(s\)|/s)?\s*:\s*(.{8,})$", re.IGNORECASE)
HEADLINE_SCAN_LINES = 12


def _is_header_line(line: str, *, min_words: int = 3) -> bool:
    letters = sum(map(str.isalpha, line))
    if letters < 0.6 * len(line.replace(" ", "")) or len(line.split()) < min_words:
        return True
    return _has_header_words(line) or len(line) < 60 and find_release_date(line) is not None


def _has_header_words(line: str) -> bool:
    """``bool(_HEADER_LINE_RE.search(line))``."""
    if line.isascii():  # (ASCII letters lower-case one for one, so the plain search of the lowered line agrees)
        return _HEADER_LINE_LOWER_RE.search(line.lower()) is not None
    return _HEADER_LINE_RE.search(line) is not None


def _is_headline(line: str) -> bool:
    if len(line) > MAX_TITLE_CHARS:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 0.8 * len(line.replace(" ", "")):
        return False
    return sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def choose_headline(lines: list[str]) -> str | None:
    """The headline of a release whose first lines are a letterhead (names, offices, 'MEDIA RELEASE',
    dates, contacts): the first capitalised line after it, else a 'Subject:' line; None when the first
    line itself reads as a title."""
    head = [line.strip() for line in lines if line.strip()][:HEADLINE_SCAN_LINES]
    if not head or not _is_header_line(head[0], min_words=1):
        return None
    subject_matches = [_SUBJECT_RE.match(line) for line in head]
    subjects = [m.group(1).strip() for m in subject_matches if m]
    header: list[bool | None] = [None] * len(head)  # _is_header_line(head[i]), found when first needed

    def is_header(index: int) -> bool:
        known = header[index]
        if known is None:
            known = header[index] = _is_header_line(head[index])
        return known

    for index, line in enumerate(head):
        if not subject_matches[index] and not is_header(index) and _is_headline(line):
            return line
    if subjects:
        return subjects[0]
    for index, line in enumerate(head):
        if not is_header(index) and len(line.split()) >= 4 and len(line) <= MAX_TITLE_CHARS:
            return line
    return None


def split_title(text: str) -> tuple[str, str]:
    """The title and the rest of the text. The title is the first non-empty line, unless that line
    is letterhead and a headline follows (then the whole text stays in the rest). A first line too
    long to be a title is a paragraph: the title is its shortened start and the line stays in the rest."""
    text = text.lstrip()
    headline = choose_headline(text.split("\n", 4 * HEADLINE_SCAN_LINES)[: 4 * HEADLINE_SCAN_LINES])
    if headline:
        return _SPACES_RE.sub(" ", headline).strip(), text
    title, _, rest = text.partition("\n")
    title = _SPACES_RE.sub(" ", title).strip()
    if len(title) > MAX_TITLE_CHARS:
        rest = text
        cut = title.rfind(" ", 0, MAX_TITLE_CHARS)
        title = title[: cut if cut > 0 else MAX_TITLE_CHARS].rstrip(" ,;:-") + "…"
    return title, rest


def normalize_text(data: bytes | str, *, url: str | None = None) -> Normalized:
    """A plain-text release: first non-empty line as title, cleaned paragraphs as body, and the
    release date only when stated near the top (never a copyright year)."""
    text = decode_bytes(data) if isinstance(data, bytes) else data
    text = clean_whitespace(text)
    title, rest = split_title(text)
    body = clean_body(rest)
    release = find_release_date(title + "\n" + body)
    return Normalized(title=title, body=body, date=release, language=None, url=url, metadata={})
