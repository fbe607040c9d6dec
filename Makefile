# Two commands on a fresh machine:  make run  (sample data + web server)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(or $(MIGSEARCH_DATA_DIR),$(HOME)/.local/share/migsearch)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv test-venv browser lint bench clean opensearch

# The install is editable, so code changes need no reinstall: stamp files remember that the packages
# were installed for this pyproject.toml, and `make run` / `make test` skip pip when nothing changed.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# setuptools' notice that an editable install extends sys.path is expected here; hide just that one.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	@touch $@ $(STAMP_RUN)

venv: $(STAMP_RUN)

test-venv: $(STAMP_TEST)

## run: set up, ingest the sample releases under examples/, serve on http://127.0.0.1:8000
run: venv
	$(BIN)/migsearch --data-dir "$(DATA_DIR)" ingest examples/
	@echo ""
	@echo "The command line is $(BIN)/migsearch (or run 'source $(BIN)/activate' once, then 'migsearch'), e.g."
	@echo "  $(BIN)/migsearch --data-dir \"$(DATA_DIR)\" search 'quote:migration'"
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/migsearch --data-dir "$(DATA_DIR)" serve --host $(HOST) --port $(PORT)

## browser: Debian's chromium for the browser tests (needs root and apt; skipped otherwise)
browser:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not installed and cannot install it here: browser tests will be skipped"; fi

## opensearch: a real OpenSearch node for the tests, fetched from Maven into .cache/opensearch (needs Java 17, Maven)
opensearch:
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
		echo "opensearch: $$(bash tests/opensearch/fetch.sh)"; \
	else echo "java or mvn missing: the OpenSearch tests will be skipped"; fi

lint: test-venv
	$(BIN)/ruff check index search web tests benchmarks
	$(BIN)/mypy

# The engine and search tests again with the fast paths off (stock Whoosh writing and scoring).
STOCK_TESTS := tests/test_engine_contract.py tests/test_search.py tests/test_quote_search.py tests/test_old_layout.py \
	tests/test_facets.py tests/test_histogram.py tests/test_seed.py tests/test_pipeline.py tests/test_indexer.py \
	tests/test_readonly_store.py tests/test_api.py tests/test_cli.py

## test: set up from nothing (virtualenv, packages, chromium), lint and type-check, run the whole test suite,
## then the engine and search tests again on stock Whoosh (MIGSEARCH_ACCELERATE=0)
test: test-venv browser opensearch lint
	$(BIN)/python -m pytest -q
	MIGSEARCH_ACCELERATE=0 $(BIN)/python -m pytest -q $(STOCK_TESTS)

bench: venv
	$(BIN)/python benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
