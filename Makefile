# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/demo/caseintake-demo.db

.PHONY: run test lint unit bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_DB): | $(STAMP)
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/caseintake demo --db sqlite:///$(DEMO_DB)

demo: $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	CASEINTAKE_DB=sqlite:///$(DEMO_DB) $(BIN)/caseintake

lint: $(STAMP)
	$(BIN)/ruff check caseintake tests bench
	$(BIN)/ruff format --check caseintake tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint unit

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo
