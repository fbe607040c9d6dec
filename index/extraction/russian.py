"""Russian attribution: «...», — сказал Иван Петров; Иван Петров заявил, что...; по словам Ивана Петрова.

Names after "по словам" are in the genitive; ``nominative`` turns the common endings back ("Ивана
Петрова" -> "Иван Петров", "Ирины Петровой" -> "Ирина Петрова") so both forms are one person.
"""

from __future__ import annotations

import logging
import re

from .people import People
from .russian_checks import common_word_name, oblique_name, russian_role

LOGGER = logging.getLogger(__name__)

#: Speech verbs in the past tense, every gender and number, and a few in the present.
RU_VERBS = (
    r"(?:сказал|заявил|отметил|подчеркнул|сообщил|пояснил|добавил|рассказал|уточнил|напомнил|признал|"
    r"призвал|констатировал|заверил|предупредил|ответил|написал|указал|заметил|прокомментировал|объяснил|"
    r"считает|говорит|заявляет|отмечает|полагает|объясняет|предупреждает|заключает|рассуждает|сообщает|"
    r"подчеркивает|поясняет|добавляет|уточняет|напоминает|отвечает|признает|утверждает|пишет|"
    r"заявлял|отмечал|говорил|подчеркивал|сообщал|указывал|утверждал|настаивал)"
    r"(?:а|и|о)?"
)
#: Words that open a circumstance between a verb and a name ("на брифинге", "в эфире телеканала"), not a role.
_CIRCUMSTANCE = frozenset("в во на с со по для при журналистам агентству изданию телеканалу газете радио".split())
_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
#: A name is not followed by a lower-case noun and another capitalised word: "секретарь Ватикана кардинал
#: Пьетро Паролин" holds the name at its end (prepositions may follow a name: "Иван Петров в Москве").
#: Lower-case particles inside a name: "Урсула фон дер Ляйен", "Ахмед бин Салман".
_PARTICLES = r"(?:\s+(?:фон|дер|де|ван|ди|да|ле|ла|аль|эль|бен|бин|ибн)){0,2}"
_PARTICLE_WORDS = frozenset("фон дер де ван ди да ле ла аль эль бен бин ибн".split())
_NAME = (rf"{_NAME_WORD}(?:{_PARTICLES}\s+{_NAME_WORD}){{0,2}}"
         r"\b(?!\s+(?!(?:в|во|на|с|со|по|для|при|из|к|у|о|об|и|а)\s)[а-яё-]+\s+[А-ЯЁ])")
#: Words between a speech verb and the name ("на брифинге министр"): lower-case words (a full stop only
#: inside one or after an abbreviation of up to four letters, "зам.", "т.е.": "пояснил понтифик. Орбан"
#: is a sentence that ends, not a role), acronyms, and capitalised words before a lower-case one.
_CONTEXT = (r"(?:(?:[а-яё][а-яё-]{0,3}\.|[а-яё][а-яё-]*(?:\.[а-яё][а-яё-]*)*),?\s+|[А-ЯЁ]{2,}\s+|"
            r"[А-ЯЁ][а-яё]+\s+(?=[а-яё])){0,8}?")
#: «...», — сказал (на брифинге) министр Иван Петров
QUOTE_THEN_VERB = re.compile(
    rf"[«„“\"](?P<quote>[^«»„“”\"]{{8,3000}}?)[»“”\"]\s*,?\s*[—–-]\s*{RU_VERBS}\s+{_CONTEXT}(?P<name>{_NAME})"
)
#: Иван Петров заявил / Иван Петров, глава ведомства, заявил / Иван Петров — глава ведомства — заявил
NAME_THEN_VERB = re.compile(
    rf"(?P<name>{_NAME_WORD}{_PARTICLES}\s+{_NAME_WORD})\s*(?:[,—–]\s*(?P<appos>[^,.«»\n—–]{{1,80}}?)\s*[,—–]\s*)?"
    rf"(?:(?:и\s+)?(?:вовсе|также|уже|еще|ещё|тогда|ранее|вчера|сегодня)\s+)?{RU_VERBS}\b"
)
#: (, —) сообщил министр науки Иван Петров: a verb, then the context, then the name (no quote before it)
#: (not a plural verb: "сообщили ... из стран Ближнего Востока" has no one person after it)
VERB_THEN_NAME = re.compile(
    rf"(?:^|[,.:;—–-]\s*|\s)(?P<verb>{RU_VERBS}(?<!и))\s+(?P<context>{_CONTEXT})(?P<name>{_NAME})")
#: Иван Петров, глава ведомства. : the role in an apposition after a name
_APPOSITION_AFTER = re.compile(r"\s*,\s*(?P<role>(?:[а-яё]|[A-Z]{2,}-[а-яё])[^.;:\n]{2,120}?)(?=\s*(?:[.;:,]|$))")
#: "Фадеев: люди не уедут из малых городов": a headline that opens with the speaker's name
_HEADLINE = re.compile(rf"\A\s*(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)\s*:\s")
#: "Беседовал Дмитрий Горностаев": the interviewer of an interview
_INTERVIEWER = re.compile(rf"\b[Бб]еседовал[аи]?\s+(?P<name>{_NAME_WORD}\s+{_NAME_WORD})")
#: A name right after the capitalised words a pattern took for one, with only acronyms between: those
#: words were a body or a place in the genitive ("Совета Федерации РФ Валентина Петренко").
_NAME_AFTER_BODY = re.compile(rf"\s+(?:[А-ЯЁ]{{2,}}\s+)*(?P<name>{_NAME_WORD}\s+{_NAME_WORD})\b(?!\s+[А-ЯЁ])")
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
            if word.endswith(ending) and len(word) >= len(ending) + 2:  # ("Юрия" -> "Юрий")
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
    core = " ".join(word for word in words if word not in _PARTICLE_WORDS)  # "Урсула Ляйен" is checked
    if oblique_name(core) or common_word_name(core, people.text):
        return None  # "сказал Татьяне Кукушкиной" (the addressee), "Власти Ингушетии"
    key = people.resolve_name(name, position)
    if key is None and len(words) >= 2:
        key = people.add_person(name, None, position)
    return key


def _role_before(context: str) -> str | None:
    """The lower-case words right before a name at the end of ``context`` ("— сказал министр")."""
    last = None
    for last in re.finditer(rf"{RU_VERBS}\s", context):  # noqa: B007 (the last verb is wanted)
        pass
    return context_role(context[last.end():]) if last else None


_SENTENCE_ROLE = re.compile(r"(?:^|[.!?]\s+|\n)(?P<role>[А-ЯЁ][а-яё-]+(?:\s+[а-яё-]+){0,3})\s+$")


def _role_at_sentence_start(people: People, key: str, text: str) -> str | None:
    """"Вице-премьер Дмитрий Чернышенко отвечает ...": a role word opening the sentence before the name."""
    from .names import ROLE_WORDS

    person = people.persons[key]
    for position in (person.mentions or [person.first])[:3]:
        match = _SENTENCE_ROLE.search(text, max(0, position - 80), position)
        if match and match.group("role").split()[0].lower() in ROLE_WORDS:
            return match.group("role")
    return None


#: Where the words right before a name stop being about it: punctuation that ends a clause, a quotation
#: mark, a dash, or a speech verb.
_CLAUSE_BREAK = re.compile(rf"[.!?;:«»\"“”„()—–]|\b{RU_VERBS}\b")


def _role_right_before(people: People, key: str, text: str) -> str | None:
    """The office written right before a name in the same clause: "Руководитель секции ассоциации
    генерал-лейтенант Иван Петров рассказал" -> "Руководитель секции ассоциации генерал-лейтенант"."""
    person = people.persons[key]
    first = person.name.split()[0]
    for position in (person.mentions or [person.first])[:3]:
        found = text.find(first, position, position + 80)
        position = found if found >= 0 else position
        window = text[max(0, position - 160): position]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        window = window[breaks[-1].end():] if breaks else window
        if not window.strip() or window.rstrip()[-1:] in ",":
            continue
        role = russian_role(window, names_end=False)
        if role and window.rstrip().endswith(role.split()[-1]):
            return role
    return None


def context_role(context: str) -> str | None:
    """The role in the words between a speech verb and a name: "на брифинге глава ведомства" -> "глава
    ведомства"; circumstances ("на брифинге", "в эфире телеканала") are left out."""
    words = context.split()
    while words and words[0].lower() in _CIRCUMSTANCE:
        words = words[2:]  # the preposition and its object
    role = " ".join(words).strip(" ,")
    return role if role and len(words) <= 10 and not role.lower().startswith(("что", "и ", "а ")) else None


def _set_role(people: People, key: str, role: str | None, *, names_end: bool = True) -> None:
    role = russian_role(role, names_end=names_end)
    if role and not people.persons[key].role:
        people.persons[key].role = role


def _apposition_after(text: str, end: int) -> str | None:
    match = _APPOSITION_AFTER.match(text, end, end + 160)
    return match.group("role").strip() if match else None


def russian_attributions(people: People, text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Speakers as (position, key) and quotes as (position, key, text) from Russian attribution patterns;
    roles from the words around the name ("сообщила глава Роспотребнадзора Анна Попова", "Иван Петров,
    директор компании")."""
    speakers: list[tuple[int, str]] = []
    quotes: list[tuple[int, str, str]] = []
    for match in QUOTE_THEN_VERB.finditer(text):
        key = _person(people, match.group("name"), match.start("name"))
        if key:
            speakers.append((match.start("name"), key))
            context = text[match.end() - len(match.group("name")) - 200: match.start("name")]
            _set_role(people, key, _apposition_after(text, match.end("name")) or _role_before(context))
            if len(match.group("quote").split()) >= 4:
                quotes.append((match.start(), key, " ".join(match.group("quote").split())))
    for match in VERB_THEN_NAME.finditer(text):
        name, name_start = match.group("name"), match.start("name")
        later = _NAME_AFTER_BODY.match(text, match.end("name"))
        if later:  # "заявила председатель Совета Федерации РФ Валентина Петренко": the body, then the name
            name, name_start = later.group("name"), later.start("name")
        key = _person(people, name, name_start)
        if key:
            speakers.append((name_start, key))
            between = text[match.end("verb"): name_start]
            first = people.persons[key].name.split()[0]
            dropped = name.find(first)
            between += name[:dropped] if dropped > 0 else ""
            appos = _apposition_after(text, (later or match).end("name"))
            _set_role(people, key, appos or context_role(between), names_end=not later and not appos)
    for match in NAME_THEN_VERB.finditer(text):
        key = _person(people, match.group("name"), match.start())
        if key:
            speakers.append((match.start(), key))
            appos = match.group("appos")
            _set_role(people, key, appos.strip() if appos and appos[:1].islower() else None)
    for key in {key for _, key in speakers}:
        if not people.persons[key].role:
            _set_role(people, key, _role_at_sentence_start(people, key, text))
        if not people.persons[key].role:
            _set_role(people, key, _role_right_before(people, key, text), names_end=False)
    for pattern in (_HEADLINE, _INTERVIEWER):
        match = pattern.search(text)
        if match:
            name = match.group("name")
            key = people.resolve_name(name, match.start("name")) if " " not in name else _person(
                people, name, match.start("name"))
            if key:
                speakers.append((match.start("name"), key))
    for match in ACCORDING_TO.finditer(text):
        key = _person(people, nominative(match.group("name")), match.start("name"))
        if key:
            speakers.append((match.start("name"), key))
    return sorted(speakers), quotes
