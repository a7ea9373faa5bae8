# Everything needs only python3: the venv and pinned packages are created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NODE   := node_modules/.installed

.PHONY: site serve test check docs schemas bench chromium audit audit-hostile audit-property lock \
	clean editor

site: $(STAMP)
	$(BIN)/catalogue build

serve: $(STAMP)
	$(BIN)/catalogue serve

check: $(STAMP)
	$(BIN)/catalogue check

test: $(STAMP) $(NODE) chromium
	$(BIN)/python -m pytest -q -n 2 --dist loadscope

# The browser editor on one's own machine: Decap CMS at http://127.0.0.1:8080/, its local back
# end (decap-server, which writes straight into this folder) on 127.0.0.1:8081, and the site at
# http://127.0.0.1:8000/, which rebuilds when a file is saved. Ctrl+C stops all three.
EDITOR_DIR := .cache/editor
editor: $(STAMP) $(NODE)
	$(BIN)/catalogue editor --out $(EDITOR_DIR)
	@echo "Editoren: http://127.0.0.1:8080/   Siden: http://127.0.0.1:8000/   Stop: Ctrl+C"
	@trap 'kill $$proxy $$admin 2>/dev/null' EXIT INT TERM; \
	  PORT=8081 BIND_HOST=127.0.0.1 node node_modules/decap-server/dist/index.js & proxy=$$!; \
	  $(BIN)/python -m http.server 8080 --bind 127.0.0.1 --directory $(EDITOR_DIR) \
	    >/dev/null 2>&1 & admin=$$!; \
	  $(BIN)/catalogue serve

# axe-core and the Nu Html Checker (vnu-jar, run with the machine's Java), and Decap CMS with
# its local back end for `make editor` and tests/test_editor.py, pinned in package-lock.json.
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE)

# Lighthouse takes minutes, so it is not part of `make test`.
audit: site $(NODE) chromium audit-property
	$(BIN)/python benchmarks/lighthouse.py

# The check/build property test at length (`make test` runs 12 cases): 300 catalogues through
# the pipeline, then 40 others built with MkDocs for every brand, open data by frictionless.
audit-property: $(STAMP)
	PROPERTY_EXAMPLES=300 PROPERTY_SEED=19 $(BIN)/python -m pytest -q -p no:cacheprovider \
	  tests/test_property.py
	PROPERTY_EXAMPLES=40 PROPERTY_SEED=20 PROPERTY_MKDOCS=1 $(BIN)/python -m pytest -q \
	  -p no:cacheprovider tests/test_property.py

# Every hostile vector alone in its value in every field (20 builds), every page of every site
# at phone and desktop size; `make test` runs one build with the vectors shared out.
audit-hostile: $(STAMP) $(NODE) chromium
	HOSTILE_ROUNDS=20 HOSTILE_FULL=1 $(BIN)/python -m pytest -q tests/test_hostile.py

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Rewrites the <!-- output: ... --> regions in docs/ and README.md from the program's real output.
docs: $(STAMP)
	$(BIN)/python -m generator.docs

schemas: $(STAMP)
	$(BIN)/catalogue schema --out schemas

# One table of every figure (benchmarks/bench.py), also written to benchmarks/results.md.
# BENCH_SIZES=200,1000 BENCH_BRANDS=10 make bench for a quick look.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

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
