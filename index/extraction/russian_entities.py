"""Countries, organisations and events named in Russian text, in any grammatical case.

Country names come from the Unicode CLDR territory names in Russian (through Babel), with the forms news
writes beside them (США, РФ, Белоруссия); a country is stored under the same English display name as in
English text, so the country facet holds one value per country whatever the language. Russian nouns
decline ("Россия", "России", "Россию", "Россией"), so each word is matched as a stem followed by one of
the case endings. Organisations are a table of the bodies migration news names (МВД, МИД, ООН, ...);
international ones are stored under the acronym English text gives them (ООН -> UN), Russian ones under
their Russian short name. Events: the well-known forums and sessions, and "саммит/форум/сессия" followed
by an organisation's acronym ("саммит ШОС").
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import pycountry
from babel import Locale

from .countries import country_name

LOGGER = logging.getLogger(__name__)

#: Case endings of Russian nouns and adjectives (the stem is the nominative less its final vowel or soft sign).
_ENDINGS = (
    "ого|его|ому|ему|ими|ыми|ами|ями|ией|ией|ия|ии|ию|ей|ой|ою|ею|ом|ем|ам|ям|ах|ях|ая|яя|ое|ее|ые|ие|ую|юю|ый|ий|"
    "а|я|у|ю|е|и|ы|о|ь|й"
)
#: Forms the news uses beside the CLDR names (lower-case key is matched as written) -> ISO alpha-2.
_RU_ALIASES = {
    "США": "US", "Соединенные Штаты Америки": "US", "Америка": "US", "РФ": "RU", "Российская Федерация": "RU",
    "Белоруссия": "BY", "Кыргызстан": "KG", "Молдавия": "MD", "КНР": "CN", "ФРГ": "DE", "Англия": "GB",
    "Британия": "GB", "Соединенное Королевство": "GB", "Южная Корея": "KR", "Северная Корея": "KP",
    "Эмираты": "AE", "Киргизия": "KG", "Таджикистан": "TJ", "Туркмения": "TM", "Туркменистан": "TM",
    "Казахстан": "KZ", "Армения": "AM", "Грузия": "GE", "Азербайджан": "AZ", "Украина": "UA",
    "Палестина": "PS", "Сирия": "SY", "Ливия": "LY", "Конго": "CD", "Чехия": "CZ", "Нидерланды": "NL",
    "Голландия": "NL", "Вьетнам": "VN",
}
#: CLDR names that are also common words or names in Russian text; matched only in the nominative.
_EXACT_ONLY = frozenset({"Чад", "Мали", "Того", "Куба", "Оман", "Нигер", "Перу", "Гана", "Чили", "Фиджи"})
#: Russian abbreviations and names of organisations -> the display value.
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "UN": ("ООН", "Организация Объединенных Наций"),
    "UNHCR": ("УВКБ ООН", "УВКБ", "Управление верховного комиссара ООН по делам беженцев"),
    "IOM": ("МОМ", "Международная организация по миграции"),
    "WHO": ("ВОЗ", "Всемирная организация здравоохранения"),
    "ILO": ("МОТ", "Международная организация труда"),
    "UNICEF": ("ЮНИСЕФ",),
    "EU": ("ЕС", "Евросоюз", "Европейский союз"),
    "NATO": ("НАТО",),
    "OSCE": ("ОБСЕ",),
    "CIS": ("СНГ", "Содружество Независимых Государств"),
    "ICRC": ("МККК", "Международный комитет Красного Креста"),
    "UNGA": ("Генассамблея ООН", "Генеральная Ассамблея ООН"),
    "UNSC": ("СБ ООН", "Совбез ООН", "Совет Безопасности ООН"),
    "МВД": ("МВД", "Министерство внутренних дел"),
    "МИД": ("МИД", "Министерство иностранных дел"),
    "ФМС": ("ФМС", "Федеральная миграционная служба"),
    "ФСБ": ("ФСБ", "Федеральная служба безопасности"),
    "МЧС": ("МЧС",),
    "Минздрав": ("Минздрав", "Министерство здравоохранения"),
    "Минтруд": ("Минтруд", "Министерство труда"),
    "Минобороны": ("Минобороны", "Министерство обороны"),
    "Минобрнауки": ("Минобрнауки", "Минвуз"),
    "Минпросвещения": ("Минпросвещения",),
    "Минэкономразвития": ("Минэкономразвития",),
    "Минюст": ("Минюст", "Министерство юстиции"),
    "Госдума": ("Госдума", "Государственная дума"),
    "Совет Федерации": ("Совет Федерации", "Совфед"),
    "Роспотребнадзор": ("Роспотребнадзор",),
    "Росстат": ("Росстат",),
    "Генпрокуратура": ("Генпрокуратура", "Генеральная прокуратура"),
    "СК": ("Следственный комитет", "СК России", "СКР"),
    "СПЧ": ("СПЧ", "Совет по правам человека"),
    "ФНС": ("ФНС",),
    "Росгвардия": ("Росгвардия",),
    "ОДКБ": ("ОДКБ", "Организация Договора о коллективной безопасности"),
    "ЕАЭС": ("ЕАЭС", "Евразийский экономический союз"),
    "ШОС": ("ШОС", "Шанхайская организация сотрудничества"),
    "БРИКС": ("БРИКС",),
    "Кремль": ("Кремль",),
}
#: Well-known events -> display name.
EVENTS: dict[str, tuple[str, ...]] = {
    "Петербургский международный экономический форум": ("ПМЭФ", "Петербургский международный экономический форум"),
    "Восточный экономический форум": ("ВЭФ", "Восточный экономический форум"),
    "Генеральная Ассамблея ООН": ("Генассамблея ООН", "Генеральная Ассамблея ООН", "сессия Генассамблеи ООН"),
}
#: "саммит ШОС", "форума СНГ", "сессии ОДКБ": a meeting word in any case, then an organisation's acronym.
_MEETING = re.compile(
    r"\b(?P<head>саммит|форум|сесси|заседани|съезд|конференци|совещани)(?:[а-яё]{0,3})\s+"
    r"(?P<org>[А-ЯЁ]{2,6}(?:\s+ООН)?)\b"
)
_HEAD_NOMINATIVE = {"саммит": "саммит", "форум": "форум", "сесси": "сессия", "заседани": "заседание",
                    "съезд": "съезд", "конференци": "конференция", "совещани": "совещание"}


def _stem(word: str) -> str:
    """The part of a word that does not change with its case: "Россия" -> "Росси", "Иран" -> "Иран"."""
    if word.isupper() or len(word) <= 3:
        return word
    if word[-2:] in ("ия", "ая", "ое", "ый", "ий", "ой", "ие", "ые"):
        return word[:-2] if len(word) > 5 else word[:-1]
    if word[-1] in "аяоеиыйь":
        return word[:-1]
    return word


def _inflected(name: str, exact: bool = False) -> str:
    """A regex for a name in any case: every word as its stem plus an optional case ending."""
    words = name.split()
    if exact or name in _EXACT_ONLY:
        return r"\s+".join(re.escape(w) for w in words)
    parts = []
    for word in words:
        stem = _stem(word)
        parts.append(re.escape(word) if stem == word and word.isupper() else rf"{re.escape(stem)}(?:{_ENDINGS})?")
    return r"\s+".join(parts)


def _alternation(table: dict[str, str]) -> re.Pattern[str]:
    r"""What ``(?<![\wЁё])(name|name|...)(?![\wЁё])`` (longest name first) matches, the names grouped by
    their first letter and the look back after it, so that the engine jumps between those letters."""
    by_first: dict[str, list[str]] = {}
    for name in sorted(table, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(_inflected(name))
    branches = []
    for first, patterns in by_first.items():
        escaped = re.escape(first)
        if not all(pattern.startswith(escaped) for pattern in patterns):
            return re.compile(r"(?<![\wЁё])(" + "|".join(
                _inflected(name) for name in sorted(table, key=len, reverse=True)) + r")(?![\wЁё])")
        rests = "|".join(pattern[len(escaped):] for pattern in patterns)
        branches.append(rf"{escaped}(?<![\wЁё]{escaped})(?:{rests})")
    return re.compile("(" + "|".join(branches) + r")(?![\wЁё])")


@lru_cache(maxsize=1)
def _country_table() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """One regex for every Russian country name, and (name regex, alpha-3) pairs to tell which matched."""
    names: dict[str, str] = {}
    for code, name in Locale("ru").territories.items():
        if len(code) != 2 or not code.isalpha():
            continue
        record = pycountry.countries.get(alpha_2=code)
        if record and country_name(record.alpha_3):
            names[name] = record.alpha_3
    for name, code in _RU_ALIASES.items():
        record = pycountry.countries.get(alpha_2=code)
        if record and country_name(record.alpha_3):
            names[name] = record.alpha_3
    names = {name: code for name, code in names.items() if "(" not in name and "," not in name}
    each = [(re.compile(rf"(?:{_inflected(name)})$"), code) for name, code in
            sorted(names.items(), key=lambda item: len(item[0]), reverse=True)]
    return _alternation(names), each


def find_russian_countries(text: str) -> list[str]:
    """English display names of the countries a Russian text names, in order of first mention."""
    pattern, _ = _country_table()
    found: list[str] = []
    for match in pattern.finditer(text):
        code = _country_code(" ".join(match.group(1).split()))
        name = country_name(code) if code else None
        if name and name not in found:
            found.append(name)
    return found


@lru_cache(maxsize=4096)
def _country_code(phrase: str) -> str | None:
    """The alpha-3 code of a country name as a Russian text writes it ("России" -> "RUS")."""
    return next((code for regex, code in _country_table()[1] if regex.match(phrase)), None)


@lru_cache(maxsize=1)
def _organisation_table() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    names = {name: display for display, variants in ORGANISATIONS.items() for name in variants}
    each = [(re.compile(rf"(?:{_inflected(name)})$"), display) for name, display in
            sorted(names.items(), key=lambda item: len(item[0]), reverse=True)]
    return _alternation(names), each


@lru_cache(maxsize=4096)
def _organisation_display(phrase: str) -> str | None:
    return next((display for regex, display in _organisation_table()[1] if regex.match(phrase)), None)


def find_russian_organisations(text: str) -> list[str]:
    """Display values of the organisations a Russian text names ("МВД", "UN" for ООН), first mention first."""
    pattern, _ = _organisation_table()
    found: list[str] = []
    for match in pattern.finditer(text):
        display = _organisation_display(" ".join(match.group(1).split()))
        if display and display not in found:
            found.append(display)
    return found


@lru_cache(maxsize=1)
def _event_patterns() -> list[tuple[str, list[re.Pattern[str]]]]:
    return [(display, [re.compile(_standing_alone(v)) for v in variants]) for display, variants in EVENTS.items()]


def _standing_alone(name: str) -> str:
    r"""``(?<![\wЁё]){_inflected(name)}(?![\wЁё])`` with the look back after the first letter, so that the
    engine jumps between that letter's places (the regex starts with the name's first letter)."""
    pattern, first = _inflected(name), re.escape(name[0])
    if not pattern.startswith(first):
        return rf"(?<![\wЁё]){pattern}(?![\wЁё])"
    return rf"{first}(?<![\wЁё]{first}){pattern[len(first):]}(?![\wЁё])"


def find_russian_events(text: str) -> list[str]:
    """Events a Russian text names: the well-known forums and sessions, and "саммит ШОС"-like meetings."""
    found: list[str] = []
    for display, patterns in _event_patterns():
        if any(pattern.search(text) for pattern in patterns) and display not in found:
            found.append(display)
    for match in _MEETING.finditer(text):
        head = _HEAD_NOMINATIVE[match.group("head")]
        event = f"{head} {' '.join(match.group('org').split())}"
        if event not in found and not any(event.split()[-1] in e for e in found if e.startswith(head)):
            found.append(event)
    return found
