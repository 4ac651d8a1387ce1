# Tadreeb: `make run` serves the demo site, `make test` runs the whole suite.
# Both install what is missing first and are quick the second time.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 chromium wkhtmltopdf gettext poppler-utils postgresql-client
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install system-packages migrate demo lint format messages clean deploy-check

# The signing key comes before the demo data, so the demo certificates are signed;
# the demo's certificate PDFs are queued tasks, rendered by a batch worker before the
# server starts; then a task worker runs beside the server and stops with it;
# HOST and PORT reach the settings, so printed addresses (QR codes, PDFs, e-mails)
# point where the site is served.
run: export TADREEB_DEV_HOST := $(HOST)
run: export TADREEB_DEV_PORT := $(PORT)
run: install
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py make_dev_signing_key
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py load_demo
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py run_worker --batch --no-startup-delay --worker-id make-run-demo --verbosity 0
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py regenerate_certificate_pdfs --sign-only
	@echo ""
	@echo "Tadreeb is being served on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py demo_accounts
	@export DJANGO_SETTINGS_MODULE=lms.settings.dev; \
	  $(BIN)/python manage.py run_worker --worker-id make-run & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist), each test file wholly on one
# of them, so that its shared blocks are built once (see tests/blocks.py). Locally the
# PostgreSQL test databases are kept between runs (--reuse-db: no migrations the second
# time); CI makes them afresh. SQLite's test database lives in memory either way.
# PYTEST_ARGS adds options: `make test PYTEST_ARGS="tests/courses -x"`.
TEST_WORKERS ?= 2
TEST_DB ?= $(if $(CI),--create-db,--reuse-db)
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_DB) $(PYTEST_ARGS)

install: system-packages $(VENV)/.installed node_modules/.installed

# The test suite's browser-side tools (axe-core for tests/e2e/test_accessibility.py),
# from the npm registry at the versions package-lock.json pins; nothing is served.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: sudo apt-get install -y npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The deployment bundle (deploy/) proven on this machine: Debian's nginx in front of two
# gunicorn servers, a worker, PostgreSQL (DEPLOY_CHECK_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/postgres: a scratch database is made and dropped)
# and Redis (DEPLOY_CHECK_REDIS_URL, default redis://127.0.0.1:6379/15: flushed), under
# production settings. deploy/check/run.py says what it checks.
DEPLOY_PACKAGES := nginx-light
deploy-check: install
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(DEPLOY_PACKAGES)"
	$(BIN)/python deploy/check/run.py

# System packages: installed with apt-get when running as root, otherwise the exact
# command is printed. A stamp keeps the second run quick.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The interface catalogue: our strings only (libraries bring their own catalogues).
# The compiled .mo is committed beside the .po; tests/core/test_catalogues.py checks
# that both are complete and current with the code. No static/js file uses gettext
# today; add `-d djangojs` here when one does.
MESSAGES_IGNORE := --ignore=.venv --ignore=static_collected --ignore=media --ignore=var \
	--ignore=tests --ignore=bench --ignore=node_modules --ignore=fixtures
messages: install
	$(BIN)/python manage.py makemessages -l ar -d django --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l ar $(MESSAGES_IGNORE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache static_collected var node_modules
