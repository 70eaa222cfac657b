# figgen: `make figures` builds every figure into output/, `make test` runs the tests.
# Both create .venv and install figgen into it when missing (or when pyproject.toml changed): figures needs
# figgen alone, the tests also the test and docs tools (pytest, Hypothesis, Sphinx, MkDocs, Jupyter).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.figgen-installed
DEV    := $(VENV)/.figgen-dev-installed
ARGS   ?=

.PHONY: figures test stress lint typecheck format bench clean install

figures: $(STAMP)
	$(BIN)/figgen build $(ARGS)

test: $(DEV)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile $(ARGS)

stress: $(DEV)
	FIGGEN_KILLS=$${FIGGEN_KILLS:-200} $(BIN)/python -m pytest -q -s tests/test_faults.py
	FIGGEN_OWNERSHIP_EXAMPLES=$${FIGGEN_OWNERSHIP_EXAMPLES:-1000} $(BIN)/python -m pytest -q tests/test_ownership_property.py

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# mypy alone, on figgen/ as pyproject.toml's [tool.mypy] sets it (make lint runs it too)
typecheck: $(DEV)
	$(BIN)/mypy

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/bench_train.py
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_pages.py

clean:
	-$(BIN)/figgen clean --cache
	rm -rf .pytest_cache .ruff_cache build *.egg-info

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "figgen needs Python 3.11 or newer: make PYTHON=python3.11 ..."; exit 1; }
	@echo "figgen: setting up $(VENV) once: TensorFlow, matplotlib, imageio and friends (about 2 minutes)"
	@start=$$(date +%s); \
	  { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); } \
	  && $(BIN)/python -m pip install --quiet --upgrade pip \
	  && $(BIN)/python -m pip install --quiet -e . \
	  && echo "figgen: $(VENV) ready in $$(( $$(date +%s) - start )) s"
	@touch $(STAMP)

$(DEV): $(STAMP)
	@echo "figgen: adding the test and docs tools: pytest, Hypothesis, Sphinx, MkDocs, Jupyter (about a minute)"
	@$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	@# MyST-MD (Jupyter Book 2) is Node's: its test runs the real myst from npm, and is skipped without it
	@test -x $(VENV)/mystmd/node_modules/.bin/myst \
	  || npm install --prefix $(VENV)/mystmd --no-audit --no-fund --silent mystmd@1 >/dev/null 2>&1 \
	  || echo "figgen: mystmd could not be installed (needs npm); the MyST test will be skipped"
	@# reveal.js, for the test of the player in a slide deck (into the ignored tmp/tool; skipped without it)
	@test -f tmp/tool/node_modules/reveal.js/dist/reveal.js \
	  || npm install --prefix tmp/tool --no-audit --no-fund --silent reveal.js@5 >/dev/null 2>&1 \
	  || echo "figgen: reveal.js could not be installed (needs npm); the slide deck test will be skipped"
	@touch $(DEV)
