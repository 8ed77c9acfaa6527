"""Which search backend answers: the environment chooses Wagtail's backend, and readers'
searches read the story index only on Wagtail's database backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from broadsheet.search import dbrank


def settings_in_subprocess(env_extra: dict[str, str]) -> dict:
    """``WAGTAILSEARCH_BACKENDS`` as the base settings build it from ``env_extra``."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.WAGTAILSEARCH_BACKENDS))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")}
    env.update(DJANGO_SETTINGS_MODULE="broadsheet.settings.test", **env_extra)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_database_backend_by_default():
    backends = settings_in_subprocess({})
    assert backends == {"default": {"BACKEND": "wagtail.search.backends.database"}}


def test_opensearch_from_the_environment():
    """The keys Wagtail's search backends (modelsearch) read: URLS and INDEX_PREFIX."""
    backends = settings_in_subprocess(
        {
            "SEARCH_BACKEND": "wagtail.search.backends.opensearch2",
            "SEARCH_URL": "https://search1:9200, https://search2:9200",
            "SEARCH_INDEX": "newsroom",
        }
    )
    assert backends["default"] == {
        "BACKEND": "wagtail.search.backends.opensearch2",
        "URLS": ["https://search1:9200", "https://search2:9200"],
        "INDEX_PREFIX": "newsroom_",  # indexes newsroom_wagtailcore_page, …
    }


@pytest.mark.django_db
def test_only_the_database_backend_reads_the_story_index(front_page):
    from wagtail.search.backends import get_search_backend

    from broadsheet.search.query import StorySearch
    from broadsheet.site.build import make_build

    class OpenSearchLike:  # what StorySearch sees of another backend: its class
        pass

    assert dbrank.supported(get_search_backend())
    assert not dbrank.supported(OpenSearchLike())
    assert StorySearch(make_build().read, backend=OpenSearchLike()).fast is False
    assert StorySearch(make_build().read).fast is True
