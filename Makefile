# SaferMK Strategy: `make run` starts the app with demo data; `make test`
# runs the whole test suite. Both create the virtual environment first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run test venv lint lock bench clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

# Local runs and tests read the local (DEBUG) settings; production sets DEBUG=0.
run: export DEBUG ?= 1
run: venv
	@scripts/install_system_packages.sh run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) scripts/run_local.py

# One test process per core (pytest-xdist); a test file stays in one process.
# `make test PYTEST_WORKERS=0` runs in a single process.
PYTEST_WORKERS ?= auto

test: export DEBUG ?= 1
test: venv
	@scripts/install_system_packages.sh
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Speed at national volume against the design's budgets (see README,
# "Performance"): a PostgreSQL database of its own, loaded once and kept,
# gunicorn with 4 workers, one table. `make bench BENCH_SCALE=0.1` is quick.
BENCH_SCALE ?= 1
BENCH_ARGS ?=

bench: venv
	$(PY) scripts/bench.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

# Re-resolve the lock file after changing pyproject.toml.
lock:
	$(PY) -m pip install --quiet uv==0.13.9
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
