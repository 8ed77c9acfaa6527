from dataclasses import replace
from pathlib import Path

from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """Feeds (RSS 2.0, Atom 1.0), sitemaps (sitemaps.org 0.9, Google News), robots.txt, and the
    social and structured data in the head of reader pages — declared in the site registry
    (docs/syndication.md, docs/design.md)."""

    name = "broadsheet.syndication"
    label = "syndication"
    verbose_name = "Syndication"

    def ready(self) -> None:
        from broadsheet.site.registry import TEXT, XML, PageKind, Rule, registry

        from . import feeds, feedspage, head, rules, sitemaps

        # what the files show: stories (and their bylines, sections, tags), authors' names and
        # slugs, section titles and URLs, the site's name; pages.xml also information pages
        feed_reads = frozenset({"story", "author", "sections", "site"})
        pages_reads = feed_reads | {"page"}
        # a kind's content type is the file's; a feed's own (RSS or Atom, with charset=utf-8)
        # is on what it renders
        kinds = [
            PageKind(
                "robots",
                "robots.txt",
                sitemaps.robots,
                sitemaps.one,
                content_type=TEXT,
                every_edition=False,
            ),
            PageKind(
                "sitemap-index",
                "sitemap.xml",
                sitemaps.sitemap_index,
                sitemaps.one,
                pages_reads,
                content_type=XML,
            ),
            PageKind(
                "sitemap-news",
                "sitemap-news.xml",
                sitemaps.sitemap_news,
                sitemaps.one,
                frozenset({"story", "sections", "site"}),
                content_type=XML,
            ),
            PageKind(
                "sitemap-pages",
                "sitemaps/pages.xml",
                sitemaps.sitemap_pages,
                sitemaps.one,
                pages_reads,
                content_type=XML,
            ),
            PageKind(
                "sitemap-month",
                "sitemaps/stories-<yyyy:year>-<mm:month>.xml",
                sitemaps.sitemap_month,
                sitemaps.month_paths,
                frozenset({"story", "sections"}),
                content_type=XML,
            ),
            PageKind(
                "feed",
                "feeds/<fmt:fmt>.xml",
                feeds.site_feed,
                feeds.site_feed_paths,
                feed_reads,
                content_type=XML,
            ),
            PageKind(
                "author-feed",
                "authors/<seg:slug>/feed/<fmt:fmt>.xml",
                feeds.author_feed,
                feeds.author_feed_paths,
                feed_reads,
                content_type=XML,
            ),
            PageKind(
                "tag-feed",
                "tags/<seg:slug>/feed/<fmt:fmt>.xml",
                feeds.tag_feed,
                feeds.tag_feed_paths,
                feed_reads,
                content_type=XML,
            ),
            # before the tree route (and a section's numbered pages, 900)
            PageKind(
                "section-feed",
                "<tree:path>/feed/<fmt:fmt>.xml",
                feeds.section_feed,
                feeds.section_feed_paths,
                feed_reads,
                content_type=XML,
                order=800,
            ),
        ]
        kinds.append(
            PageKind(
                "feeds-page",
                "feed/",
                feedspage.feeds_page,
                feedspage.one,
                frozenset({"sections", "site", "tips"}),
            )
        )
        for kind in kinds:
            registry.page(replace(kind, feature=self.label))
        registry.rule(Rule(frozenset({"story"}), rules.on_story, self.label))
        registry.rule(Rule(frozenset({"author"}), rules.on_author, self.label))
        registry.rule(Rule(frozenset({"page"}), rules.on_page, self.label))
        registry.rule(Rule(frozenset({"sections", "site"}), rules.on_site_wide, self.label))
        registry.slot("head", head.head)
        # the utility links after the sections: a feature's entry at the default order (100,
        # e.g. Forums) comes first, then RSS (101), Guestbook (102), Contact (103)
        registry.slot("nav_end", feedspage.nav_link, 101, True)
        registry.templates(str(Path(__file__).resolve().parent / "templates" / "reader"))
