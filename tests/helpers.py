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
