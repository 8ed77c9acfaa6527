"""Shared fixtures: the real inputs in ../shared, and a newsroom with a front page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEMO_STORIES = REPO / "demo" / "stories"
SEED_STORY_FILE = (
    DEMO_STORIES / "iran-opposition" / "iran-national-solidarity-to-create-an-alternative.md"
)


@pytest.fixture(autouse=True)
def _fresh_site_facts():
    """Every test starts without the process's memo of site-wide facts
    (:mod:`broadsheet.site.facts`): a test's rolled-back rows bump no version."""
    from broadsheet.site import facts

    facts.clear()


@pytest.fixture
def shared() -> Path:
    """The ../shared folder of real inputs; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent (looked for {SHARED}); real-input tests skipped")
    return SHARED


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture whose rows every database test of its module reads (an
    expensive, shared setup, made once instead of once per test): the database open and a
    transaction around the rows, rolled back after the module's last test. Each test runs
    inside it in a savepoint of its own (pytest-django's ``db``), so what one test changes is
    gone before the next, whatever the order. Only for modules whose database tests all use
    the fixture (so that none sees rows it did not ask for) and none of them asks for
    ``transactional_db`` (which would flush the shared rows)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def front_page(db):
    from broadsheet.content.newsroom.tree import ensure_front_page

    return ensure_front_page("Test Newsroom")


@pytest.fixture
def client_ok(client):
    """The Django test client; ``client_ok.get_html(path)`` asserts 200 and returns text."""

    def get_html(path: str, status: int = 200) -> str:
        response = client.get(path)
        assert response.status_code == status, f"{path}: {response.status_code}"
        return response.content.decode()

    client.get_html = get_html
    return client


def executable_scripts(html: str) -> list[str]:
    """The ``<script>`` tags of a page other than JSON-LD data blocks (which browsers never
    run; their content is escaped so that it cannot close the tag), the site's own
    one-click-edit file (``broadsheet/edit-link.js``, a first-party static file, exactly as the
    ``head`` slot writes it) and the reader forms' file (``broadsheet/reader-forms.js``, exactly
    as the form macro writes it)."""
    import re

    own = re.compile(
        r'<script src="(https?://[^/"]+)?/static/broadsheet/edit-link(\.[0-9a-f]+)?\.js"'
        r' data-endpoint="[^"<>]*" defer>'
    )
    forms = re.compile(
        r'<script src="(https?://[^/"]+)?/static/broadsheet/reader-forms(\.[0-9a-f]+)?\.js"'
        r" defer>"
    )
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
        if tag.lower() != '<script type="application/ld+json">'
        and not own.fullmatch(tag)
        and not forms.fullmatch(tag)
    ]


#: The fixtures through which a test reaches the database (pytest-django refuses any other
#: access): a test that asks for none of them, directly or through its fixtures, and carries
#: no ``django_db`` mark, cannot touch the database at all. (``django_db_blocker`` is not
#: among them: pytest-django's autouse fixtures ask for it on every test.)
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",  # also what a fixture that unblocks the database must ask for
        "live_server",
    }
)


def uses_database(item: pytest.Item) -> bool:
    """Whether ``item`` can reach the database: a ``django_db`` mark, or one of
    :data:`DATABASE_FIXTURES` among the fixtures it uses (its fixtures' own included)."""
    if item.get_closest_marker("django_db"):
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that cannot reach the database ``nodb`` (before ``-m`` selects), so
    that the PostgreSQL run can leave out what the SQLite run already proves (Makefile)."""
    for item in items:
        if not uses_database(item):
            item.add_marker(pytest.mark.nodb)
