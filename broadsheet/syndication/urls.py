"""URLs of feeds, sitemaps and robots.txt; every one ends in a file name, so the baked site
serves them as static files. Included by ``broadsheet/urls.py`` before Wagtail's page tree."""

from django.urls import path, re_path

from . import views

FMT = r"(?P<fmt>rss|atom)\.xml"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="syndication-robots"),
    path("sitemap.xml", views.sitemap_index, name="syndication-sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="syndication-sitemap-news"),
    re_path(
        r"^sitemaps/(?P<name>[a-z0-9-]+)\.xml$", views.sitemap_file, name="syndication-sitemap"
    ),
    re_path(rf"^feeds/{FMT}$", views.feed, {"kind": "site"}, name="syndication-feed"),
    re_path(
        rf"^authors/(?P<key>[^/]+)/feed/{FMT}$",
        views.feed,
        {"kind": "author"},
        name="syndication-author-feed",
    ),
    re_path(
        rf"^tags/(?P<key>[^/]+)/feed/{FMT}$",
        views.feed,
        {"kind": "tag"},
        name="syndication-tag-feed",
    ),
    re_path(
        rf"^(?P<key>(?:[^/]+/)*[^/]+)/feed/{FMT}$",
        views.feed,
        {"kind": "section"},
        name="syndication-section-feed",
    ),
]
