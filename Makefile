# The two set-up commands of the README: `make pdf` and `make test`.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PDFJS  := tests/js/node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
PYTHON ?= python3
ISSUE  ?= issues/2024-12

.PHONY: pdf test quick lint golden placements docs bench atom-schema clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	./scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# pdf.js under Node, for the tests that search the web edition as Firefox does;
# axe-core and html-validate for the web page's.
$(PDFJS): tests/js/package.json scripts/pdfjs.sh
	./scripts/pdfjs.sh
	touch $(PDFJS)

# Chromium from the system's packages, which Playwright drives in tests/test_web.py.
$(CHROMIUM): scripts/browser.sh
	./scripts/browser.sh

pdf: $(STAMP)
	$(BIN)/emn-pdf build $(ISSUE) --target all -o build/

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy src

test: lint $(PDFJS) $(CHROMIUM)
	$(BIN)/pytest -n auto --dist loadgroup --durations=15

# The edit loop: lint, types and every test that lays no page out.
quick: lint
	EMN_PDF_QUICK=1 $(BIN)/pytest -q -p no:cacheprovider -n auto

# The figures of benchmarks/README.md: several minutes on two cores.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/typst_edition.py

# Rewrite tests/golden/ from the current templates; review the diff before committing.
golden: $(STAMP)
	EMN_PDF_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_render.py

# Write what the models make: issue.schema.json and the README's table of kinds.
docs: $(STAMP)
	$(BIN)/python scripts/derive_docs.py

# Capture tests/placements/ again: every edition of the sample and the corpus laid
# out, each placement's input and result kept (a few minutes); review the diff.
placements: $(STAMP)
	EMN_PDF_UPDATE_PLACEMENTS=1 $(BIN)/pytest -q -n auto tests/test_placements.py

# Convert RFC 4287's Atom schema (tests/data/atom.rnc) to the RELAX NG XML syntax
# the tests read (tests/data/atom.rng), with trang; done once, the result committed.
atom-schema:
	./scripts/atom-schema.sh

clean:
	rm -rf build $(VENV)
