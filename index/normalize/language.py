"""Language of a text as an ISO 639-1 code, with py3langid on the first few thousand characters."""

from __future__ import annotations

import logging
import re
import threading

LOGGER = logging.getLogger(__name__)

SAMPLE_CHARS = 1000
MIN_LETTERS = 25  # below this the model is guessing; a page's declared language is better
DEFAULT_LANGUAGE = "en"

_LETTER_RE = re.compile(r"[^\W\d_]")
_CYRILLIC_LETTER_RE = re.compile(r"[\u0400-\u04ff](?<=[^\W\d_])")  # a letter in the Cyrillic block
_UKRAINIAN_RE = re.compile(r"[іїєґІЇЄҐ]")
_BELARUSIAN_RE = re.compile(r"[ўЎ]")
_WORD_RE = re.compile(r"[a-z]+")
# English function words: when they make up a large share of the words, the text is English and the
# statistical model (the slow part of detection) is not needed.
_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on with as by was it be are at from this have has will not".split()
)
ENGLISH_SHARE = 0.2
# The languages migration news is published in; restricting the model to them keeps OCR noise from
# being read as Occitan or Scottish Gaelic.
LIKELY_LANGUAGES = (
    "ar", "az", "bg", "bn", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "he", "hi", "hr", "hu",
    "hy", "id", "it", "ja", "ka", "kk", "ko", "ky", "lt", "lv", "ms", "nl", "no", "pl", "ps", "pt", "ro", "ru",
    "sk", "sl", "so", "sq", "sr", "sv", "sw", "th", "tl", "tr", "uk", "ur", "uz", "vi", "zh",
)
_HINT_RE = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_].*)?$")

_identifier = None
_lock = threading.Lock()


def _model():
    """The py3langid identifier, loaded once on first use."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
                identifier.set_languages(list(LIKELY_LANGUAGES))
                _identifier = identifier
    return _identifier


def normalize_hint(hint: str | None) -> str | None:
    """'en-US', 'ru_RU', 'EN' -> 'en'; None for anything that is not a language tag."""
    if not hint:
        return None
    match = _HINT_RE.match(hint)
    if not match:
        return None
    code = match.group(1).lower()
    return code if len(code) == 2 else None


def _cyrillic_language(letters: list[str], text: str) -> str | None:
    """'ru' (or 'uk' / 'be' by their own letters) when most letters are Cyrillic."""
    cyrillic = len(_CYRILLIC_LETTER_RE.findall(text))
    if cyrillic < 0.5 * len(letters):
        return None
    if len(_UKRAINIAN_RE.findall(text)) > 0.01 * cyrillic:
        return "uk"
    if len(_BELARUSIAN_RE.findall(text)) > 0.005 * cyrillic:
        return "be"
    return "ru"


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of ``text``: Cyrillic-heavy text is 'ru', short text falls back to ``hint``
    (e.g. the page's html lang), empty text to 'en'."""
    sample = (text or "")[:SAMPLE_CHARS]
    letters = _LETTER_RE.findall(sample)
    hinted = normalize_hint(hint)
    if not letters:
        return hinted or DEFAULT_LANGUAGE
    cyrillic = _cyrillic_language(letters, sample)
    if cyrillic:
        return cyrillic
    if len(letters) < MIN_LETTERS and hinted:
        return hinted
    words = _WORD_RE.findall(sample.lower())
    if len(words) >= 20 and sum(w in _ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words):
        return "en"
    try:
        code, _score = _model().classify(sample)
    except Exception:  # noqa: BLE001 - a model failure must not stop an ingest
        LOGGER.warning("language detection failed; using %s", hinted or DEFAULT_LANGUAGE, exc_info=True)
        return hinted or DEFAULT_LANGUAGE
    return code or hinted or DEFAULT_LANGUAGE
