# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Both create .venv when it is missing. torch is installed first, by pip (which reads this
# machine's pip configuration), so that the CPU wheel is used here; GPU users install their CUDA
# build of torch into .venv before running make (README). Everything else installs from LOCK, the
# versions the suite last passed on, so an upstream release cannot turn a fresh install red;
# pyproject.toml keeps ranges for library users. uv installs it: the same versions as pip, in
# ~12 s instead of ~100-150 s of a fresh machine's set-up (benchmarks/install_time.sh).
# `make lock` re-resolves the newest allowed versions into LOCK; `make test-latest` runs the
# suite on them in .venv-latest without touching LOCK or .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_SPEC ?= torch==2.13.0
UV_SPEC ?= uv==0.13.9
UV := $(BIN)/uv pip install -q --python $(BIN)/python
LOCK := requirements/lock.txt
STAMP := $(VENV)/.equanimity-installed

.PHONY: venv test test-unit test-latest lock demo check-report bench bench-quick gpu-check lint clean

venv: $(STAMP)

$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "$(UV_SPEC)"

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/uv
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q "$(TORCH_SPEC)"
	$(UV) -c $(LOCK) -e ".[dev,inspect]"
	touch $@

# A fresh venv with the newest versions pyproject.toml allows (torch stays TORCH_SPEC), frozen
# into LOCK; torch is left out of LOCK so a GPU user's CUDA build is never replaced.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q "$(TORCH_SPEC)"
	.venv-lock/bin/python -m pip install -q -e ".[dev,bench,inspect]"
	mkdir -p $(dir $(LOCK))
	{ echo "# The versions make installs (pip constraints; torch is TORCH_SPEC). Made by make lock."; \
		.venv-lock/bin/python -m pip freeze --exclude-editable | grep -iv '^torch=='; } > $(LOCK)
	rm -rf .venv-lock

# Not part of CI (it must not block main): the suite on the newest allowed versions, then the
# versions that differ from LOCK. Exits with pytest's status.
test-latest:
	rm -rf .venv-latest && $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install -q --upgrade pip
	.venv-latest/bin/python -m pip install -q "$(TORCH_SPEC)"
	.venv-latest/bin/python -m pip install -q -e ".[dev,inspect]"
	.venv-latest/bin/python -m pytest -q -p no:cacheprovider; status=$$?; \
		echo "newest allowed versions against $(LOCK) (locked -> newest):"; \
		.venv-latest/bin/python -m pip freeze --exclude-editable | grep -iv '^torch==' \
			| awk -F'==' 'NR == FNR { lock[tolower($$1)] = $$2; next } \
				!(tolower($$1) in lock) { print "  " $$1 ": not locked -> " $$2; next } \
				lock[tolower($$1)] != $$2 { print "  " $$1 ": " lock[tolower($$1)] " -> " $$2 }' \
				<(grep -v '^#' $(LOCK)) -; \
		exit $$status

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q -m "not integration"

demo: $(STAMP)
	$(BIN)/equanimity run --config recipes/studies/demo.yaml

# Opt-in: installs Debian's chromium (needs root) and opens a study report in headless Chromium
# (renders, images load, no console errors). REPORT defaults to the demo's when it exists.
REPORT ?= runs/studies/demo/report.html
check-report: $(STAMP)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	EQUANIMITY_REPORT=$(if $(wildcard $(REPORT)),$(abspath $(REPORT))) \
		$(BIN)/python -m pytest -q tests/test_studies.py -k chromium -rs

# `make bench` (full size; over an hour on 2 quiet cores), `make bench-quick` (smaller); more
# flags, e.g. `make bench BENCH_ARGS="--only scoring --threads 1"`. Writes benchmarks/results.json.
BENCH_STAMP := $(VENV)/.equanimity-bench-installed

$(BENCH_STAMP): $(STAMP) | $(BIN)/uv
	$(UV) -c $(LOCK) -e ".[dev,inspect,bench]"
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py --quick $(BENCH_ARGS)

# The whole study, small, on CUDA (bundled model, no hub access; under 8 minutes on one GPU):
# asserts models, activations and training sit on the GPU, prints tokens/s per stage, and with
# a 2nd GPU trains with 2-process DDP; with vllm installed, the vLLM route of docs/inspect.md (base
# + adapter served together). Exits 1 with one line where CUDA is unavailable. Never yet run on a
# GPU (docs/gpu.md).
gpu-check: $(STAMP)
	$(BIN)/python benchmarks/gpu_check.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) .venv-latest .venv-lock build dist src/*.egg-info .pytest_cache
