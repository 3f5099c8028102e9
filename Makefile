# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# The WARC judges (pywb, FastWARC) that tests/evidence/test_replay.py runs: a virtualenv of
# their own, since their pins clash with .venv's (requirements-replay.txt says how).
REPLAY_VENV := .venv-replay

.PHONY: run test lint install migrate seeds screenshots clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || { command -v $(PYTHON) >/dev/null && $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(REPLAY_VENV)/.installed: requirements-replay.txt
	@test -x $(REPLAY_VENV)/bin/python || { command -v $(PYTHON) >/dev/null && $(PYTHON) -m venv $(REPLAY_VENV) || python3 -m venv $(REPLAY_VENV); }
	$(REPLAY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(REPLAY_VENV)/bin/python -m pip install --quiet -r requirements-replay.txt
	@touch $@

install: $(VENV)/.installed $(REPLAY_VENV)/.installed

# Running the site needs only .venv; the judges' venv is for the tests.
run: $(VENV)/.installed
	@scripts/run-local.sh

# The whole suite on the real PostgreSQL and Redis, one process per core (pytest-xdist;
# each has its own test database and Redis database); it stops at once, saying how to
# start them, when either is down. pytest exits non-zero when no test ran.
# PYTEST_WORKERS=0 runs it in one process. The import contracts (pyproject.toml) are checked
# first: they take a second, and a broken one fails the run before the tests start.
PYTEST_WORKERS ?= auto
test: install
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Refresh the screenshots under docs/ that the README shows (the browser tests take them).
screenshots: install
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

migrate: install
	$(PY) manage.py migrate

seeds: install
	$(PY) manage.py load_seeds

clean:
	rm -rf var staticfiles .pytest_cache
