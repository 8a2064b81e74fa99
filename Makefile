# The README names two targets: `make run` and `make test`. CI (.ci/run) calls `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck unit install dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The query editor (YASGUI) comes from the npm registry, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the query editor falls back to a plain form"; mkdir -p node_modules; fi
	touch $@

install: $(STAMP) node_modules/.installed

## Create the venv, install, load the bundled data on first start and serve it.
run: install
	$(BIN)/harmgraph serve --host $(HOST) --port $(PORT)

## Install the dev extras and run the whole suite: lint, types, tests.
test: install lint typecheck unit

lint: install
	$(BIN)/ruff check graph api tests bench
	$(BIN)/ruff format --check graph api tests bench

typecheck: install
	$(BIN)/mypy

# Two pytest-xdist workers (the machine has 2 cores), one test file at a time each, so a
# module's fixtures are built once; the slowest files go first (tests/conftest.py).
# TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
unit: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## Benchmarks against the peers (quick mode: 1k and 10k incidents); see docs/performance.md.
bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
