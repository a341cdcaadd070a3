# The front door. On a fresh machine `make report` and `make test` do all the set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL := iid-analysis

.PHONY: install report score test lint lab bench example-data clean browser

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
	$(BIN)/python scripts/check_notebooks.py

## Headless Chromium for the browser tests (apt-get as root; a no-op when installed).
browser:
	scripts/install_browser.sh

test: lint browser
	$(BIN)/python -m pytest

lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

example-data: install
	$(BIN)/python scripts/make_example_data.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
