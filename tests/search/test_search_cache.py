"""Search result pages cached briefly in Django's cache (broadsheet/search/cache.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from broadsheet.search import cache
from broadsheet.site import versions
from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory, TipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache of this test's own, so that no other test's pages are in it."""
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "search-test": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"search-test-{id(settings)}",
        },
    }
    settings.BROADSHEET_SEARCH_CACHE = "search-test"
    settings.BROADSHEET_SEARCH_CACHE_SECONDS = 60
    yield caches["search-test"]
    caches["search-test"].clear()


def hits(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-headline" dir="auto"><a href="([^"]+)">', html)


def test_a_repeated_search_is_served_from_the_cache(client, front_page, django_assert_num_queries):
    story = StoryFactory(title="Zanjan earthquake")
    first = client.get("/search/", {"q": "zanjan"})
    assert hits(first.content.decode()) == [story.url]
    with django_assert_num_queries(0):
        second = client.get("/search/", {"q": "zanjan"})
    assert second.status_code == 200
    assert second.content == first.content
    assert second["X-Robots-Tag"] == "noindex"


def test_other_parameters_are_other_pages(client, front_page, django_assert_num_queries):
    StoryFactory(title="Zanjan earthquake")
    client.get("/search/", {"q": "zanjan"})
    with django_assert_num_queries(0):
        client.get("/search/", {"q": "zanjan", "page": "1"})  # the same request, normalised
    page = client.get("/search/", {"q": "Zanjan"}).content.decode()  # shown as typed
    assert 'value="Zanjan"' in page


def test_a_publish_invalidates_cached_pages(client, front_page):
    assert hits(client.get("/search/", {"q": "tabriz"}).content.decode()) == []
    story = StoryFactory(title="Tabriz bazaar")
    assert hits(client.get("/search/", {"q": "tabriz"}).content.decode()) == [story.url]
    story.unpublish()
    assert hits(client.get("/search/", {"q": "tabriz"}).content.decode()) == []


def headlines(html: str) -> list[str]:
    found = re.findall(r'<h2 class="card-headline" dir="auto"><a href="[^"]+">(.*?)</a>', html)
    return [re.sub(r"<[^>]+>", "", h) for h in found]


def test_each_site_has_its_own_cached_pages(client, front_page, settings):
    """The request's host chooses the Wagtail site, and the site the results."""
    from wagtail.models import Page, Site

    from broadsheet.content.newsroom.models import FrontPage

    settings.ALLOWED_HOSTS = ["*"]
    other = FrontPage(title="Other Newsroom", slug="other")
    Page.get_first_root_node().add_child(instance=other)
    other.save_revision().publish()
    Site.objects.create(hostname="other.example", port=80, root_page=other)
    StoryFactory(title="Zanjan earthquake")
    StoryFactory(title="Zanjan relief", parent=SectionFactory(title="Desk", parent=other))
    for _ in range(2):  # the second time from the cache
        here = client.get("/search/", {"q": "zanjan"}).content.decode()
        there = client.get("/search/", {"q": "zanjan"}, HTTP_HOST="other.example").content
        assert headlines(here) == ["Zanjan earthquake"]
        assert headlines(there.decode()) == ["Zanjan relief"]


def change_author(front_page):
    author = AuthorFactory(name="Ali Writer")
    yield
    author.name = "Ali Rezaei"
    author.save()


def change_tip(front_page):
    yield
    TipFactory()


def change_settings(front_page):
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))  # created
    yield
    newsroom.tagline = "News from the exile"
    newsroom.save()


def change_section(front_page):
    section = SectionFactory(title="Iran")
    yield
    section.title = "Iran and the region"
    section.save_revision().publish()


def change_site(front_page):
    from wagtail.models import Site

    yield
    Site.objects.filter(is_default_site=True).first().save()


@pytest.mark.parametrize(
    "change", [change_author, change_tip, change_settings, change_section, change_site]
)
def test_what_a_search_page_shows_invalidates_it(front_page, change):
    steps = change(front_page)
    next(steps)  # set up
    before = cache.generation()
    next(steps, None)  # change
    assert cache.generation() != before


def test_drafts_invalidate_nothing(front_page):
    story = StoryFactory(title="Zanjan earthquake")
    section = story.get_parent().specific
    before = cache.generation()
    story.title = "Embargoed"
    story.save_revision()
    section.title = "Renamed in a draft"
    section.save_revision()
    StoryFactory(title="A draft", live=False, parent=section)
    assert cache.generation() == before


def test_cache_can_be_turned_off(client, front_page, settings, own_cache):
    settings.BROADSHEET_SEARCH_CACHE_SECONDS = 0
    StoryFactory(title="Zanjan earthquake")
    client.get("/search/", {"q": "zanjan"})
    assert not any(str(k).find(cache.PAGE_PREFIX) >= 0 for k in own_cache._cache)
    assert cache.get_page({"q": "zanjan"}) == (None, "")


def test_generation_survives_a_lost_counter(own_cache):
    before = cache.generation()
    cache.bump()
    assert cache.generation() > before
    own_cache.delete(
        versions.cache_key(cache.GENERATION_NAME)
    )  # evicted, or a restarted cache server
    assert cache.generation() > before  # never an old number again: old pages stay unused


def test_redis_backend_reuses_its_client():
    """One ``redis.Redis`` per pool (building one costs more than a get); no server needed."""
    from broadsheet.search.rediscache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/13", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: one pool


def test_redis_backend_round_trip():
    """Against the Redis on 127.0.0.1 when one answers (skipped otherwise)."""
    import redis

    from broadsheet.search.rediscache import RedisCache

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = RedisCache(url, {})
    key = f"broadsheet-test-{id(backend)}"
    backend.set(key, "<p>page</p>", 5)
    assert backend.get(key) == "<p>page</p>"
    backend.delete(key)
