# figgen: `make figures` builds every figure into output/, `make test` runs the tests.
# Both create .venv and install figgen into it when missing (or when pyproject.toml changed).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.figgen-installed
ARGS   ?=

.PHONY: figures test stress lint format bench clean install

figures: $(STAMP)
	$(BIN)/figgen build $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q $(ARGS)

stress: $(STAMP)
	FIGGEN_KILLS=$${FIGGEN_KILLS:-200} $(BIN)/python -m pytest -q -s tests/test_faults.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/bench_train.py
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_build.py

clean:
	-$(BIN)/figgen clean --cache
	rm -rf .pytest_cache .ruff_cache build *.egg-info

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	@touch $(STAMP)
