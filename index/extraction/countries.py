"""Countries named in a text: ISO names, common short names, "Republic of X" forms and demonyms."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import pycountry

from .alternation import capitalised_alternation

LOGGER = logging.getLogger(__name__)

#: Display names where the ISO 3166 name is not what English news writes (alpha-3 -> name).
_DISPLAY = {
    "RUS": "Russia", "IRN": "Iran", "KOR": "South Korea", "PRK": "North Korea", "VNM": "Vietnam",
    "SYR": "Syria", "TZA": "Tanzania", "VEN": "Venezuela", "BOL": "Bolivia", "MDA": "Moldova",
    "LAO": "Laos", "FSM": "Micronesia", "PSE": "Palestine", "COD": "DR Congo", "COG": "Congo",
    "VAT": "Vatican City", "TUR": "Turkey", "GBR": "United Kingdom", "USA": "United States",
    "CZE": "Czech Republic", "MKD": "North Macedonia", "TWN": "Taiwan", "BRN": "Brunei",
    "CPV": "Cape Verde", "CIV": "Côte d'Ivoire", "SWZ": "Eswatini", "TLS": "Timor-Leste",
}
#: Other names and spellings (lower-case alias -> alpha-3).
_ALIASES = {
    "the philippines": "PHL", "philippines": "PHL", "britain": "GBR", "great britain": "GBR", "uk": "GBR",
    "u.k.": "GBR", "england": "GBR", "scotland": "GBR", "us": "USA", "u.s.": "USA", "usa": "USA",
    "u.s.a.": "USA", "america": "USA", "united states of america": "USA", "burma": "MMR",
    "ivory coast": "CIV", "east timor": "TLS", "macedonia": "MKD", "swaziland": "SWZ", "russia": "RUS",
    "iran": "IRN", "south korea": "KOR", "north korea": "PRK", "syria": "SYR", "vietnam": "VNM",
    "laos": "LAO", "turkey": "TUR", "türkiye": "TUR", "turkiye": "TUR", "czechia": "CZE",
    "democratic republic of the congo": "COD", "dr congo": "COD", "drc": "COD", "holland": "NLD",
    "the netherlands": "NLD", "the gambia": "GMB", "palestine": "PSE", "moldova": "MDA",
    "bosnia": "BIH", "kosovo": "XKX", "vatican": "VAT", "taiwan": "TWN", "brunei": "BRN",
    "cape verde": "CPV", "the bahamas": "BHS", "sri lanka": "LKA", "papua new guinea": "PNG", "png": "PNG",
}
#: Demonyms and adjectives (lower-case) -> alpha-3; kept to countries common in migration news.
_DEMONYMS = {
    "azerbaijani": "AZE", "afghan": "AFG", "albanian": "ALB", "algerian": "DZA", "american": "USA",
    "argentine": "ARG", "armenian": "ARM", "australian": "AUS", "austrian": "AUT", "bangladeshi": "BGD",
    "belarusian": "BLR", "belgian": "BEL", "bosnian": "BIH", "brazilian": "BRA", "british": "GBR",
    "bulgarian": "BGR", "burmese": "MMR", "cambodian": "KHM", "cameroonian": "CMR", "canadian": "CAN",
    "chilean": "CHL", "chinese": "CHN", "colombian": "COL", "congolese": "COD", "croatian": "HRV",
    "cuban": "CUB", "czech": "CZE", "danish": "DNK", "dutch": "NLD", "ecuadorian": "ECU",
    "egyptian": "EGY", "eritrean": "ERI", "ethiopian": "ETH", "fijian": "FJI", "filipino": "PHL",
    "finnish": "FIN", "french": "FRA", "georgian": "GEO", "german": "DEU", "ghanaian": "GHA",
    "greek": "GRC", "guatemalan": "GTM", "haitian": "HTI", "honduran": "HND", "hungarian": "HUN",
    "indian": "IND", "indonesian": "IDN", "iranian": "IRN", "iraqi": "IRQ", "irish": "IRL",
    "israeli": "ISR", "italian": "ITA", "japanese": "JPN", "jordanian": "JOR", "kazakh": "KAZ",
    "kenyan": "KEN", "kuwaiti": "KWT", "kyrgyz": "KGZ", "lebanese": "LBN", "libyan": "LBY",
    "lithuanian": "LTU", "malaysian": "MYS", "maltese": "MLT", "mexican": "MEX", "moldovan": "MDA",
    "moroccan": "MAR", "nauruan": "NRU", "nepalese": "NPL", "nepali": "NPL", "nigerian": "NGA",
    "norwegian": "NOR", "pakistani": "PAK", "palestinian": "PSE", "peruvian": "PER", "polish": "POL",
    "portuguese": "PRT", "romanian": "ROU", "russian": "RUS", "rwandan": "RWA", "salvadoran": "SLV",
    "saudi": "SAU", "senegalese": "SEN", "serbian": "SRB", "somali": "SOM", "spanish": "ESP",
    "sri lankan": "LKA", "sudanese": "SDN", "south sudanese": "SSD", "swedish": "SWE", "swiss": "CHE",
    "syrian": "SYR", "tajik": "TJK", "tamil": "LKA", "thai": "THA", "tunisian": "TUN", "turkish": "TUR",
    "turkmen": "TKM", "ugandan": "UGA", "ukrainian": "UKR", "uzbek": "UZB", "venezuelan": "VEN",
    "vietnamese": "VNM", "yemeni": "YEM", "zimbabwean": "ZWE", "papua new guinean": "PNG",
}
#: Dependent territories that are places, not countries, in the news this engine reads.
_SKIP = frozenset({"CXR", "NFK", "CCK", "HMD", "UMI", "ATF", "IOT"})
#: Upper-case abbreviations accepted as country names.
_SHORT_CODES = frozenset({"uk", "u.k.", "us", "u.s.", "usa", "u.s.a.", "drc", "png"})
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+\s+$")
#: Names that are also common first names: only counted when not followed by a capitalised word.
_AMBIGUOUS = frozenset({"jordan", "chad", "georgia", "israel", "niger", "guinea", "china"})


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """Lower-case name -> alpha-3, alpha-3 -> display name, and one regex for all names."""
    lookup: dict[str, str] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        if code in _SKIP:
            continue
        name = _DISPLAY.get(code) or getattr(country, "common_name", None) or country.name
        display[code] = name
        for variant in (country.name, getattr(country, "common_name", None),
                        getattr(country, "official_name", None), name):
            if variant and "," not in variant:
                lookup[variant.lower()] = code
        if "," in country.name:  # "Korea, Republic of" -> "Republic of Korea"
            head, tail = (part.strip() for part in country.name.split(",", 1))
            lookup[f"{tail} {head}".lower()] = code
    lookup.update({k: v for k, v in _ALIASES.items() if v in display})
    lookup.update({k: v for k, v in _DEMONYMS.items() if v in display})
    # A capitalised name in any case (longest first), after "the " or alone and not after a word or a dot:
    # (?<![\w.])(?:the\s+)?(?=(?-i:[A-Z]))(?i:names)(?![\w-]), written so that the regex engine jumps
    # from capital to capital. The name is group 1 after "The", else the whole match. (A branch for a
    # lower-case "the" is left out: its name would be the one found at the same capital without it, and
    # it would make the engine stop at every "t".)
    names = capitalised_alternation(lookup, not_after=r"[\w.]", space=r"\s+")
    pattern = re.compile(rf"(?:T(?<![\w.]T)(?i:he)\s+({names})|{names})(?![\w-])")
    return lookup, display, pattern


def _name_span(match: re.Match[str]) -> tuple[int, int]:
    """Where the country name is in a match of ``_tables()``'s pattern."""
    if match.start(1) >= 0:
        return match.span(1)
    return match.span()


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-3 code of a country name, short name, official name or demonym, or None."""
    lookup, _, _ = _tables()
    key = " ".join(name.lower().split())
    if key.startswith("the "):
        key = key[4:]
    return lookup.get(key) or lookup.get("the " + key)


#: Continents and world regions: places that are not countries ("Africa", "the Middle East").
WORLD_REGIONS = frozenset(
    "africa asia europe oceania antarctica arctic america americas eurasia australasia caribbean pacific "
    "balkans sahel scandinavia maghreb levant".split()
) | frozenset(
    ("middle east", "near east", "far east", "latin america", "north america", "south america", "central america",
     "central asia", "south asia", "southeast asia", "south-east asia", "east asia", "west africa", "east africa",
     "north africa", "southern africa", "horn of africa", "sub-saharan africa", "asia pacific", "asia-pacific")
)


def is_country_name(name: str) -> bool:
    """True when ``name`` is a country's name or alias (not a demonym): "Azerbaijan", "the Philippines"."""
    key = " ".join(name.lower().split())
    return key not in _DEMONYMS and country_code(key) is not None


def is_place_name(name: str) -> bool:
    """True when ``name`` is a country or a continent or world region ("Africa", "the Middle East")."""
    key = " ".join(name.lower().split())
    return is_country_name(name) or key.removeprefix("the ") in WORLD_REGIONS


def country_name(code: str) -> str | None:
    """Display name for an alpha-3 code ("AZE" -> "Azerbaijan")."""
    return _tables()[1].get(code.upper())


def resolve_country(value: str) -> str | None:
    """Alpha-3 code of a country name, alias, demonym or ISO 3166 alpha-2/alpha-3 code in any case
    ("Azerbaijani", "AZE", "az", "the Philippines"), or None."""
    value = " ".join(value.split())
    code = country_code(value)
    if code is None and len(value) in (2, 3) and value.isalpha():
        field = "alpha_2" if len(value) == 2 else "alpha_3"
        record = pycountry.countries.get(**{field: value.upper()})
        code = record.alpha_3 if record and record.alpha_3 in _tables()[1] else None
    return code


def country_display(value: str) -> str | None:
    """The display name the extractor stores for a country name, demonym or ISO code ("AZE" ->
    "Azerbaijan"), or None when ``value`` names no country."""
    code = resolve_country(value)
    return country_name(code) if code else None


def country_codes(name: str) -> list[str]:
    """ISO alpha-3 and alpha-2 codes of a stored country name ("Azerbaijan" -> ["AZE", "AZ"])."""
    code = country_code(name)
    record = pycountry.countries.get(alpha_3=code) if code else None
    return [record.alpha_3, record.alpha_2] if record else []


def find_countries(text: str) -> list[str]:
    """Display names of the countries a text names, in order of first mention, without repeats."""
    lookup, display, pattern = _tables()
    found: list[str] = []
    for match in pattern.finditer(text):
        start, end = _name_span(match)
        word = text[start:end]
        if not word[:1].isupper():
            continue
        if word.isupper() and len(word) <= 4 and word.lower() not in _SHORT_CODES:
            continue
        if word == "US" and text[end:end + 1] == "$":
            continue
        key = " ".join(word.lower().split())
        if key in _AMBIGUOUS and (_NAME_AFTER.match(text, end) or _NAME_BEFORE.search(
                text, max(0, start - 30), start)):
            continue
        if key in _DEMONYMS and re.match(r"\s+Ocean", text[end:end + 7]):
            continue
        code = lookup.get(key)
        name = display.get(code) if code else None
        if name and name not in found:
            found.append(name)
    return found
