# Every target creates .venv on its own, so a fresh clone needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EMA_STAMP := $(VENV)/.installed-ema

.PHONY: demo test bench lint format clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,web]'
	touch $(STAMP)

# The optional EMA Workbench extra, so its adapter's tests run in `make test` (tests/test_ema.py skips without it).
$(EMA_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[ema]'
	touch $(EMA_STAMP)

demo: $(STAMP)
	$(BIN)/corredor run scenarios/baseline.toml --out runs/baseline
	@echo "Dashboard: run '$(BIN)/corredor serve', then open http://127.0.0.1:8000 in a browser."

# Debian's chromium for the dashboard's browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

test: $(STAMP) $(EMA_STAMP) chromium
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP) chromium
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks examples
	$(BIN)/ruff check --fix src tests benchmarks examples

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
