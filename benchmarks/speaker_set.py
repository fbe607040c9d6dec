"""Score extracted speakers against the hand-annotated set (benchmarks/speaker_annotations.jsonl).

The set, its halves and the rules of annotation are described in
benchmarks/speaker-annotation-guidelines.md; ``speaker_sample.py`` chose the releases by hash. Every
release goes through the ingest path (``normalize_record``, language detection, ``extract`` with the
record's metadata). Figures are over (release, person) pairs; the 95 % intervals come from a bootstrap
over releases (1,000 resamples, fixed seed).

Matching is deliberately independent of the extractor's own name keys: surnames must agree after folding
case, accents, apostrophes and hyphens; given names must not disagree (same word, same initial, a known
short form, or one side without one).
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Appended, not put first: PYTHONPATH can point at another checkout to score its code with this script.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from index.extraction import extract  # noqa: E402
from index.inputs.records import normalize_record  # noqa: E402
from index.normalize.language import detect_language  # noqa: E402

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "speaker_annotations.jsonl"
OVERLAP = HERE / "speaker_annotations_overlap.jsonl"
#: The fresh blind set (half "held-out-2"), chosen and annotated after the first; see the guidelines.
FRESH = HERE / "speaker_annotations_fresh.jsonl"
#: The second tuning set (half "tuning-2"), annotated blind after both earlier sets, for fitting rules on.
TUNING2 = HERE / "speaker_annotations_tuning2.jsonl"
#: The third tuning set (half "tuning-3"), annotated blind after the other three, for fitting rules on.
TUNING3 = HERE / "speaker_annotations_tuning3.jsonl"
HALVES = ("tuning", "held-out")

_HONORIFIC = frozenset(
    "mr mrs ms dr sir dame hon the professor prof senator sen his her excellency rt right honourable mp "
    "jr sr qc".split()
)
#: Formal given names and the short forms releases use.
NICKNAMES = {
    "anthony": {"tony"}, "william": {"bill"}, "robert": {"bob", "rob"}, "james": {"jim"},
    "michael": {"mick", "mike"}, "christopher": {"chris"}, "frederick": {"fred"}, "richard": {"dick"},
    "edward": {"ted"}, "thomas": {"tom"}, "joseph": {"joe"}, "stephen": {"steve"}, "andrew": {"andy"},
    "daniel": {"dan"}, "kenneth": {"ken"}, "elizabeth": {"liz"}, "catherine": {"kate"},
    "nicholas": {"nick"}, "alexander": {"alex"}, "philip": {"phil", "phillip"}, "matthew": {"matt"},
    "mitchell": {"mitch"}, "kimberley": {"kim"}, "penelope": {"penny"}, "david": {"dave"},
}
_ROLE_STOP = frozenset("the of for and on in to a an 's mp".split())
#: Particles that belong to the surname in any case: "Richard Di Natale", "Mohamed Ould Cheikh El Ghazouani".
_PARTICLES = frozenset("di de da van von der den la le el al du dos del ter ould".split())


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes dropped, hyphens and dots read as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("ё", "е")
    text = re.sub(r"['’`]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def name_parts(name: str) -> tuple[str, list[str]]:
    """(surname, given names) of a display name: "Sarah Hanson-Young" -> ("hansonyoung", ["sarah"])."""
    raw = [w for w in re.split(r"\s+", name.strip()) if w]
    words = [w for w in raw if fold(w) and fold(w) not in _HONORIFIC]
    if not words:
        return "", []
    surname = fold(words[-1]).replace(" ", "")
    given = [fold(w).replace(" ", "") for w in words[:-1]]
    # "Di Natale", "van Onselen", "El Ghazouani": lower-case particles belong to the surname
    while given and (words[len(given) - 1][:1].islower() or given[-1] in _PARTICLES):
        surname = given.pop() + surname
    return surname, [g for g in given if g]


def same_person(predicted: str, annotated: str) -> bool:
    """True when two display names can be the same person (surname equal, given names not in conflict)."""
    p_surname, p_given = name_parts(predicted)
    a_surname, a_given = name_parts(annotated)
    if not p_surname or p_surname != a_surname:
        return False
    if not p_given or not a_given:
        return True
    shorter, longer = sorted((p_given, a_given), key=len)
    if longer[len(longer) - len(shorter):] == shorter:  # a two-word surname: "Stott Despoja", "Natasha Stott Despoja"
        return True
    p, a = p_given[0], a_given[0]
    if p == a or (len(p) == 1 or len(a) == 1) and p[0] == a[0]:
        return True
    return a in NICKNAMES.get(p, ()) or p in NICKNAMES.get(a, ()) or p.startswith(a) or a.startswith(p)


def role_words(role: str) -> set[str]:
    """Content words of a role, folded."""
    return {w for w in fold(role).split() if w not in _ROLE_STOP}


def role_right(predicted: str | None, annotated: str) -> bool:
    """True when the predicted role shares at least 60 % of its content words with one annotated role."""
    if not predicted:
        return False
    words = role_words(predicted)
    for option in annotated.split(" | "):
        wanted = role_words(option)
        if words and wanted and len(words & wanted) / len(words | wanted) >= 0.6:
            return True
    return False


@dataclass
class Scored:
    """Counts for one release."""

    doc_id: str
    predicted: int = 0
    correct: int = 0
    annotated: int = 0
    found: int = 0
    roles_stated: int = 0
    roles_right: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    bad_roles: list[str] = field(default_factory=list)


def score_release(doc_id: str, predicted: Sequence[tuple[str, str | None]], annotated: Sequence[dict]) -> Scored:
    """Match predicted (name, role) pairs to annotated speakers of one release, one to one."""
    scored = Scored(doc_id, predicted=len(predicted), annotated=len(annotated))
    used: set[int] = set()
    for name, role in predicted:
        match = next(
            (i for i, gold in enumerate(annotated) if i not in used and same_person(name, gold["name"])), None
        )
        if match is None:
            scored.wrong.append(name)
            continue
        used.add(match)
        scored.correct += 1
        gold_role = annotated[match].get("role")
        if gold_role:
            scored.roles_stated += 1
            if role_right(role, gold_role):
                scored.roles_right += 1
            else:
                scored.bad_roles.append(f"{name}: {role!r} for {gold_role!r}")
    scored.found = len(used)
    scored.missed = [gold["name"] for i, gold in enumerate(annotated) if i not in used]
    return scored


def summarize(rows: Sequence[Scored]) -> dict[str, float]:
    """Micro precision, recall and role accuracy of a list of releases."""
    predicted = sum(r.predicted for r in rows)
    annotated = sum(r.annotated for r in rows)
    stated = sum(r.roles_stated for r in rows)
    return {
        "precision": sum(r.correct for r in rows) / predicted if predicted else 0.0,
        "recall": sum(r.found for r in rows) / annotated if annotated else 0.0,
        "role_right": sum(r.roles_right for r in rows) / stated if stated else 0.0,
    }


def bootstrap(rows: Sequence, measure: Callable[[Sequence], dict[str, float]], resamples: int = 1000,
              seed: int = 11) -> dict[str, tuple[float, float]]:
    """95 % percentile intervals of each figure of ``measure``, resampling ``rows`` with replacement."""
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(resamples):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        for key, value in measure(sample).items():
            draws.setdefault(key, []).append(value)
    out = {}
    for key, values in draws.items():
        values.sort()
        out[key] = (values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))])
    return out


def read_annotations(path: Path = ANNOTATIONS) -> list[dict]:
    """The annotated releases, one dict each."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extracted_speakers(record: dict) -> list[tuple[str, str | None]]:
    """(name, role) of the speakers ingest would store for a record."""
    normalized = normalize_record(record)
    language = detect_language(f"{normalized.title}\n{normalized.body}", hint=normalized.language)
    extraction = extract(normalized.title, normalized.body, language=language, metadata=normalized.metadata)
    return [(s.name, s.role) for s in extraction.speakers]


def records_by_id(ids: set[str]) -> dict[str, dict]:
    """The records of the annotated releases, read from the shared corpora."""
    from speaker_sample import CORPORA, read

    found: dict[str, dict] = {}
    for corpus, (path, _) in CORPORA.items():
        if path.exists():
            found.update((r["id"], r) for r in read(corpus) if r["id"] in ids)
    return found


def evaluate(show: int = 0, path: Path = ANNOTATIONS, show_halves: Sequence[str] = ("tuning",)) -> dict[str, dict]:
    """Figures for each half of an annotation file: precision, recall, role accuracy, with bootstrap
    intervals. ``show`` prints that many releases with errors from ``show_halves`` (never tune on a
    held-out half)."""
    annotations = read_annotations(path)
    records = records_by_id({a["id"] for a in annotations})
    halves = list(dict.fromkeys([*(h for h in HALVES if any(a["half"] == h for a in annotations)),
                                 *(a["half"] for a in annotations)]))
    rows: dict[str, list[Scored]] = {half: [] for half in halves}
    for item in annotations:
        record = records.get(item["id"])
        if record is None:
            continue
        rows[item["half"]].append(score_release(item["id"], extracted_speakers(record), item["speakers"]))
    figures: dict[str, dict] = {}
    for half in halves:
        if not rows[half]:
            continue
        summary = summarize(rows[half])
        intervals = bootstrap(rows[half], summarize)
        figures[half] = {
            "releases": len(rows[half]),
            "annotated": sum(r.annotated for r in rows[half]),
            "predicted": sum(r.predicted for r in rows[half]),
            **{key: (value, intervals[key]) for key, value in summary.items()},
        }
    if show:
        for half in show_halves:
            for row in rows.get(half, [])[:show]:
                if row.wrong or row.missed or row.bad_roles:
                    print(f"  {row.doc_id}: wrong={row.wrong} missed={row.missed} roles={row.bad_roles}")
    return figures


def agreement() -> dict[str, float]:
    """Name F1 and role agreement between the first pass and the blind second pass of the overlap."""
    first = {a["id"]: a["speakers"] for a in read_annotations()}
    rows = [
        score_release(item["id"], [(s["name"], s.get("role")) for s in item["speakers"]], first[item["id"]])
        for item in read_annotations(OVERLAP)
        if item["id"] in first
    ]
    summary = summarize(rows)
    p, r = summary["precision"], summary["recall"]
    both_roles = [
        (s_role, g_role)
        for item in read_annotations(OVERLAP)
        for s_name, s_role in ((s["name"], s.get("role")) for s in item["speakers"])
        for g in first.get(item["id"], [])
        if same_person(s_name, g["name"]) and (g_role := g.get("role")) and s_role
    ]
    agree = sum(role_right(a, b) for a, b in both_roles)
    return {
        "releases": len(rows),
        "name_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "role_agreement": agree / len(both_roles) if both_roles else 0.0,
        "roles_compared": len(both_roles),
    }
