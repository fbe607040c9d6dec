"""Direct quotes and their attribution."""

from __future__ import annotations

from index.extraction import extract


def _quotes(body: str) -> set[tuple[str, str]]:
    return {(q.speaker, q.text) for q in extract("", body).quotes}


def test_quote_then_name_said():
    body = 'Jane Doe is the new director. "We will open two new offices next year," Ms Doe said.'
    assert _quotes(body) == {("Jane Doe", "We will open two new offices next year")}


def test_name_said_colon_quote_and_said_name():
    body = (
        'Minister Maria Lopez said: "Migration is a part of our shared history." '
        '"Nobody should be left behind in this process," said Ms Lopez.'
    )
    assert _quotes(body) == {
        ("Maria Lopez", "Migration is a part of our shared history."),
        ("Maria Lopez", "Nobody should be left behind in this process"),
    }


def test_pronoun_resolves_to_last_named_speaker():
    body = (
        "Peter Dutton said the boats had stopped.\n\n"
        "\u201cThe policy is working and it will stay in place,\u201d he said."
    )
    assert _quotes(body) == {("Peter Dutton", "The policy is working and it will stay in place")}


def test_single_quotes_and_apostrophes():
    body = (
        "The Minister, Gary Hardgrave, said today the contract was signed.\n\n"
        "'This contract will help the Government's clients in the Territory,' Mr Hardgrave said."
    )
    quote = "This contract will help the Government's clients in the Territory"
    assert _quotes(body) == {("Gary Hardgrave", quote)}


def test_guillemets():
    body = "Ivan Petrov said: «We expect more migrants to arrive this spring season»."
    assert ("Ivan Petrov", "We expect more migrants to arrive this spring season") in _quotes(body)


def test_short_or_unattributed_quotes_are_dropped():
    body = 'A session on "The impact of COVID-19 on borders and mobility" opened. A "big" day, said Mr Smith.'
    assert _quotes(body) == set()
