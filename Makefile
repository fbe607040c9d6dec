# Two commands on a fresh machine:  make run  (sample data + web server)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(or $(MIGSEARCH_DATA_DIR),$(HOME)/.local/share/migsearch)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv test-venv browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

test-venv: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

## run: set up, ingest the sample releases under examples/, serve on http://127.0.0.1:8000
run: venv
	$(BIN)/migsearch --data-dir "$(DATA_DIR)" ingest examples/
	$(BIN)/migsearch --data-dir "$(DATA_DIR)" serve --host $(HOST) --port $(PORT)

## browser: Debian's chromium for the browser tests (needs root and apt; skipped otherwise)
browser:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not installed and cannot install it here: browser tests will be skipped"; fi

lint: test-venv
	$(BIN)/ruff check index search web tests benchmarks
	$(BIN)/mypy

# The engine and search tests again with the fast paths off (stock Whoosh writing and scoring).
STOCK_TESTS := tests/test_engine_contract.py tests/test_search.py tests/test_quote_search.py tests/test_old_layout.py \
	tests/test_facets.py tests/test_histogram.py tests/test_seed.py tests/test_pipeline.py tests/test_indexer.py \
	tests/test_readonly_store.py tests/test_api.py tests/test_cli.py

## test: set up from nothing (virtualenv, packages, chromium), lint and type-check, run the whole test suite,
## then the engine and search tests again on stock Whoosh (MIGSEARCH_ACCELERATE=0)
test: test-venv browser lint
	$(BIN)/python -m pytest -q
	MIGSEARCH_ACCELERATE=0 $(BIN)/python -m pytest -q $(STOCK_TESTS)

bench: venv
	$(BIN)/python benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
