"""The main text of a parsed HTML page, without navigation, share bars, related links or captions.

[itemprop=articleBody], <article> or <main> when they hold the text, else the block with the best
text/link-density score (readability-style); widened to the ancestor when the article continues in
sibling blocks; then link lists, their headings, captions and date stamps are left out.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Declaration, NavigableString, ProcessingInstruction, Tag

from index.extraction.dates import parse_date
from index.normalize.html_meta import squash

__all__ = ["extract_main_text"]

_DROP_TAGS = frozenset((
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video",
    "audio", "map", "head", "nav", "aside", "footer", "menu", "dialog", "button", "input", "select",
    "textarea", "label", "option", "link", "meta", "picture", "source", "figcaption",
))
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody", "h1", "h2", "h3", "h4", "h5", "h6",
    "figure", "figcaption", "form", "fieldset", "address", "hr", "center", "details", "summary", "body",
))
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "td", "dd"))
_BOILERPLATE_RE = re.compile(
    r"(?:^|[^a-z0-9])(?:"
    r"nav|navbar|navigation|menu|menus|submenu|topbar|masthead|breadcrumbs?|footer|site-?header|"
    r"cookies?|consent|gdpr|share|sharing|sharebar|social|socials|sidebar|side-?bar|related|"
    r"recommended|recirc|more-?stories|read-?more|read-?next|comments?|disqus|newsletter|subscribe|"
    r"subscription|signup|sign-up|advert|advertisement|ad|ads|adslot|ad-?slot|ad-?container|dfp|"
    r"sponsored?|outbrain|taboola|popular|trending|most-?read|pagination|pager|"
    r"tag-?list|toolbar|author-?bio|jump-?link|inline-?related"
    r")(?:$|[^a-z0-9])"
)
# Weaker hints: only small elements carrying them are dropped.
_WEAK_BOILERPLATE_RE = re.compile(
    r"(?:^|[^a-z0-9])(?:widget|modal|popup|overlay|banner|promo|promoted|tags|print|skip|login|hidden|"
    r"visually-?hidden|sr-only|screen-?reader|byline|caption|credit|meta|subscribe)(?:$|[^a-z0-9])"
    r"|caption"  # also inside a name: 'newsCaption', 'photocaption', 'wp-caption-text'
)
_KEEP_RE = re.compile(r"(?:^|[^a-z0-9])(?:article-?body|story-?body|post-?body|entry-?content|"
                      r"article-?content|post-?content|articlebody|main-?content)(?:$|[^a-z0-9])")
# Embedded posts quoted in an article (Twitter's and Instagram's embed markup).
_EMBED_RE = re.compile(r"(?:^|\s)(?:twitter-tweet|instagram-media|tiktok-embed)(?:$|\s)")
_ROLES_DROPPED = frozenset(("navigation", "banner", "contentinfo", "complementary", "menu", "menubar",
                            "search", "dialog", "alert", "toolbar", "tablist"))
_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_NEWLINE_WS_RE = re.compile(r"\s*\n\s*")
# "Published 4:00 am CST, Wednesday, November 20, 2019", "UPDATED: 10:43, Tue, Nov 19, 2019 | ...".
_STAMP_RE = re.compile(r"^(?:first |last )?(?:published|updated|posted|modified)\b(?=.*(?:\d:\d\d|\b(?:19|20)\d\d\b))",
                       re.I)
# Gallery counters: "Image 1 of 5", "Photo 3/12".
_COUNTER_RE = re.compile(r"^(?:image|photo|picture|slide)\s+\d+\s*(?:of|/)\s*\d+$", re.I)
# Sign-offs after the article: contact addresses and calls to subscribe or follow.
_SIGN_OFF_RE = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}|\bsubscribe\b|\bnewsletters?\b|\bsign up\b|"
                          r"\bfollow (?:us|him|her|me|them)\b", re.I)
_PARA_BREAK = "\x00P"
_LINE_BREAK = "\x00L"


def _attr_text(tag: Tag) -> str:
    values = []
    for name in ("class", "id"):
        value = tag.get(name)
        if isinstance(value, list):
            values.extend(value)
        elif isinstance(value, str):
            values.append(value)
    return " ".join(values).lower()


def _decomposed(tag: Tag) -> bool:
    """``tag.decomposed``, cheaply: on a live tag bs4 answers it by searching the whole subtree for a
    child tag named "_decomposed" (attribute access falls back to ``find``)."""
    return bool(vars(tag).get("_decomposed", False))


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style))


def _boilerplate_strength(tag: Tag) -> int:
    """2 for navigation, footer, cookie, share, related-links, comment or advert elements, 1 for
    weaker hints (widgets, captions, hidden helpers), 0 otherwise."""
    role = tag.get("role")
    if isinstance(role, str) and role.lower() in _ROLES_DROPPED:
        return 2
    if _is_hidden(tag):
        return 2
    attrs = _attr_text(tag)
    if not attrs or _KEEP_RE.search(attrs):
        return 0
    if _BOILERPLATE_RE.search(attrs):
        return 2
    return 1 if _WEAK_BOILERPLATE_RE.search(attrs) else 0


def _text_len(tag: Tag) -> int:
    return len(squash(tag.get_text(" ")))


def _paragraph_text_len(tag: Tag) -> int:
    return sum(len(squash(p.get_text(" "))) for p in tag.find_all("p"))


def _link_density(tag: Tag, text_len: int | None = None) -> float:
    total = _text_len(tag) if text_len is None else text_len
    if not total:
        return 0.0
    linked = sum(len(squash(a.get_text(" "))) for a in tag.find_all("a"))
    return min(1.0, linked / total)


def _tags(root: Tag) -> list[Tag]:
    """Every tag under ``root`` in document order: ``find_all(True)`` without bs4's per-tag filter."""
    return [node for node in root.descendants if isinstance(node, Tag)]


def _remove_junk(soup: BeautifulSoup, *, by_attributes: bool = True) -> None:
    """Drop scripts, comments, navigation and (when ``by_attributes``) elements whose role, class or
    id name them boilerplate, in place."""
    junk = (Comment, Declaration, ProcessingInstruction)
    for node in [node for node in soup.descendants if isinstance(node, junk)]:
        node.extract()
    for tag in [tag for tag in _tags(soup) if tag.name in _DROP_TAGS]:
        if not _decomposed(tag):  # (one inside another dropped tag is gone already)
            tag.decompose()
    if not by_attributes:
        return
    protected = {id(t) for t in soup.find_all(attrs={"itemprop": "articleBody"})}
    for quote in soup.find_all("blockquote", class_=_EMBED_RE):
        # The post and its wrappers ('social-media-embed'), not the page columns further up.
        protected.update(id(t) for t in (quote, quote.parent, quote.parent and quote.parent.parent) if t)
    total = max(1, _paragraph_text_len(soup))
    for tag in _tags(soup):
        if _decomposed(tag) or tag.name in ("html", "body", "main", "article") or id(tag) in protected:
            continue
        strength = _boilerplate_strength(tag)
        if not strength:
            continue
        # A wrapper named e.g. 'widget blog' or 'modal-enabled' that holds the article is not boilerplate.
        if strength == 1 and _text_len(tag) > 300:
            continue
        if strength == 2 and _paragraph_text_len(tag) > 0.4 * total:
            continue
        tag.decompose()


def _own_text_len(tag: Tag) -> int:
    return sum(len(str(c).strip()) for c in tag.children if isinstance(c, NavigableString)
               and not isinstance(c, (Comment, Declaration, ProcessingInstruction)))


def _best_candidate(soup: Tag) -> Tag | None:
    """The element whose paragraphs carry the most text (readability-style scoring on text length,
    discounted by link density, with a bonus for article-body markup)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for para in soup.find_all(_PARAGRAPH_TAGS | {"div", "span", "font"}):
        if para.name in ("div", "span", "font") and _own_text_len(para) < 80:
            continue
        text = squash(para.get_text(" "))
        if len(text) < 25:
            continue
        density = _link_density(para, len(text))
        if density > 0.5:
            continue
        score = len(text) * (1 - density) + 20 * text.count(", ")
        parent = para.parent
        for level in range(3):
            if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
                break
            key = id(parent)
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score / (1 if level == 0 else 2 * level)
            parent = parent.parent
    if not scores:
        return None

    def final(key: int) -> float:
        node = nodes[key]
        bonus = 1.5 if node.get("itemprop") == "articleBody" or _KEEP_RE.search(_attr_text(node)) else 1.0
        return scores[key] * bonus * (1 - _link_density(node))

    return nodes[max(scores, key=final)]


def _main_node(soup: BeautifulSoup) -> Tag | None:
    """[itemprop=articleBody], <article> or <main> when they hold the text, else the best-scoring block."""
    body = soup.body or soup
    best = _best_candidate(body)
    best_len = _text_len(best) if best is not None else 0
    for selector in ({"itemprop": "articleBody"},):
        found = [t for t in body.find_all(attrs=selector) if isinstance(t, Tag)]
        if found:
            tag = max(found, key=_text_len)
            if _text_len(tag) >= min(200, 0.5 * best_len):
                return tag
    for name in ("article", "main"):
        found = body.find_all(name)
        if found:
            tag = max(found, key=_text_len)
            if _text_len(tag) >= 0.7 * best_len and (best is None or tag is best or best in tag.descendants
                                                     or tag in best.parents):
                return tag
    return best or body


def _prose_len(tag: Tag) -> int:
    """Characters in the paragraphs in ``tag`` (itself included) that read as prose: long enough,
    few links."""
    total = 0
    paras = tag.find_all(_PARAGRAPH_TAGS)
    if tag.name in _PARAGRAPH_TAGS:
        paras.append(tag)
    for para in paras:
        if para.find(_PARAGRAPH_TAGS) is not None:
            continue
        length = _text_len(para)
        if length >= 40 and _link_density(para, length) < 0.3:
            total += length
    return total


def _widen(node: Tag) -> Tag:
    """An ancestor of ``node`` when the article continues in sibling blocks: climb while what an
    ancestor adds is mostly prose paragraphs (an article split around pull quotes or images), and at
    least half as much as already found (a short 'About us' block beside a release stays out)."""
    current, good = node, _prose_len(node)
    child, parent = node, node.parent
    while isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]"):
        others = [c for c in parent.children if c is not child]
        extra_all = sum(len(squash(c.get_text(" ") if isinstance(c, Tag) else str(c))) for c in others)
        if extra_all > 0:
            extra_good = sum(_prose_len(c) for c in others if isinstance(c, Tag))
            if extra_good < 0.7 * extra_all or extra_good < 0.5 * good:
                break
            current, good = parent, good + extra_good
        child, parent = parent, parent.parent
    return current


def _is_label(text: str) -> bool:
    """Short text that is not a sentence: a heading such as 'Related stories' or 'DON'T MISS'."""
    return 0 < len(text) < 40 and text[-1] not in ".!?\"”»"


def _every_item_linked(tag: Tag) -> bool:
    """A list of three or more items that each carry a link: 'More stories' with a teaser line each."""
    if tag.name not in ("ul", "ol"):
        return False
    items = tag.find_all("li", recursive=False)
    return len(items) >= 3 and all(item.find("a") is not None for item in items)


def _strip_link_lists(root: Tag) -> None:
    """Remove lists and blocks that are mostly links (related articles, tag clouds)."""
    for tag in root.find_all(["ul", "ol", "div", "section", "table", "p"]):
        if _decomposed(tag):
            continue
        length = _text_len(tag)
        if length == 0:
            if tag.find("img") is None:
                tag.decompose()
            continue
        density = _link_density(tag, length)
        if (density > 0.6 or (density > 0.4 and _every_item_linked(tag))) and length < 1500:
            label = tag.find_previous_sibling(True)
            if label is not None and label.find("a") is None and _is_label(squash(label.get_text(" "))):
                label.decompose()  # its heading: 'Related stories', 'DON'T MISS'
            tag.decompose()


def _render(root: Tag, stamps: list[str] | None = None) -> str:
    """Text of ``root`` with blank lines between block elements and single newlines for <br>."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, Tag):
            if node.name in _BLOCK_TAGS:
                parts.append(_PARA_BREAK)
            if closing:
                continue
            if node.name == "br":
                parts.append(_LINE_BREAK)
                continue
            if node.name in ("h1", "img"):
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, (Comment, Declaration,
                                                                         ProcessingInstruction)):
            parts.append(str(node))
    paragraphs = []
    for block in "".join(parts).split(_PARA_BREAK):
        lines = [_WS_RE.sub(" ", _NEWLINE_WS_RE.sub(" ", line)).strip() for line in block.split(_LINE_BREAK)]
        text = "\n".join(line for line in lines if line)
        # A line that is only a date or a byline stamp is page furniture, not article text.
        if text and ((len(text) < 40 and parse_date(text) is not None)
                     or (len(text) < 100 and _STAMP_RE.match(text))):
            if stamps is not None:
                stamps.append(text)
        elif text and not _COUNTER_RE.match(text):
            paragraphs.append(text)
    while len(paragraphs) > 3 and len(paragraphs[-1]) < 300 and _SIGN_OFF_RE.search(paragraphs[-1]):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def extract_main_text(
    soup: BeautifulSoup, *, by_attributes: bool = True, stamps: list[str] | None = None
) -> str:
    """The main text of a parsed page (modifies the tree): boilerplate removed, paragraphs kept.
    Short lines that are only a date are left out of the text and appended to ``stamps``."""
    _remove_junk(soup, by_attributes=by_attributes)
    root = _main_node(soup)
    if root is None:
        return ""
    root = _widen(root)
    _strip_link_lists(root)
    return _render(root, stamps)
