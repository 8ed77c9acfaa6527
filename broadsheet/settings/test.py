"""Test settings: SQLite in memory unless ``DATABASE_URL`` names another database."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
BROADSHEET_BASE_URL = "http://127.0.0.1:8000"  # the public address pages and feeds name
BROADSHEET_TAG_URI_AUTHORITY = "newsroom.example"  # feed ids: the newsroom's own domain
DEBUG = False
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
BROADSHEET_SECOND_FACTOR_REQUIRED = False  # tests/security turn it on
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BROADSHEET_SERVE_MEDIA = True
BROADSHEET_PAGE_SIZE = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BROADSHEET_BAKE_ON_CHANGE = False  # baking tests turn it on (docs/baking.md)
BROADSHEET_STATIC_SEARCH = False  # Pagefind runs only in the tests that ask for it
# Live pages read the site-wide facts from the database: many tests change rows with raw
# UPDATEs, which no signal reports; tests/site/test_facts.py and the search tests turn the
# process's memo on (docs/design.md).
BROADSHEET_SITE_FACTS_SECONDS = 0
# Version numbers in the (test process's own) cache, as with a shared cache in production;
# tests/site/test_versions.py checks the database's, used with a per-process cache (the demo).
BROADSHEET_VERSIONS_IN = "cache"
