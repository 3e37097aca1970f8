# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact tested set (every dependency, dev tools included, with hashes); pyproject.toml holds
# the compatible ranges a wheel declares. `make lock` writes it from what .venv holds.
LOCK := requirements.lock
LOCK_TOOLS := $(VENV)/lock-tools/bin
DEMO_DB ?= $(CURDIR)/demo/caseintake-demo.db

.PHONY: run test lint unit bench demo clean lock wheel

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# After adding or upgrading a dependency in .venv (and testing it): pin exactly what .venv holds
# for what pyproject.toml asks, hashes from the index, with pip-tools kept out of the project venv.
$(LOCK_TOOLS)/pip-compile: | $(BIN)/python
	$(PYTHON) -m venv $(VENV)/lock-tools
	$(LOCK_TOOLS)/python -m pip install --quiet pip-tools==7.6.2

lock: | $(LOCK_TOOLS)/pip-compile
	$(BIN)/python -m pip list --format=freeze --exclude-editable > $(VENV)/tested.txt
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/pip-compile --quiet --generate-hashes \
	  --strip-extras --extra dev --extra postgres --no-emit-index-url --no-emit-find-links \
	  --constraint $(VENV)/tested.txt --output-file $(LOCK) pyproject.toml

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

# Two workers, one test file each at a time (pytest-xdist): the suite in about half the time on
# the 2-core CI machine. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
unit: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

test: lint unit

# The desk's install (README "Install for one desk"): dist/caseintake-<version>-py3-none-any.whl
wheel: | $(BIN)/python
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo dist build
