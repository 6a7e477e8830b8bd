# Preflight: `make run` serves the demo at http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test lint format clean

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

# uv installs the whole stack in seconds; plain pip is the fallback if uv is unavailable.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --quiet -p $(BIN)/python -e '.[dev]' \
		|| $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	PORT=$(PORT) bash scripts/run.sh

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var test-artifacts
