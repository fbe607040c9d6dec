"""Russian attribution: «...», — сказал Иван Петров; Иван Петров заявил, что...; по словам Ивана Петрова.

Names after "по словам" are in the genitive; ``nominative`` turns the common endings back ("Ивана
Петрова" -> "Иван Петров", "Ирины Петровой" -> "Ирина Петрова") so both forms are one person.
"""

from __future__ import annotations

import logging
import re

from .people import People

LOGGER = logging.getLogger(__name__)

#: Speech verbs in the past tense, every gender and number, and a few in the present.
RU_VERBS = (
    r"(?:сказал|заявил|отметил|подчеркнул|сообщил|пояснил|добавил|рассказал|уточнил|напомнил|признал|"
    r"призвал|констатировал|заверил|предупредил|ответил|написал|указал|считает|говорит|заявляет|отмечает)"
    r"(?:а|и|о)?"
)
_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_CONTEXT = r"(?:[а-яё][а-яё.-]*,?\s+|[А-ЯЁ]{2,}\s+){0,8}?"
#: «...», — сказал (на брифинге) министр Иван Петров
QUOTE_THEN_VERB = re.compile(
    rf"[«„“\"](?P<quote>[^«»„“”\"]{{8,3000}}?)[»“”\"]\s*,?\s*[—–-]\s*{RU_VERBS}\s+{_CONTEXT}(?P<name>{_NAME})"
)
#: Иван Петров заявил / Иван Петров, глава ведомства, заявил
NAME_THEN_VERB = re.compile(rf"(?P<name>{_NAME_WORD}\s+{_NAME_WORD})\s*(?:,[^,.«»\n]{{1,80}},\s*)?{RU_VERBS}\b")
#: по словам (министра) Ивана Петрова
ACCORDING_TO = re.compile(rf"(?i:по\s+словам|как\s+отметил[аи]?)\s+{_CONTEXT}(?P<name>{_NAME})")
#: Genitive endings and their nominative, longest first.
_GENITIVE = (("ской", "ская"), ("ой", "а"), ("ии", "ия"), ("ея", "ей"), ("ия", "ий"), ("ы", "а"), ("и", "а"))
_CONSONANT_A = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])а$")
#: Capitalised words that are not names: sentence openers, pronouns, roles, agencies and institutions.
_NOT_NAMES = frozenset(
    """однако по в на как он она они оно мы я вы это также при для из после кроме так кроме если когда
    президент министр глава председатель премьер губернатор мэр директор посол депутат спикер генсек
    замминистра представитель руководитель начальник заместитель вице-премьер пресс-секретарь эксперт
    риа новости тасс интерфакс россия россии рф москва москвы мвд мид минздрав минтруд госдума госдумы
    института университета правительство правительства минобороны кремль кремля""".split()
)
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|ич)$")


def nominative(name: str) -> str:
    """Genitive of a Russian personal name back to the nominative, by its endings."""
    words = []
    for word in name.split():
        for ending, replacement in _GENITIVE:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)] + replacement
                break
        else:
            word = _CONSONANT_A.sub("", word) if len(word) > 3 else word
        words.append(word)
    return " ".join(words)


def _person(people: People, name: str, position: int) -> str | None:
    """Key of a person named in Russian; a lone surname only when a fuller name is known."""
    words = name.split()
    if len(words) == 3 and not _PATRONYMIC.search(words[1]):
        words = words[1:]  # "депутат Мосгордумы Алексей Шапошников": the last two words are the name
    if not words or any(word.lower() in _NOT_NAMES for word in words):
        return None
    name = " ".join(words)
    key = people.resolve_name(name, position)
    if key is None and len(words) >= 2:
        key = people.add_person(name, None, position)
    return key


def russian_attributions(people: People, text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Speakers as (position, key) and quotes as (position, key, text) from Russian attribution patterns."""
    speakers: list[tuple[int, str]] = []
    quotes: list[tuple[int, str, str]] = []
    for match in QUOTE_THEN_VERB.finditer(text):
        key = _person(people, match.group("name"), match.start("name"))
        if key:
            speakers.append((match.start("name"), key))
            if len(match.group("quote").split()) >= 4:
                quotes.append((match.start(), key, " ".join(match.group("quote").split())))
    for match in NAME_THEN_VERB.finditer(text):
        key = _person(people, match.group("name"), match.start())
        if key:
            speakers.append((match.start(), key))
    for match in ACCORDING_TO.finditer(text):
        key = _person(people, nominative(match.group("name")), match.start("name"))
        if key:
            speakers.append((match.start("name"), key))
    return sorted(speakers), quotes
