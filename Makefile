# The two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv when it is missing and install what they need into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: demo test lint typecheck unit bench clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "asw-guard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/asw-guard demo --out demo-out

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check asw_guard adapters tests benchmarks examples
	$(BIN)/ruff format --check asw_guard adapters tests benchmarks examples

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy asw_guard

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit

bench: $(VENV)/.installed-dev
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build dist *.egg-info demo-out
