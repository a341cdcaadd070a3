# The front door. On a fresh machine `make report` and `make test` do all the set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL := iid-analysis

.PHONY: install report score test check lint hooks lab bench example-data clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (iid-analysis)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

## The main job: the report on the shipped example data -> reports/kota-mojokerto_2024.html
report: install
	$(BIN)/iid-analysis report --params params/kota-mojokerto_2024.yaml

score: install
	$(BIN)/iid-analysis score --year 2023 \
		--spd data/raw/kota_mojokerto_2023_spd_SYNTHETIC.csv \
		--innovations data/raw/kota_mojokerto_2023_innovations_SYNTHETIC.csv

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_notebooks.py

## Headless Chromium for the browser tests (apt-get as root or via sudo; a no-op when installed).
## In CI (CI set) a browser that cannot be installed fails; elsewhere it warns and the browser
## tests are skipped, listed as not run.
browser:
	bash scripts/install_browser.sh

## Everything: lint, then every test including the slow ones (notebooks, browser, wheel build).
## With CI set (as .ci/run does) a skipped test is a failure.
test: lint browser
	$(BIN)/python -m pytest

## The quick loop while working: lint and the fast tests only (no notebook, browser or build).
check: lint
	$(BIN)/python -m pytest -m "not slow"

## Run the pre-commit hooks (.pre-commit-config.yaml) on every `git commit` in this clone.
hooks: install
	$(BIN)/pre-commit install

## JupyterLab and jupytext are the `lab` extra (the commands and the report need neither).
lab: install
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

example-data: install
	$(BIN)/python scripts/make_example_data.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
