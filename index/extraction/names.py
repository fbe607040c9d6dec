"""Person names: honorifics, post-nominals, display forms and the facet key that folds case and accents."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from index.text import fold_name

LOGGER = logging.getLogger(__name__)

# Character classes for Latin (with accents) and Cyrillic letters.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
LOWER = "a-zß-öø-ÿā-žа-яёə"

#: ``WORD`` after its first character, an upper-case letter (``(?<=M)`` checks that letter for "Mc").
#: Patterns that match the capital first and the tail after it let the regex engine jump from capital
#: to capital instead of trying every position.
WORD_TAIL = (
    rf"(?:(?<=M)(?:c|ac)[{UPPER}]{{3,}}(?![{LOWER}])|[{LOWER}]+(?:[{UPPER}][{LOWER}]+)?"
    rf"|['’][{UPPER}][{LOWER}]+|['’][{UPPER}]{{2,}}|[{UPPER}]+)"
    rf"(?:-[{UPPER}][{LOWER}{UPPER}]+)*"
)
#: One capitalised name-like word: "Vusal", "O'Connor", "McKim", "Hanson-Young", "MP", "IOM".
WORD = rf"(?:[{UPPER}]{WORD_TAIL})"
#: ``INITIALS`` after the first letter.
INITIALS_TAIL = rf"\.(?:\s?[{UPPER}]\.)*"
#: Initials such as "V.", "J.C.G." or "H.E.".
INITIALS = rf"(?:[{UPPER}]{INITIALS_TAIL})"

HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sir dame hon hon. h.e. prof prof. professor madam mme mme. mx "
    "honourable honorable excellency rev rev. reverend".split()
)
#: Post-nominal letters removed from the end of a name.
POST_NOMINALS = frozenset(
    "mp qc kc sc ao ac am oam mlc mla mhr ph.d phd jr jr. sr sr. b.ec mbe obe cbe kbe dbe frs faiia".split()
)
#: Dotted post-nominals ("M.P.", "Q.C."), never read as a person's initials.
DOTTED_POST_NOMINALS = frozenset("m.p m.p. q.c q.c. m.h.r m.h.r. m.l.c m.l.c. m.l.a m.l.a.".split())
#: Words that make a capitalised phrase a role or title ("Chief", "Minister", "Director General").
ROLE_WORDS = frozenset(
    """minister ministers secretary director director-general general chief president vice deputy prime
    senator ambassador commissioner head chairman chairperson chairwoman chair spokesperson spokesman
    spokeswoman leader member representative envoy rapporteur governor mayor premier treasurer
    attorney-general attorney coordinator counselor counsellor officer adviser advisor executive ceo king
    queen prince princess pope sheikh emir secretary-general under-secretary-general assistant acting
    shadow parliamentary candidate judge justice congressman congresswoman speaker chancellor consul
    administrator manager commander governor-general lieutenant-governor superintendent sen. rep. gov.
    delegate founder chairs coroner ombudsman magistrate registrar auditor-general solicitor-general
    inspector-general президент министр глава председатель премьер губернатор мэр директор посол
    депутат спикер генсек замминистра представитель руководитель начальник заместитель вице-премьер
    пресс-секретарь""".split()
)
#: Capitalised words that are never part of a person's name (institutions, places, calendar, sentence starts).
NOT_NAME = ROLE_WORDS | frozenset(
    """the a an of for and in on at to by with from as this that these those it its our their his her
    immigration migration border protection foreign affairs home interior citizenship multicultural service
    services state states department ministry government opposition party labor labour liberal greens
    democrats house senate parliament council commission office agency organization organisation united
    nations international national federal australian australia commonwealth republic kingdom union
    european asian african american world global regional general assembly session conference summit
    forum committee court police force navy army defence defense security human rights refugee refugees
    asylum detention centre center island islands north south east west new media release statement
    transcript interview speech joint press january february march april may june july august september
    october november december monday tuesday wednesday thursday friday saturday sunday today tomorrow
    yesterday however meanwhile also but if when while after before during since said says according
    mr mrs ms dr sir dame hon professor sen rep gov program programme report development trade treasury
    health education social finance justice affairs public policy institute university school college
    hospital church bank fund foundation trust association network network alliance coalition group
    covid-19 covid un iom who eu unhcr minister's government's abc sbs bbc cnn fox news radio tv
    breakfast program show live question questions answer journalist reporter presenter host ends
    subject subjects topics topic check delivery embargoed embargo page contact contacts email phone
    fax web further information inquiries enquiries office ministerial he she they we i you it then
    there here what why how where who thanks thank well now yes no okay ok look so oh ah sorry please
    republican republicans democrat democratic conservative progressive independent president-elect
    times post journal tribune herald observer daily weekly business day financial morning evening
    telegraph guardian review courier advertiser mail sun age network channel doorstop luncheon dinner
    retired major convention other sacred civil society climate change whip club responsible
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio
    oklahoma oregon pennsylvania rhode tennessee texas utah vermont washington wisconsin wyoming
    sydney melbourne canberra brisbane perth adelaide darwin hobart queensland victoria tasmania
    wales territory christmas manus nauru lombok java bali jakarta geneva brussels london paris
    capitol congress white senator-elect islamic muslim muslims christian christians jewish catholic
    god lord allah chief-of-staff stated continued added asked noted says told replied responded
    explained insisted argued warned concluded wrote tweeted pm однако по он она они это также при для
    риа новости тасс интерфакс рф мид мвд минздрав минздрава минтруд минтруда госдума госдумы правительство
    правительства россия россии москва москвы кремль кремля""".split()
)
#: Lower-case particles that may sit inside a name ("Ursula von der Leyen", "Ban Ki-moon" aside).
PARTICLES = frozenset("de da di do dos das del della van von der den la le bin binti al el ibn ter".split())

_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_LEADING_TITLES = re.compile(
    r"^(?:(?:the|his|her)\s+)?(?:(?:right\s+)?(?:hon(?:ou?rable)?\.?|mr\.?|mrs\.?|ms\.?|dr\.?|sir|dame|"
    r"h\.\s?e\.|prof(?:essor)?\.?|senator|minister|president|madam|mme\.?|excellency|his excellency|"
    r"her excellency)\s+)+",
    re.IGNORECASE,
)
_TRAILING_POSTNOMINALS = re.compile(
    r"(?:[\s,]+(?:MP|QC|KC|SC|AO|AC|AM|OAM|MLC|MLA|MHR|M\.P\.?|Q\.C\.?|M\.H\.R\.?|M\.L\.[CA]\.?|Ph\.?D|"
    r"Jr\.?|Sr\.?|B\.Ec|MBE|OBE|CBE|KBE|DBE|FAIIA))+$"
)
_MC_CAPS = re.compile(rf"Ma?c[{UPPER}]{{3,}}")
_INITIAL_GLUE = re.compile(rf"([{UPPER}]\.)(?=[{UPPER}][{LOWER}])")


@lru_cache(maxsize=65536)
def strip_titles(name: str) -> str:
    """Remove leading honorifics and trailing post-nominals ("the Hon. X Y MP" -> "X Y")."""
    name = _SPACES.sub(" ", name).strip(" ,;:")
    name = _INITIAL_GLUE.sub(r"\1 ", name)
    if " " not in name and "," not in name:
        return name  # one word: a title or post-nominal is only cut where a space or comma sets it off
    previous = None
    while previous != name:
        previous = name
        name = _LEADING_TITLES.sub("", name)
        name = _TRAILING_POSTNOMINALS.sub("", name).strip(" ,")
    return name


def smart_title(word: str) -> str:
    """Title-case one upper-case word, keeping "O'Connor", "McKim" and "Hanson-Young" right."""
    if _MC_CAPS.fullmatch(word):  # "McCLELLAND", "MacKELLAR"
        return word[: word.index("c") + 1] + word[word.index("c") + 1:].capitalize()
    if not word.isupper():
        return word
    parts = re.split(r"([-'’])", word.lower())
    out = []
    for part in parts:
        if part.startswith("mc") and len(part) > 3:
            out.append("Mc" + part[2:].capitalize())
        else:
            out.append(part.capitalize())
    return "".join(out)


@lru_cache(maxsize=65536)
def display_name(name: str) -> str:
    """The display form of a person's name: titles stripped, upper-case words title-cased, one apostrophe
    ("O’Connor" and "O'Connor" are one facet value)."""
    name = strip_titles(name).replace("’", "'").replace("‘", "'")
    words = name.split()
    if any(len(w) > 2 and (w.isupper() or _MC_CAPS.fullmatch(w)) for w in words):
        words = [w if re.fullmatch(INITIALS, w) else smart_title(w) for w in words]
    return " ".join(words)


@lru_cache(maxsize=65536)
def canonical_person_key(name: str) -> str:
    """Person facet key: no titles, case and accents folded ("Vüsal HÜSEYNOV" -> "vusal huseynov")."""
    folded = fold_name(strip_titles(name))
    folded = _NON_WORD.sub(lambda m: "" if m.group() in "'’" else " ", folded)
    return _SPACES.sub(" ", folded).strip()


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """Folded last word of a name, the part shared by "Vusal Huseynov", "V. Huseynov" and "Mr Huseynov"."""
    key = canonical_person_key(name)
    return key.rsplit(" ", 1)[-1] if key else ""


def is_partial(name: str) -> bool:
    """True for a surname alone or initials plus surname ("Huseynov", "V. Huseynov")."""
    words = strip_titles(name).split()
    return len(words) < 2 or all(re.fullmatch(INITIALS, w) for w in words[:-1])


def compatible(partial: str, full: str) -> bool:
    """True when ``partial`` ("V. Huseynov", "Huseynov") can refer to the fuller name ``full``."""
    if surname_key(partial) != surname_key(full) or not surname_key(full):
        return False
    p_words = canonical_person_key(partial).split()
    f_words = canonical_person_key(full).split()
    if len(p_words) == 1:
        return True
    if all(i < len(f_words) - 1 and f_words[i].startswith(w[:1]) for i, w in enumerate(p_words[:-1])):
        return True
    # a first given name left out ("Maria Example" for "Anna Maria Example"): the partial's given names
    # in full and in order among the full name's, skipping only whole given names (not "Ho N." from OCR)
    given = iter(f_words[:-1])
    for word in p_words[:-1]:
        for full in given:
            if full == word:
                break
            if len(full) < 3:
                return False
        else:
            return False
    return True


def is_name_word(word: str) -> bool:
    """True when a capitalised word may be part of a person's name."""
    low = fold_name(word).rstrip(".,")
    if low in NOT_NAME or low in HONORIFICS or low.rstrip("'s’") in NOT_NAME:
        return False
    if word.endswith(("'s", "’s")):
        return False
    return True
