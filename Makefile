# Two entry points, both self-installing on a fresh machine with Python 3.11+:
#   make run    set up .venv and start the app (http://localhost:8501)
#   make test   set up .venv and run the whole test suite (lint, types, tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench catalogues clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

# The whole suite in two parts, one after the other. First everything but the browser tests, spread over one
# worker process per core, with the type check (mypy --strict over src, tests and bench) beside it. Then the
# browser tests (marker e2e) in two groups side by side (BROWSER_GROUPS in tests/conftest.py), each with its
# own app, data folder, database schema and port. Run together, the browser tests' apps and browsers fought
# the CPU-bound tests for the two cores and the whole took twice as long as the two parts in turn.
test: $(STAMP)
	$(BIN)/ruff check src tests bench app.py
	@$(BIN)/mypy > $(VENV)/mypy.out 2>&1 & types=$$!; \
	$(BIN)/python -m pytest -n auto -m "not e2e"; tests=$$?; \
	wait $$types; typed=$$?; cat $(VENV)/mypy.out; \
	$(BIN)/python -m pytest -n auto --dist loadgroup -m e2e; browser=$$?; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ] && [ $$browser -eq 0 ]

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

# After editing a catalogue of the program's words (src/pipia/locale/*/LC_MESSAGES/pipia.po): compile it into
# the .mo file the program reads (a test fails while the two differ).
catalogues: $(STAMP)
	$(BIN)/pybabel compile --domain pipia --directory src/pipia/locale --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
