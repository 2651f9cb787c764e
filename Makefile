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

# Each Python process of the suite (two test workers, the browser tests' workers, each app server, each
# report render child) would otherwise compile every module of pipia and of the tests again where the
# environment turns the bytecode cache off; with it, collecting the suite costs half the CPU.
unexport PYTHONDONTWRITEBYTECODE

# The whole suite at once on two cores, by priority rather than in turns. The browser tests (marker e2e, in
# tests/e2e) run in two groups side by side, each in a pytest process of its own with its own browser, and
# each test with its own app, data folder, database schema and port (--browser-group in tests/conftest.py).
# They mostly wait for the page, and what they wait for (their apps, their browsers) must not queue behind
# other work, or their steps stretch towards their timeouts. So the CPU-bound rest, everything else on one
# worker per core with the type check (mypy --strict over src, tests, bench and app.py) beside it, runs at
# the lowest priority (nice 19): it takes only what the browser tests leave idle. At equal priority the two
# fought for the cores and the whole took twice as long as in turn. The rest's two workers steal work from
# each other (--dist worksteal): handed out in fixed shares, one worker was left alone with its last tests
# while the other core idled for the final 15 s.
test: $(STAMP)
	$(BIN)/ruff check src tests bench app.py
	@$(BIN)/python -m pytest -m e2e tests/e2e --browser-group=0 > $(VENV)/browser-0.out 2>&1 & first=$$!; \
	$(BIN)/python -m pytest -m e2e tests/e2e --browser-group=1 > $(VENV)/browser-1.out 2>&1 & second=$$!; \
	nice -n 19 $(BIN)/mypy > $(VENV)/mypy.out 2>&1 & types=$$!; \
	nice -n 19 $(BIN)/python -m pytest -n auto --dist worksteal -m "not e2e"; tests=$$?; \
	wait $$types; typed=$$?; cat $(VENV)/mypy.out; \
	wait $$first; browser0=$$?; wait $$second; browser1=$$?; cat $(VENV)/browser-0.out $(VENV)/browser-1.out; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ] && [ $$browser0 -eq 0 ] && [ $$browser1 -eq 0 ]

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

# After editing a catalogue of the program's words (src/pipia/locale/*/LC_MESSAGES/pipia.po): compile it into
# the .mo file the program reads (a test fails while the two differ).
catalogues: $(STAMP)
	$(BIN)/pybabel compile --domain pipia --directory src/pipia/locale --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
