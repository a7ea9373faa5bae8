# Everything needs only python3: the venv and pinned packages are created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NODE   := node_modules/.installed

.PHONY: site serve test check docs schemas bench chromium audit lock clean

site: $(STAMP)
	$(BIN)/catalogue build

serve: $(STAMP)
	$(BIN)/catalogue serve

check: $(STAMP)
	$(BIN)/catalogue check

test: $(STAMP) $(NODE) chromium
	$(BIN)/python -m pytest -q

# axe-core and the Nu Html Checker (vnu-jar, run with the machine's Java), pinned in
# package-lock.json.
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE)

# Lighthouse takes minutes, so it is not part of `make test`.
audit: site $(NODE) chromium
	$(BIN)/python benchmarks/lighthouse.py

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Rewrites the <!-- output: ... --> regions in docs/ and README.md from the program's real output.
docs: $(STAMP)
	$(BIN)/python -m generator.docs

schemas: $(STAMP)
	$(BIN)/catalogue schema --out schemas

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/build.py

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
	rm -rf $(VENV) site .cache node_modules
