"""Helpers shared by the tests (paths, real documents, the shared corpora), imported as ``helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_2d8ed2f096a8f8af.txt"
SHARED_DATA = SHARED / "data"


def processed_documents(paths: list[str], mapping: dict | None = None, limit: int | None = None) -> list:
    """Documents normalized and extracted from real inputs (inputs with no text left out)."""
    from itertools import islice

    from index.inputs.raw import iter_inputs
    from index.normalize.entry import RejectedInput, process

    documents = []
    for item in islice(iter_inputs(paths), limit):
        if hasattr(item, "data"):
            try:
                documents.append(process(item, mapping=mapping))
            except RejectedInput:  # empty records: nothing to index
                continue
    return documents


def shared_path(relative: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora are only on the developers' machines")
    return path


#: Releases where who said what matters: quotes by one person, another's quote on the same word, and a
#: person named without a quote (quote-first search and the engine parity tests).
QUOTE_RELEASES = {
    # Bowen talks about detention; Morrison about jobs.
    "bowen_detention.txt": (
        "Minister visits processing centre\n\n"
        "The Minister for Immigration, Chris Bowen, visited the centre on Monday.\n\n"
        '"We will keep children out of detention wherever we can," Mr Bowen said.\n\n'
        '"Our economy creates jobs for everyone willing to work," Scott Morrison said.\n'
    ),
    # Bowen talks about jobs; another person's quote mentions detention.
    "bowen_jobs.txt": (
        "Skills and the migration program\n\n"
        '"Skilled migrants fill the jobs our regions need," Chris Bowen said.\n\n'
        'Sarah Hanson-Young said: "Mandatory detention harms children and must end now."\n'
    ),
    # Detention is quoted by nobody: Bowen is named and detention is in the body only.
    "bowen_named.txt": (
        "Opposition questions the policy\n\n"
        "Chris Bowen announced a review of detention centres last week.\n\n"
        '"The review is too little and too late for the families," Scott Morrison said.\n'
    ),
}
