"""schemathesis against ``/api/v1/openapi.json``, in-process: no server errors, no schema violations.

Both generation modes run for every operation: valid requests must be answered as documented (2xx
and a body that fits the schema), invalid ones must be refused with a documented 4xx. The number
of examples is bounded so the test stays quick.
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (pip install schemathesis): the API is not fuzzed"
)
from hypothesis import HealthCheck, given, settings  # noqa: E402 - only when schemathesis is present
from schemathesis.generation.modes import GenerationMode  # noqa: E402

from search.request import QueryError, parse_date_param  # noqa: E402
from web import create_app, openapi  # noqa: E402
from web.services import get_service  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "30"))
OPERATIONS = sorted(openapi.build_spec()["paths"])


def dates_are_real_and_ordered(query: dict) -> bool:
    """What a JSON schema cannot say: dates exist (no 30 February) and ``from`` is not after ``to``."""
    try:
        start = parse_date_param("from", str(query.get("from", "")))
        end = parse_date_param("to", str(query.get("to", "")), end=True)
    except QueryError:
        return False
    return not (start and end and start > end)


@pytest.fixture(scope="module")
def api_schema(web_data_dir):
    """The OpenAPI document as served by an app over the shared web data directory."""
    app = create_app({"TESTING": True, "DATA_DIR": str(web_data_dir)})
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    get_service(app).close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("path", OPERATIONS)
def test_api_conforms_to_its_openapi_document(api_schema, path, mode):
    """Every generated request gets a documented status and a body that fits the schema."""
    operation = api_schema[path]["GET"]
    if mode is GenerationMode.NEGATIVE and not operation.query:
        pytest.skip(f"{path} takes no parameters, so no request can violate its schema")
    strategy = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.POSITIVE:
        strategy = strategy.filter(lambda case: dates_are_real_and_ordered(case.query or {}))

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def check(case) -> None:
        case.call_and_validate()

    check()
