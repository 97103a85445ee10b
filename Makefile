# The two commands a newcomer needs: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := APP_ENV=development $(BIN)/flask --app wsgi
PORT ?= 5000
SIMULATOR_PORT ?= 5001

.PHONY: install assets run simulator db-upgrade demo lint import-graph format test test-fast test-sqlite test-pg browser bench ci clean lock

install: $(VENV)/.installed node_modules/.installed assets

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend, compiled with our settings (Arial, assets under /static/govuk/assets).
assets: static/govuk/app.css static/govuk/govuk-frontend.min.js

static/govuk/app.css: static/scss/app.scss node_modules/.installed
	mkdir -p static/govuk
	npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		static/scss/app.scss $@

static/govuk/govuk-frontend.min.js: node_modules/.installed
	mkdir -p static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@
	rm -rf static/govuk/assets
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets

db-upgrade: $(VENV)/.installed
	mkdir -p instance
	$(FLASK) db upgrade

demo: db-upgrade
	$(FLASK) demo seed

# The app with demo data on SQLite, beside the register simulator, both on 127.0.0.1.
# verify-due checks the demo registrations over real HTTP; some demo entries are meant to come
# back unreadable, so its exit status is shown but does not stop the demo. Then both councils'
# demo commissions are made (selecting and approving need the registrations checked first).
run: install demo
	@echo "Register simulator on http://127.0.0.1:$(SIMULATOR_PORT); the app on http://127.0.0.1:$(PORT)"
	$(FLASK) registers simulate --port $(SIMULATOR_PORT) & sim=$$!; \
		trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
		for i in $$(seq 1 50); do \
			curl -fs http://127.0.0.1:$(SIMULATOR_PORT)/_simulator/health >/dev/null && break; sleep 0.2; \
		done; \
		$(FLASK) registers verify-due || echo "(some demo registers are meant to be unreadable)"; \
		$(FLASK) registers canary || true; \
		$(FLASK) demo commissions; \
		jobs=$${JOBS_REDIS_URL:-redis://127.0.0.1:6379/1}; \
		if $(BIN)/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" $$jobs 2>/dev/null; then \
			echo "Background jobs: a worker and the scheduler on $$jobs"; \
			export JOBS_INLINE=0 JOBS_REDIS_URL=$$jobs; \
			$(FLASK) jobs worker & worker=$$!; $(FLASK) jobs scheduler & scheduler=$$!; \
			trap 'kill $$sim $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
		else echo "No Redis at $$jobs: jobs run at once in the app (JOBS_INLINE)"; fi; \
		$(FLASK) run --host 127.0.0.1 --port $(PORT) --no-reload

simulator: $(VENV)/.installed
	$(FLASK) registers simulate --port $(SIMULATOR_PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p instance
	rm -f instance/lint-check.db
	APP_ENV=development DATABASE_URL=sqlite:///$(CURDIR)/instance/lint-check.db $(BIN)/flask --app wsgi db upgrade
	APP_ENV=development DATABASE_URL=sqlite:///$(CURDIR)/instance/lint-check.db $(BIN)/flask --app wsgi db check
	rm -f instance/lint-check.db
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Every module of the service with the modules it imports directly (the layering: .importlinter).
import-graph: $(VENV)/.installed
	$(BIN)/python -c 'import grimp; g = grimp.build_graph("registry", "assessors"); \
		[print(m, "->", ", ".join(sorted(g.find_modules_directly_imported_by(m)))) for m in sorted(g.modules)]'

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite: SQLite always; PostgreSQL too when TEST_DATABASE_URL is set; browser journeys
# when Chromium is found (REQUIRE_BROWSER=1 and REQUIRE_POSTGRES=1 turn skips into failures).
test: install lint
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		$(BIN)/python -m pytest -m "not browser"; \
	fi

# The quick loop while working: SQLite, no browser, no test marked slow (under two minutes).
test-fast: install
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -q -m "not browser and not slow" --ignore=tests/browser

test-sqlite: install
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest

test-pg: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

browser: install
	$(BIN)/python -m pytest -m browser

# The search benchmark drives gunicorn with hey, Debian's native load generator (apt install hey).
bench: install
	$(BIN)/python benchmarks/verify_due.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/approval.py
	$(BIN)/python benchmarks/manager_lists.py
	$(BIN)/python benchmarks/page_weight.py

ci:
	bash .ci/run

lock:
	@echo "Edit requirements*.txt by hand from 'pip freeze' in a fresh venv; every line pinned."

clean:
	rm -rf $(VENV) node_modules static/govuk instance/*.db
