# rapyuta.rio: the README's two commands are `make demo` and `make test`.
#
#   make venv        .venv: ansible-core 2.21 on Python 3.12 (else the newest >= 3.12), every runtime
#                    and test dependency, the emulator installed in editable mode; fast when up to date
#   make demo        start the emulator with the sample fleet, run playbooks/deploy_robots.yml twice on v2, then on v1
#   make test        the whole ladder: units (+coverage), emulator, conformance (SDK 1.17.1, sdk-v2, riocli), lint, sanity,
#                    build/install/docs, integration, reliability, then the floor job (ansible-core 2.18, Python 3.11)
#   make docs        the HTML docsite with antsibull-docs (modules, plugins, roles, docs/ guides): build/docs/build/html
#   make bench       the fleet benchmark (docs/PERFORMANCE.md)
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

.PHONY: help venv venv-floor demo test units emulator-tests conformance lint sanity build integration reliability \
        floor floor-sanity floor-units floor-integration core-preview bench clean \
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

# The riocli judge (rapyuta-io-cli, the `rio` command) in its own venv: its pins clash with the main one.
venv-riocli: $(RIOCLI_VENV)/.installed

$(RIOCLI_VENV)/.installed: requirements-riocli.txt
	@python_main="$$(tools/find_python.sh 3.12)"; \
	  if [ ! -x $(RIOCLI_VENV)/bin/python ]; then echo "make venv-riocli: creating $(RIOCLI_VENV) with $$python_main"; \
	  "$$python_main" -m venv $(RIOCLI_VENV); fi
	$(RIOCLI_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-riocli.txt
	@touch $@

$(COLLECTION_LINK):
	@mkdir -p $(dir $@) && ln -sfn ../../.. $@

# The sdk-v2 conformance judge in its own venv: the vendor's SDK, pytest and PyYAML only (the emulator
# it judges runs from $(VENV)).
SDKV2 := .venv-sdkv2
.PHONY: venv-sdkv2 conformance-sdk-v2
venv-sdkv2: $(SDKV2)/.installed

$(SDKV2)/.installed: requirements-sdk-v2.txt
	@python_main="$$(tools/find_python.sh 3.12)"; \
	  if [ ! -x $(SDKV2)/bin/python ]; then echo "make venv-sdkv2: creating $(SDKV2) with $$python_main"; "$$python_main" -m venv $(SDKV2); fi
	$(SDKV2)/bin/python -m pip install -q --disable-pip-version-check -r requirements-sdk-v2.txt
	@touch $@

# Galaxy's import checks and the docs tools (galaxy-importer, antsibull-docs, Sphinx) in their own venv:
# galaxy-importer pins attrs<24, older than the main venv's.
PUBLISH := .venv-publish
venv-publish: $(PUBLISH)/.installed $(COLLECTION_LINK)

$(PUBLISH)/.installed: requirements-publish.txt
	@python_main="$$(tools/find_python.sh 3.12)"; \
	  if [ ! -x $(PUBLISH)/bin/python ]; then echo "make venv-publish: creating $(PUBLISH) with $$python_main"; "$$python_main" -m venv $(PUBLISH); fi
	$(PUBLISH)/bin/python -m pip install -q --disable-pip-version-check -r requirements-publish.txt
	@touch $@

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
bench: venv
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) $(FLOOR) $(SDKV2) $(RIOCLI_VENV) $(PUBLISH) .collections tests/output dist build .pytest_cache
