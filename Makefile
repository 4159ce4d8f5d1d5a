# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# the first interpreter that really runs and is 3.11+ (a pyenv shim can exist without its version installed)
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: install install-dev translations messages run test test-fast lint chromium libreoffice axe bench bench-quick
.PHONY: nginx

install: $(VENV)/.installed translations libreoffice

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required (python3.11, python3.12 or python3.13)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

install-dev: install $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -f -d awards/translations

# After changing user-visible text: refresh the English catalog, then translate the new empty entries.
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location -o /tmp/awards-messages.pot .
	$(BIN)/pybabel -q update -i /tmp/awards-messages.pot -d awards/translations --no-fuzzy-matching --ignore-obsolete

# The development server and, beside it in the same process group, the job consumer (Huey on instance/jobs.db):
# exports, imports and the periodic reminders run as they do in production. Ctrl-C stops both; a job cut short
# goes back to the queue and runs at the next start.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) jobs run --workers 1 & jobs=$$!; trap 'kill $$jobs 2>/dev/null; wait $$jobs' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian's chromium drives the browser tests (a browser download cannot work here); installed when root.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing and this is not root: browser tests will be skipped"; fi

# Debian's nginx checks the example configs in deploy/ (`nginx -t`, tests/deploy/test_nginx_config.py); installed when
# root, else those tests are skipped.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian nginx for the deployment tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			nginx >/dev/null; \
		[ -d /run/systemd/system ] || /usr/sbin/nginx -s quit 2>/dev/null || true; \
	else echo "nginx is missing and this is not root: the nginx config tests will be skipped"; fi

# LibreOffice converts every generated .docx to PDF (awards/core/pdf.py), with Liberation Serif 2 (Times New
# Roman's metrics, Vietnamese glyphs); installed when root, else the PDF links say PDF is not available here.
libreoffice:
	@if command -v soffice >/dev/null && fc-list :lang=vi family | grep -q "Liberation Serif"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing LibreOffice (headless) and Liberation fonts for the PDF documents…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui fonts-liberation2 >/dev/null; \
	else echo "LibreOffice is missing and this is not root: documents are offered as .docx only, not PDF"; fi

# axe-core (package.json, pinned) for the accessibility tests, when node is here; without it they are skipped.
axe:
	@if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then npm ci --no-audit --no-fund; fi

lint: install-dev
	$(BIN)/ruff check .

# The suite on SQLite, one worker per core (a test module stays on one worker); then, when TEST_DATABASE_URL
# is set, the same suite on that database too.
PYTEST := $(BIN)/python -m pytest -q -n auto --dist loadfile

test: install-dev chromium axe lint
test: nginx
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "== again on $$TEST_DATABASE_URL"; $(PYTEST); fi

# The edit–test loop: everything but browsers, servers, fuzzing and benchmarks (marked slow), on SQLite.
test-fast: install-dev lint
	env -u TEST_DATABASE_URL $(PYTEST) -m "not slow"

# Performance at province scale (bench/README.md): SQLite, and PostgreSQL too when BENCH_DATABASE_URL is set
# (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench). The generated province is cached in /tmp.
$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

bench: install $(VENV)/.installed-bench
	$(BIN)/python -m bench --scale 1

# 1/10 of a province, under a minute once its database is cached
bench-quick: install $(VENV)/.installed-bench
	$(BIN)/python -m bench --scale 0.1
