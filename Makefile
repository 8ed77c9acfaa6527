# Broadsheet: `make demo` runs the demo newsroom, `make test` the test suite (SQLite + PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/broadsheet
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: screenshots demo test test-sqlite test-postgres test-django6 lint format install clean messages lock versions

# constraints.txt is the lock file: the exact versions installed (make lock regenerates it).
$(BIN)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

# Resolve pyproject.toml's dependencies afresh in a scratch venv and write constraints.txt.
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet -e '.[dev]'
	{ sed -n '1,3p' constraints.txt; $(VENV)-lock/bin/python -m pip freeze --exclude-editable | grep -v '^broadsheet'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf $(VENV)-lock

# What is installed (CI prints it before the tests).
versions: $(BIN)/.installed
	$(BIN)/python --version
	$(BIN)/python -m pip list --format=freeze --exclude-editable

demo: $(BIN)/.installed
	$(BIN)/broadsheet demo --host $(HOST) --port $(PORT)

# Every reader page type of the demo at 390 and 1280 px, into docs/screenshots/ (Chromium).
screenshots: $(BIN)/.installed
	./bin/ensure-chromium
	$(BIN)/python bin/screenshots

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The compiled translations (broadsheet/locale/*/LC_MESSAGES/django.mo) are committed; after
# editing a .po file, compile it again (needs GNU gettext's msgfmt: apt-get install gettext).
messages: $(BIN)/.installed
	cd broadsheet && ../$(BIN)/python -m broadsheet compilemessages

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The slow tests (every hostile string in every form field, the whole WordPress test export)
# run once, on PostgreSQL, the production database; the SQLite and Django 6 runs skip them.
# The browser tests (tests/browser: headless Chromium against the demo newsroom, which runs on
# SQLite whatever the database of the run) run once, in the SQLite run, on one worker.
# So does the pywb test (a frozen archive's WARC replayed in pywb, from its own .venv-pywb/,
# installed by bin/ensure-pywb): BROADSHEET_REQUIRE_PYWB=1 makes it fail, not skip, without pywb.
test-sqlite: $(BIN)/.installed
	./bin/ensure-chromium
	PYTHON=$(PYTHON) ./bin/ensure-pywb
	BROADSHEET_REQUIRE_PYWB=1 $(BIN)/pytest -n 2 --dist loadgroup -m "not slow" $(PYTEST_ARGS)

# The PostgreSQL run leaves out the tests that cannot reach the database (marked nodb by
# tests/conftest.py: they ask for no database fixture, and pytest-django refuses them any
# access), which the SQLite run has already run: their outcome cannot depend on the database.
test-postgres: $(BIN)/.installed
	./bin/ensure-postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not browser and not pywb and (slow or not nodb)" \
	  $(PYTEST_ARGS)

# Django 6.x on Python >= 3.12, when such a Python is on the machine (SQLite). A compatibility
# run: the SQLite run has already run every test on the locked Django 5.2, so this one runs
# the modules that go through Django's and Wagtail's own machinery — settings and system checks,
# migrations, the ORM, the admin, forms, CSRF, sessions and sign-in, middleware, mail, templates
# and views, management commands, feeds and sitemaps — at least one module of every app's tests
# (tests/test_suite_selection.py checks that no test package is left out). Left out: what
# mostly exercises our own code over Django's (HTML import heuristics, text normalisation,
# Jalali dates, the Pagefind index, the bake's own variants (test_demo bakes the demo),
# the browser and pywb tests).
# `make test-django6 DJANGO6_TESTS=tests` runs the whole suite on Django 6 (before moving to it).
DJANGO6_TESTS ?= tests/test_settings.py tests/test_demo.py \
	tests/content/test_models.py tests/content/editorial/test_roles.py \
	tests/content/editorial/test_story_editor.py \
	tests/discussion/test_comments.py tests/discussion/test_admin.py \
	tests/discussion/test_mail_smtp.py \
	tests/distribution/test_subscribe.py tests/distribution/test_admin.py \
	tests/editions/test_editions.py tests/editions/test_admin_language.py \
	tests/forums/test_accounts.py tests/forums/test_posting.py tests/forums/test_moderation.py \
	tests/importers/test_wxr.py tests/importers/test_storyfiles.py \
	tests/mirrors/test_mirrors.py tests/ops/test_backup.py \
	tests/publishing/test_admin_and_queue.py \
	tests/search/test_server_search.py tests/search/test_story_index.py \
	tests/security \
	tests/site/test_registry.py tests/site/test_versions.py \
	tests/stories/test_reader_pages.py tests/stories/test_images_and_preview.py \
	tests/syndication/test_feeds.py tests/syndication/test_sitemaps.py
test-django6:
	@py=$$(./bin/find-python312); \
	if [ -z "$$py" ]; then echo "test-django6: no Python >= 3.12 here, skipped"; exit 0; fi; \
	[ -x $(VENV)-django6/bin/python ] || $$py -m venv $(VENV)-django6; \
	$(VENV)-django6/bin/python -m pip install --quiet --upgrade pip && \
	$(VENV)-django6/bin/python -m pip install --quiet -e '.[dev]' 'django>=6.0,<6.2' && \
	$(VENV)-django6/bin/python -c 'import django; print("Django", django.get_version())' && \
	$(VENV)-django6/bin/pytest -n 2 -m "not slow and not browser and not pywb" -p no:cacheprovider \
	  $(PYTEST_ARGS) $(DJANGO6_TESTS)

test: versions lint test-sqlite test-postgres test-django6

clean:
	rm -rf $(VENV) $(VENV)-django6 $(VENV)-pywb var/site
