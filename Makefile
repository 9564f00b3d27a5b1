# Every target bootstraps .venv on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check test lint typecheck bench corpus wheel clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev,mock]'
	touch $(STAMP)

generate: $(STAMP)  ## regenerate every client in [tool.apismith] into generated/
	$(BIN)/apismith generate

check: $(STAMP)  ## fail when generated/ is not what the specs and templates produce
	$(BIN)/apismith check

lint: $(STAMP)  ## lint the shipped specs and the toolkit's own code
	$(BIN)/apismith lint
	$(BIN)/ruff check generator tests bench templates/runtime
	$(BIN)/ruff format --check generator tests bench templates/runtime
	$(BIN)/mypy
	$(BIN)/mypy --strict bench

test: $(STAMP)  ## the whole suite
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)  ## apismith against its peers; inputs and peers are cached outside the repo
	$(BIN)/python -m bench all $(BENCH_ARGS)

corpus: $(STAMP)  ## apismith on a fixed sample of 101 real-world specs (fetched into the bench cache)
	$(BIN)/python -m bench.corpus $(CORPUS_ARGS)

wheel: $(STAMP)  ## the release build: an sdist and a mypyc-compiled wheel in dist/
	HATCH_BUILD_HOOK_ENABLE_MYPYC=true $(BIN)/python -m build --no-isolation --outdir dist

clean:
	rm -rf $(VENV)
