# textlake: `make run` and `make test` set everything up from uv.lock on a fresh machine.
SHELL := /bin/bash
UV_VERSION := 0.13.8
# uv from PATH, or bootstrapped from PyPI into .tools/ (the one tool the set-up may fetch).
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Bytecode compiled once at install: each run then imports Prefect, GX and spaCy from .pyc, not from source
# (where PYTHONDONTWRITEBYTECODE is set, nothing would ever be cached and every process pays ~20 s).
export UV_COMPILE_BYTECODE := 1

.PHONY: run test check fast lint browser setup model teacher transformer ui clean
# The project's own code is installed editable, so the sync compiles none of it: compiled here, at every
# set-up (a second or less; only what changed), each process imports it from .pyc (~0.5 s a process).
setup: .venv/.synced
	@.venv/bin/python -m compileall -q -j 0 textlake flows

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra transformer
	touch $@

run: setup  ## ingest seeds/ into ./data and print a summary
	.venv/bin/textlake run seeds

# Two test processes (pytest-xdist), a module's tests in one of them so its fixtures are built once. pytest may
# keep the test modules it rewrote for its asserts (tests/__pycache__) where PYTHONDONTWRITEBYTECODE is set:
# rewriting them again took ~4 s of each test process's start.
PYTEST := PYTHONDONTWRITEBYTECODE= .venv/bin/pytest -n 2 --dist loadscope

test: check browser  ## everything: the inner loop (make check), then the slow tests
	$(PYTEST) -m slow

# The page tests look at Data Docs and the report in headless Chromium (Debian's package); where it cannot
# be installed (no root, no apt) they skip and say why.
browser:  ## headless Chromium for the page tests
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "no chromium: the page tests will skip (apt-get install chromium)"

check: setup  ## the inner loop: lint, format, types, import rules and the fast tests (side by side)
	$(MAKE) --no-print-directory --output-sync=target -j2 lint fast

fast: setup  ## the tests not marked slow
	$(PYTEST) -m "not slow" -q

lint: setup  ## ruff (lint and format), mypy --strict on textlake/, import-linter's layering contracts
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports --no-cache

ui: setup  ## a Prefect server with UI on http://127.0.0.1:4200 (database in ./data/prefect)
	.venv/bin/textlake server

model: | $(UV)  ## retrain the shipped German NER model from ../shared/data (GermEval 2014, SmartData, MobIE, Europeana); rebuild the place lookup, the direct-speech classifier (models/noncommercial/, CC BY-NC-SA), the confidence tables and the opt-in transformer backend (its teacher trained when build/teacher has none)
	$(UV) sync --frozen --group model --extra transformer
	OMP_NUM_THREADS=2 .venv/bin/python -m textlake.training.ner.build
	.venv/bin/python -m textlake.training.places
	.venv/bin/python -m textlake.training.direct_speech --gold ../shared/data/wikinews/train.jsonl
	.venv/bin/python -m textlake.training.confidence
	test -f build/teacher/teacher.npz || .venv/bin/python -m textlake.training.e5_tagger --out build/teacher
	.venv/bin/python -m textlake.training.e5_onnx --teacher build/teacher/teacher.npz
	rm -f .venv/.synced

# The opt-in transformer NER backend (`--ner-model transformer`): the teacher (trained first when build/teacher
# has none) as an int8 ONNX graph in textlake/nlp/models/transformer/ (118 MB, not in git).
transformer: | $(UV)  ## the opt-in transformer NER backend's files, from the teacher (trained first if absent, ~25 min)
	$(UV) sync --frozen --group model --extra transformer
	test -f build/teacher/teacher.npz || .venv/bin/python -m textlake.training.e5_tagger --out build/teacher
	.venv/bin/python -m textlake.training.e5_onnx --teacher build/teacher/teacher.npz
	rm -f .venv/.synced

teacher: | $(UV)  ## the NER teacher (multilingual-e5-small fine-tuned on GermEval train, ~25 min) and its silver sentences for the student, in build/ (docs/pretrained-encoder.md); nothing shipped changes
	$(UV) sync --frozen --group model --extra transformer
	.venv/bin/python -m textlake.training.e5_tagger --out build/teacher
	.venv/bin/python -m textlake.training.ner_silver --teacher build/teacher/teacher.npz --out build/silver/wikinews.jsonl
	.venv/bin/python -m textlake.training.ner_silver --teacher build/teacher/teacher.npz --source filled --out build/silver/filled.jsonl
	rm -f .venv/.synced

clean:
	rm -rf .venv .tools data
