# rapyuta.rio: the README's two commands are `make demo` and `make test`.
#
#   make venv        .venv: ansible-core 2.21 on Python 3.12 (else the newest >= 3.12), every runtime
#                    and test dependency, the emulator installed in editable mode; fast when up to date
#   make demo        start the emulator with the sample fleet, run playbooks/deploy_robots.yml twice on v2, then on v1
#   make test        the whole ladder: units (+coverage), emulator, conformance (SDK 1.17.1, sdk-v2, riocli), lint, sanity,
#                    build/install/docs, integration, reliability, awx, then the floor job (ansible-core 2.18, Python 3.11)
#   make docs        the HTML docsite with antsibull-docs (modules, plugins, roles, docs/ guides): build/docs/build/html
#   make bench       the fleet benchmark against the vendor's tools (docs/PERFORMANCE.md); make bench-large: 1,000 robots
#
# Every target installs what it needs itself, so each one works on a fresh clone.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
FLOOR := .venv-floor
FLOOR_PYTHON ?= python3.11
PY := $(VENV)/bin/python
FLOOR_PY := $(FLOOR)/bin/python
RIOCLI_VENV := .venv-riocli
COLLECTION_LINK := .collections/ansible_collections/rapyuta/rio
# Plain pytest imports the collection through .collections (ansible_collections.rapyuta.rio -> .).
PYTEST_ENV := PYTHONPATH=$(CURDIR)/.collections ANSIBLE_CONFIG=$(CURDIR)/ansible.cfg
COVERAGE_MIN ?= 90

.PHONY: help venv venv-floor demo test units emulator-tests conformance lint sanity build integration reliability awx \
        floor floor-sanity floor-units floor-integration core-preview bench bench-large bench-docs clean \
        venv-riocli conformance-riocli venv-publish docs-lint docs

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

# -- environments ---------------------------------------------------------------------------------
venv: $(VENV)/.installed $(COLLECTION_LINK)

$(VENV)/.installed: requirements-dev.txt requirements.txt emulator/pyproject.toml
	@python_main="$$(tools/find_python.sh 3.12)"; \
	  if [ ! -x $(PY) ]; then echo "make venv: creating $(VENV) with $$python_main"; "$$python_main" -m venv $(VENV); fi
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e emulator
	@touch $@

venv-floor: $(FLOOR)/.installed $(COLLECTION_LINK)

$(FLOOR)/.installed: requirements-floor.txt emulator/pyproject.toml
	@if [ ! -x $(FLOOR_PY) ]; then \
	  command -v $(FLOOR_PYTHON) >/dev/null || { echo "make venv-floor: $(FLOOR_PYTHON) not found" >&2; exit 1; }; \
	  $(FLOOR_PYTHON) -m venv $(FLOOR); fi
	$(FLOOR_PY) -m pip install -q --disable-pip-version-check -r requirements-floor.txt
	$(FLOOR_PY) -m pip install -q --disable-pip-version-check --no-deps -e emulator
	@touch $@

# A client's own venv (Python 3.12, else the newest >= 3.12) with one requirements file:
# $(call client_venv,DIR,REQUIREMENTS) as the recipe of DIR/.installed.
define client_venv
	@python_main="$$(tools/find_python.sh 3.12)"; \
	  if [ ! -x $(1)/bin/python ]; then echo "make: creating $(1) with $$python_main"; "$$python_main" -m venv $(1); fi
	$(1)/bin/python -m pip install -q --disable-pip-version-check -r $(2)
	@touch $(1)/.installed
endef

# The riocli judge (rapyuta-io-cli, the `rio` command) in its own venv: its pins clash with the main one.
venv-riocli: $(RIOCLI_VENV)/.installed

$(RIOCLI_VENV)/.installed: requirements-riocli.txt
	$(call client_venv,$(RIOCLI_VENV),requirements-riocli.txt)

$(COLLECTION_LINK):
	@mkdir -p $(dir $@) && ln -sfn ../../.. $@

# The v1-era peer of the benchmark (bench/peers/): riocli 8.1.0 with the v1 SDK it was released against.
RIOCLI8_VENV := .venv-riocli8
.PHONY: venv-riocli8 venv-peers bench-peers
venv-riocli8: $(RIOCLI8_VENV)/.installed

$(RIOCLI8_VENV)/.installed: requirements-riocli8.txt
	$(call client_venv,$(RIOCLI8_VENV),requirements-riocli8.txt)

# The sdk-v2 conformance judge in its own venv: the vendor's SDK, pytest and PyYAML only (the emulator
# it judges runs from $(VENV)).
SDKV2 := .venv-sdkv2
.PHONY: venv-sdkv2 conformance-sdk-v2
venv-sdkv2: $(SDKV2)/.installed

$(SDKV2)/.installed: requirements-sdk-v2.txt
	$(call client_venv,$(SDKV2),requirements-sdk-v2.txt)

# Galaxy's import checks and the docs tools (galaxy-importer, antsibull-docs, Sphinx) in their own venv:
# galaxy-importer pins attrs<24, older than the main venv's.
PUBLISH := .venv-publish
venv-publish: $(PUBLISH)/.installed $(COLLECTION_LINK)

$(PUBLISH)/.installed: requirements-publish.txt
	$(call client_venv,$(PUBLISH),requirements-publish.txt)

# -- the demo ------------------------------------------------------------------------------------
demo: venv
	tools/demo.sh

# -- the test ladder -----------------------------------------------------------------------------
test: venv
	tools/run_tests.sh

# venv-riocli holds the vendor's v2 schemas, the oracle of tests/unit/plugins/module_utils/v2/test_validation.py
# (skipped without them: on a fresh clone units run before the riocli rung would have made the venv).
units: venv venv-riocli
	$(PYTEST_ENV) $(PY) -m pytest -q -p no:cacheprovider tests/unit \
	  --cov=ansible_collections.rapyuta.rio.plugins.module_utils --cov=ansible_collections.rapyuta.rio.plugins.plugin_utils --cov-report=term-missing:skip-covered \
	  --cov-fail-under=$(COVERAGE_MIN)

emulator-tests: venv
	$(PY) -m pytest -q -p no:cacheprovider emulator/tests

conformance: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/conformance

# rapyuta-io-sdk-v2 0.10.0 against an emulator process started from $(VENV) (tests/conformance_sdk_v2/README.md).
conformance-sdk-v2: venv venv-sdkv2
	RIO_EMULATOR_PYTHON=$(CURDIR)/$(PY) $(SDKV2)/bin/python -m pytest -q -p no:cacheprovider tests/conformance_sdk_v2

# riocli drives an emulator launched from $(VENV) (tests/conformance_riocli/README.md).
conformance-riocli: venv venv-riocli
	$(RIOCLI_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/conformance_riocli

lint: venv
	$(VENV)/bin/ruff check --quiet .
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.collections $(VENV)/bin/ansible-lint --offline -q
	$(VENV)/bin/antsibull-changelog lint

sanity: venv
	tools/ansible_test.sh $(VENV) sanity --python 3.12

build: venv venv-publish
	tools/build_check.sh $(VENV) $(PUBLISH)

# The docs as antsibull-docs lints them for the Ansible docsite: plugin, module and role docs (schema,
# markup, references) and docs/docsite's extra docs.
docs-lint: venv-publish
	PATH=$(CURDIR)/$(PUBLISH)/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.collections \
	  $(PUBLISH)/bin/antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
	  --validate-collection-refs all --disallow-unknown-collection-refs .

docs: venv-publish
	tools/build_docs.sh $(PUBLISH)

integration: venv
	tools/ansible_test.sh $(VENV) integration --python 3.12

reliability: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/reliability

# The fleet playbooks as AWX runs them: ansible-runner jobs, job slicing with 2 and 4 slices (tests/awx).
awx: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/awx

floor: floor-sanity floor-units floor-integration

floor-sanity: venv-floor
	tools/ansible_test.sh $(FLOOR) sanity --python 3.11

floor-units: venv-floor
	$(PYTEST_ENV) $(FLOOR_PY) -m pytest -q -p no:cacheprovider tests/unit

# The floor ships every module to a module process (RIO_DIRECT_EXECUTION=false); `integration` runs
# them in the controller's worker (the default), so every target runs both ways.
floor-integration: venv-floor
	RIO_DIRECT_EXECUTION=false tools/ansible_test.sh $(FLOOR) integration --python 3.11

# Non-blocking (make test reports it without failing): direct execution on the newest ansible-core on
# the package index, pre-releases included, in a throwaway venv (docs/direct-execution.md).
core-preview: venv
	tools/core_preview.sh

# -- performance ---------------------------------------------------------------------------------
# Every peer's venv (bench/peers/__init__.py names each peer's make target).
venv-peers: venv venv-riocli8 venv-riocli venv-sdkv2

# Each peer deploys the sample fleet of N robots on a fresh emulator, twice: all ready, then nothing written.
bench-peers: venv-peers
	$(PY) bench/peers/check.py --count $${BENCH_PEERS_COUNT:-10}

# The peers' venvs first (bench/peers/__init__.py); BENCH_ARGS passes flags to bench/run.py (e.g. --quick, or
# "--tools ours-v1,ours-v2 --peer-rows bench/results/results.json": the peers' rows from the committed run).
bench: venv-peers
	$(PY) bench/run.py $${BENCH_ARGS:-}

# 1,000 robots (and 200 beside them for the re-run ratio) on the 50 ms network; results under bench/results/large.
bench-large: venv-peers
	$(PY) bench/run.py --large $${BENCH_ARGS:-}

# docs/PERFORMANCE.md's generated tables from the committed runs (bench/results, bench/results/large);
# results.md and the plots are written again from their results.json first (the report's current format).
bench-docs: venv
	$(PY) bench/report.py --render --docs

clean:
	rm -rf $(VENV) $(FLOOR) $(SDKV2) $(RIOCLI_VENV) $(RIOCLI8_VENV) $(PUBLISH) .collections tests/output dist build .pytest_cache
