"""Snippets: the shortcuts (whole-text prefix search, candidate tokens) give what reading every
sentence and every token gives, and the spans render to the HTML snippets always had."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from index.engine.schema import text_analyzer
from search import highlight
from search.highlight import paragraph_snippets, snippet
from search.spans import Snippet, Span
from web.snippets import paragraphs_html, snippet_html

TEXTS = [
    "Refugees arrived. The refugee council said “refugees’ rights matter”… Then U.S.refugee aid fell.\n"
    "A second line: asylum-seekers, asylum seekers and ASYLUM claims.\n\n\"Refuge.\" 'Refugee' (refugee).",
    "Café owners, naïve migrants — and mígrants with accents. Migration rose; migrations fell!\n"
    "Don't detain children. Detention centres. de\u0301tention with a combining accent.",
    "Â mojibake: â€™refugeeâ€™ and Î± symbols; ½ of detainees. Λόγος μετανάστες. Detention again.",
    "No match anywhere in this text at all. " * 20 + "\nLate: the processing centre on Nauru.",
    "x.refugee and x'refugee and x’refugee, .refugee ..refugee …refugee\nrefugee",
    "Мигранты прибыли. Миграционная служба сообщила… «Мигранты» — снова.",
]
WORDS = [
    {"refuge"}, {"asylum", "seeker"}, {"migrant", "migrat"}, {"detent", "children"}, {"nauru", "process"},
    {"u.s"}, {"don't"}, {"мигрант"}, {"café"}, {"refuge", "detent", "asylum"},
]


_TAGS = re.compile(r"<[^>]*>")  # (the old way of reading a snippet as text, kept here as the reference)


def _analyze(language: str):
    """The body analysis of ``language`` as the engine hands it to highlighting: a token to indexed words."""
    analyzer = text_analyzer(language)
    return lambda token: [t.text for t in analyzer(token, mode="query")]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _reference_snippet(text: str, words: set[str], analyzer) -> str:
    """The snippet rule read plainly, as the HTML it gave before snippets became spans: every sentence
    folded and searched, every token tested."""
    is_match = highlight.token_matcher(words, analyzer)

    def plain_match(token: str) -> bool:
        return is_match(token)  # the plain function, without its ``candidates`` shortcut

    def mark(part: str) -> tuple[str, int, int]:
        out, seen, total, last = [], set(), 0, 0
        for found in highlight._TOKEN_RE.finditer(part):
            token = found.group()
            if plain_match(token):
                out += [html.escape(part[last : found.start()], quote=False),
                        f'<mark class="hl">{html.escape(token, quote=False)}</mark>']
                seen.add(token.lower())
                total += 1
                last = found.end()
        out.append(html.escape(part[last:], quote=False))
        return "".join(out), len(seen), total

    candidate = highlight._prefix_pattern(words)
    scored = []
    for position, found in enumerate(highlight._SENTENCE_RE.finditer(text)):
        sentence = highlight._SPACE_RE.sub(" ", found.group()).strip()
        if not sentence or not candidate.search(_fold(sentence)):
            continue
        marked, distinct, total = mark(highlight._trim(sentence, plain_match))
        if total:
            scored.append((distinct, total, -position, marked))
            if len(scored) >= highlight.MAX_CANDIDATES:
                break
    if not scored:
        return str(snippet_html(snippet(text, set(), analyzer)))
    best = sorted(scored, reverse=True)[: highlight.SNIPPET_SENTENCES]
    return " … ".join(marked for _, _, _, marked in sorted(best, key=lambda item: -item[2]))


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_snippets_equal_the_plain_rule(text, language):
    analyzer = _analyze(language)
    for words in WORDS:
        found = snippet(text, words, analyzer)
        assert str(snippet_html(found)) == _reference_snippet(text, words, analyzer), words
        assert found.text == html.unescape(_TAGS.sub("", _reference_snippet(text, words, analyzer)))


def test_fold_drops_accents_and_keeps_other_letters():
    assert highlight._fold("Café naïve de\u0301tention Мигра́нты") == "Cafe naive detention Мигранты"
    assert highlight._inert("“quoted” — text’s …")
    assert not highlight._inert("café")
    assert not highlight._inert("de\u0301tention")  # a combining mark folds to nothing


def test_paragraphs_mark_every_match():
    analyzer = _analyze("en")
    paragraphs = paragraph_snippets("Refugees’ rights.\n\nNo refugee left.", {"refuge"}, analyzer)
    assert [p.matches for p in paragraphs] == [("Refugees",), ("refugee",)]
    assert [p.text for p in paragraphs] == ["Refugees’ rights.", "No refugee left."]
    page = paragraphs_html(paragraphs)
    assert page == '<p><mark class="hl">Refugees</mark>’ rights.</p>\n<p>No <mark class="hl">refugee</mark> left.</p>'


def test_spans_keep_markup_as_text_and_the_html_escapes_it():
    analyzer = _analyze("en")
    found = snippet('Asylum <script>alert("x")</script> & <b>asylum</b> seekers.', {"asylum"}, analyzer)
    assert found.matches == ("Asylum", "asylum")
    assert "<script>" in found.text and found.to_json()[0] == {"text": "Asylum", "match": True}
    assert Snippet.from_json(found.to_json()) == found
    rendered = str(snippet_html(found))
    assert "<script" not in rendered and "<b>" not in rendered
    assert rendered.startswith('<mark class="hl">Asylum</mark> &lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;')
    crafted = Snippet((Span("</mark><img src=x onerror=alert(1)>", True),))  # a match is text too
    assert str(snippet_html(crafted)) == '<mark class="hl">&lt;/mark&gt;&lt;img src=x onerror=alert(1)&gt;</mark>'


def test_snippets_are_normalized_spans():
    built = Snippet.build([Span("a "), Span(""), Span("b"), Span("c", True), Span("d", True)])
    assert built.spans == (Span("a b"), Span("c", True), Span("d", True))
    assert Snippet.join([Snippet.plain("x"), Snippet.plain("y")], " … ").text == "x … y"
    assert not Snippet() and not Snippet.plain("")
