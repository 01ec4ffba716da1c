# Two commands: `make run` (the whole assistant on embedded defaults) and `make test`.
# Every target sets up what is missing first, idempotently.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON311 ?= $(shell for p in python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: run test bench fuzz setup venv rasa-venv model db lint typecheck pytest rasa-validate rasa-test-nlu rasa-test-stories clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Python 3.11 or newer is needed for the application (.venv)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(RASA_VENV)/.installed: requirements-rasa.txt constraints-rasa.txt
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	  test -x $(RASA_VENV)/bin/python || $$PY310 -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install -q --upgrade pip 'setuptools<70' wheel
	$(RASA_VENV)/bin/python -m pip install -q -r requirements-rasa.txt
	@touch $@

venv: $(VENV)/.installed
rasa-venv: $(RASA_VENV)/.installed

model: venv rasa-venv
	@$(PY) -m launcher.model config.yml

db: venv
	$(PY) -m catalog.cli migrate-and-import

setup: venv rasa-venv model db

run: setup
	$(PY) -m launcher

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy .

rasa-validate: rasa-venv
	$(RASA) data validate --config config.yml --domain domain.yml --data nlu_data --fail-on-warnings

rasa-test-nlu: model
	$(RASA) test nlu --nlu tests/nlu/test_nlu.yml --model $$($(PY) -m launcher.model config.yml) --out var/rasa-test-results

# The main conversations (tests/stories/*.yml): every user turn read as the right intent
# and answered by the right action. Custom actions are predicted, not run: no action server.
rasa-test-stories: model
	$(RASA) test core --stories tests/stories --model $$($(PY) -m launcher.model config.yml) \
	  --out var/rasa-test-results/core --fail-on-prediction-errors

pytest: setup
	$(VENV)/bin/pytest -q

test: setup lint typecheck rasa-validate pytest rasa-test-nlu rasa-test-stories

bench: setup
	$(PY) -m bench

# The long fuzzing run: FUZZ_EXAMPLES generated requests per documented route of the
# gateway and the simulators (tests/fuzz; `make test` runs the same suite with 50).
FUZZ_EXAMPLES ?= 10000
FUZZ_SEED ?= 20261201
fuzz: venv
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SEED=$(FUZZ_SEED) $(VENV)/bin/pytest -q -p no:cacheprovider --timeout=0 tests/fuzz

clean:
	rm -rf models var/rasa-test-results
