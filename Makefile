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

# The whole suite spread over one worker process per core. The browser tests (marker e2e) form two groups
# (BROWSER_GROUPS in tests/conftest.py), each run in turn in one worker beside the rest of the suite. Each
# test has its own data folder, database schema and port, so they run side by side. The type check (mypy
# --strict over src, tests and bench) runs beside the tests and prints when they are done.
test: $(STAMP)
	$(BIN)/ruff check src tests bench app.py
	@$(BIN)/mypy > $(VENV)/mypy.out 2>&1 & types=$$!; \
	$(BIN)/python -m pytest -n auto --dist loadgroup; tests=$$?; \
	wait $$types; typed=$$?; cat $(VENV)/mypy.out; [ $$tests -eq 0 ] && [ $$typed -eq 0 ]

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

# After editing a catalogue of the program's words (src/pipia/locale/*/LC_MESSAGES/pipia.po): compile it into
# the .mo file the program reads (a test fails while the two differ).
catalogues: $(STAMP)
	$(BIN)/pybabel compile --domain pipia --directory src/pipia/locale --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
