"""Checks on Russian speaker candidates and roles: a name in the nominative, a role that is an office.

Russian attribution patterns find capitalised pairs around speech verbs; three general signs tell that a
pair is not the speaker's name, and one that a phrase is not a role:

- the given name is in an oblique case ("сказал Татьяне Кукушкиной", "заявил Дональду Трампу": the
  addressee; "Анастасии Ивановой"): nominative given names do not end in -у, -ю, -е, -ы, -ии, -ой;
- the first word is a common word of the release, written in lower case elsewhere in it ("Власти
  Ингушетии", "Мнение Прины", "Центральной Азии");
- a role is a noun phrase around an office word (министр, глава, директор, эксперт...): clauses
  ("слова которой цитирует пресс-служба", "выступая на заседании", "о том") are not roles, and a role
  starts at its office word (with up to two adjectives before it) and stops before another name.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

LOGGER = logging.getLogger(__name__)

#: Endings of a given name in the dative, genitive, prepositional or instrumental, never the nominative.
_OBLIQUE_GIVEN = re.compile(r"(?:[^и]у|ю|е|ы|ии|ой)$")
#: Surnames declined as adjectives, in an oblique case ("Киргизской", "Достоевского").
_OBLIQUE_ADJECTIVE = re.compile(r"(?:ской|цкой|ского|цкого|скому|ским)$")
#: Words that head a Russian role (stems; matched at the start of a lower-case word).
_OFFICE_STEMS = (
    "министр", "замминистр", "вице-", "глав", "замглав", "президент", "председател", "зампред", "директор",
    "замдиректор", "гендиректор", "заместител", "руководител", "начальник", "замначальник", "представител",
    "пресс-секретар", "секретар", "посол", "депутат", "сенатор", "спикер", "губернатор", "мэр", "эксперт",
    "аналитик", "профессор", "доцент", "журналист", "обозревател", "автор", "сотрудник", "специалист",
    "член", "лидер", "премьер", "генсек", "генпрокурор", "прокурор", "уполномоченн", "омбудсмен",
    "заведующ", "завлаб", "корреспондент", "политолог", "экономист", "социолог", "демограф", "адвокат",
    "юрист", "врач", "главврач", "советник", "помощник", "основател", "ректор", "декан", "консул",
    "командующ", "координатор", "партнер", "партнёр", "управляющ", "аудитор", "судья", "атташе",
    "исследовател", "научн", "историк", "писател", "актер", "актёр", "певиц", "певец", "священник",
    "митрополит", "патриарх", "муфтий", "раввин", "понтифик", "папа", "мигрант", "жител", "учител",
    "студент", "волонтер", "волонтёр", "активист", "правозащитник", "глава", "шеф", "канцлер", "король",
    "королев", "принц", "замгенсек", "верховн", "комиссар", "инспектор", "следовател", "ведущ",
)
#: Adverbs built like adjectives ("Ранее министр финансов"): not part of a role.
_ADVERBS = frozenset("ранее позднее более менее далее прежде также тоже".split())
_ADJECTIVE = re.compile(r"^[а-яё-]+(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его)$")
_CLAUSE_OPENERS = frozenset(
    "который которая которое которые которого которой которых что чтобы как где когда если о об слова "
    "он она они оно его ее её их это этот эта по".split()
)
#: Endings of an office word in an oblique case or the plural ("журналистам", "раввинов", "министром",
#: "послу", "президента", "министре"); "глава", "судья", "замглавы", "атташе" are nominative.
_OBLIQUE_OFFICE = re.compile(r"(?:ам|ям|ами|ями|ов|ев|ей|ом|ем|ой|у|ю|а|я|ы|и|е)$")
_NOMINATIVE_EXCEPTIONS = re.compile(r"^(?:глава|судья|папа|атташе|зам[а-яё]+|вице-[а-яё-]+)$")
#: Prefixes of compound offices ("сооснователь", "экс-министр", "IT-директор"), taken off before the stems.
_PREFIX = re.compile(r"^(?:со|экс-|[a-z]{1,4}-)")
#: Endings of occupations ("религиовед", "политолог", "демограф", "экономист").
_OCCUPATION_ENDINGS = ("вед", "лог", "граф", "ист", "ник")


def is_office_word(word: str) -> bool:
    """True for a word that names an office or an occupation in the nominative singular ("министр",
    "глава", "замглавы", "эксперт"; not "журналистам", "министра")."""
    low = word.lower().strip(".,;:«»\"")
    stem = _PREFIX.sub("", low)
    if not (stem.startswith(_OFFICE_STEMS) or low.startswith(_OFFICE_STEMS) or stem.endswith(_OCCUPATION_ENDINGS)):
        return False
    # (participles used as nouns are nominative in -ая/-яя: "заведующая", "управляющая")
    return bool(_NOMINATIVE_EXCEPTIONS.match(low)) or not _OBLIQUE_OFFICE.search(low) or low.endswith(("ая", "яя"))


def oblique_name(name: str) -> bool:
    """True when a Russian two-word name's given name is not in the nominative ("Татьяне Кукушкиной",
    "Дональду Трампу", "Анастасии Ивановой"); foreign given names in -и ("Луиджи") and -а stay."""
    words = name.split()
    if len(words) < 2:
        return False
    return bool(_OBLIQUE_GIVEN.search(words[0].lower()) or _OBLIQUE_ADJECTIVE.search(words[-1].lower()))


@lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![А-ЯЁа-яё-])[а-яё][а-яё-]+", text))


def common_word_name(name: str, text: str) -> bool:
    """True when the first word of a name is written in lower case elsewhere in the release: a common
    word that opens a sentence or a headline ("Власти Ингушетии", "Мнение Прины")."""
    words = name.split()
    return bool(words) and words[0].lower() in _lower_words(text)


def russian_role(phrase: str | None, *, names_end: bool = True) -> str | None:
    """The office in a phrase found around a name, from its office word (with up to two adjectives
    before it) to the end, cut before another capitalised name (unless ``names_end`` is False: the phrase
    is known to end where the name starts, so capitalised pairs in it are bodies, "председатель Совета
    Федерации"); None when the phrase holds no office word or is a clause ("слова которой цитирует",
    "выступая на заседании")."""
    if not phrase:
        return None
    words = phrase.strip(" ,.;:—–-").split()
    if not words or words[0].lower() in _CLAUSE_OPENERS:
        return None
    start = next((i for i, word in enumerate(words) if is_office_word(word)), None)
    if start is None:
        return None
    while start > 0 and start > len(words) - 12 and _ADJECTIVE.match(words[start - 1].lower()) and \
            words[start - 1].lower() not in _CLAUSE_OPENERS | _ADVERBS:
        start -= 1  # "российский посол", "новый глава"
    kept: list[str] = []
    for index in range(start, len(words)):
        word = words[index]
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if names_end and word[:1].isupper() and nxt[:1].isupper() and re.fullmatch(r"[А-ЯЁ][а-яё]+", word) and \
                re.fullmatch(r"[А-ЯЁ][а-яё]+[.,]?", nxt) and index > start:
            break  # "журналист и общественный деятель Фрида Юсуфова": another person
        kept.append(word)
    role = " ".join(kept).strip(" ,.;:")
    return role or None
