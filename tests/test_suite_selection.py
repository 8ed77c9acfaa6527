"""How ``make test`` splits the suite between its runs (Makefile): the ``nodb`` mark that the
PostgreSQL run leaves out, and the Django 6 run's modules, which cover every test package."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO


def django6_tests() -> list[str]:
    """The paths of the Makefile's ``DJANGO6_TESTS``."""
    makefile = (REPO / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(r"^DJANGO6_TESTS \?=(.*)$", makefile, flags=re.MULTILINE)
    assert match, "the Makefile sets DJANGO6_TESTS"
    return match.group(1).split()


def test_a_test_without_a_database_fixture_is_marked_nodb(request):
    assert request.node.get_closest_marker("nodb")


def test_a_test_with_the_db_fixture_is_not_marked_nodb(request, db):
    assert request.node.get_closest_marker("nodb") is None


@pytest.mark.django_db
def test_a_test_with_the_django_db_mark_is_not_marked_nodb(request):
    assert request.node.get_closest_marker("nodb") is None


def test_a_test_whose_fixture_asks_for_the_database_is_not_marked_nodb(request, front_page):
    assert request.node.get_closest_marker("nodb") is None


def test_the_django6_run_names_existing_tests():
    paths = django6_tests()
    assert paths
    for path in paths:
        assert (REPO / path).exists(), path


def test_the_django6_run_covers_every_test_package():
    """Every package of tests/ (the browser tests aside: they run once, in the SQLite run)
    has at least one module in the Django 6 run, and so does the settings module."""
    paths = django6_tests()
    packages = {
        folder.relative_to(REPO).as_posix()
        for folder in (REPO / "tests").iterdir()
        if folder.is_dir() and folder.name != "browser" and any(folder.rglob("test_*.py"))
    }
    covered = {p for p in packages if any(x == p or x.startswith(p + "/") for x in paths)}
    assert covered == packages, packages - covered
    assert "tests/test_settings.py" in paths
