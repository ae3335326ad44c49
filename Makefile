# Lantern: `make run` serves the demo site, `make test` runs every test.
# Both work on a fresh machine with Python 3.11+ and Node 20+; with no DATABASE_URL or
# REDIS_URL they use SQLite and run Celery tasks in process.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Where links in emails point; the address `make run` serves unless you say otherwise.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test bench mutate install install-dev assets messages messages-extract lint format clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files record what was installed, so a second run skips the work.
$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/build/app.css: node_modules/.package-lock.json $(wildcard static/scss/*.scss)
	npm run --silent build

# The Welsh catalogue, compiled with polib (no GNU gettext needed to serve Welsh).
locale/cy/LC_MESSAGES/django.mo: locale/cy/LC_MESSAGES/django.po | $(VENV)/.installed
	$(PY) scripts/compile_messages.py

install: $(VENV)/.installed assets messages
install-dev: $(VENV)/.installed-dev assets messages
assets: static/build/app.css
messages: locale/cy/LC_MESSAGES/django.mo

# Brings the Welsh catalogue up to date with the strings marked in the code (needs GNU gettext:
# apt-get install gettext). File names but no line numbers, so that a moved string is no change.
messages-extract: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages --locale cy --add-location file --no-obsolete \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'staticfiles/*' \
		--ignore 'bench/*' --ignore 'scripts/*' --ignore 'mutants/*' --ignore 'docs/*'

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo
	DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Every benchmark in bench/ on PostgreSQL, one table (BENCH_ARGS=--quick for a smoke run).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lantern_bench
bench: install-dev
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) -m bench $(BENCH_ARGS)

# Mutation testing of the rules (README, "Mutation testing"): the score per module, target 85%.
# Slow (about half an hour); MUTATE_ARGS names modules (e.g. "risk periods") or --report.
MUTATE_CHILDREN ?= 1
mutate: install-dev
	MUTATE_CHILDREN=$(MUTATE_CHILDREN) $(PY) scripts/mutate.py $(MUTATE_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
