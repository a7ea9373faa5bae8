# Everything needs only python3: the venv and pinned packages are created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site serve test check schemas bench lock clean

site: $(STAMP)
	$(BIN)/catalogue build

serve: $(STAMP)
	$(BIN)/catalogue serve

check: $(STAMP)
	$(BIN)/catalogue check

test: $(STAMP)
	$(BIN)/python -m pytest -q

schemas: $(STAMP)
	$(BIN)/catalogue schema --out schemas

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-pin after changing dependencies in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test]' setuptools
	{ echo "# Pinned dependencies for make site / make test. Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --all --exclude-editable | grep -v "^pip=="; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) site .cache
