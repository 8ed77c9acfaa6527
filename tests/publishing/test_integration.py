"""The other apps' baked files: feeds and sitemaps, the search page and its Pagefind index,
the guestbook and letters pages; comment moderation and guestbook entries queue re-bakes."""

from __future__ import annotations

import feedparser
import pytest

from broadsheet.content.discussion.models import Comment, CommentStatus, GuestbookEntry
from broadsheet.content.discussion.moderation import moderate_comments, moderate_guestbook
from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRequest, BakeRun

pytestmark = pytest.mark.django_db


def test_full_bake_writes_feeds_sitemaps_search_and_reader_forms(newsroom, tmp_path, settings):
    settings.BROADSHEET_STATIC_SEARCH = True
    run = full_bake(tmp_path)
    assert run.status == BakeRun.Status.DONE, run.error
    feed = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 14
    section_feed = feedparser.parse((tmp_path / "iran" / "feed" / "atom.xml").read_bytes())
    assert section_feed.bozo == 0 and len(section_feed.entries) == 10  # Iran + Opposition
    assert b"<sitemapindex" in (tmp_path / "sitemap.xml").read_bytes()
    assert b"Sitemap:" in (tmp_path / "robots.txt").read_bytes()
    for page in ("search", "guestbook", "contact"):
        assert (tmp_path / page / "index.html").is_file(), page
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert list((tmp_path / "pagefind" / "fragment").iterdir())


def test_comment_approval_rebakes_the_story_page(newsroom, baking_on, client):
    story = newsroom["stories"][3]
    full_bake(baking_on)
    comment = Comment.objects.create(story=story, name="Reader One", text="A fine report.")
    assert not BakeRequest.objects.exists()  # held comments change no page
    moderate_comments(Comment.objects.filter(id=comment.id), CommentStatus.APPROVED)
    assert BakeRequest.objects.filter(kind="comments", object_id=story.id).exists()
    run = process_pending(baking_on)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    url = "/" + story.url_path.split("/", 2)[2]
    assert url in run.written
    page = (baking_on / url.strip("/") / "index.html").read_text()
    assert "Reader One" in page and "A fine report." in page


def test_guestbook_moderation_rebakes_the_guestbook(newsroom, baking_on):
    full_bake(baking_on)
    entry = GuestbookEntry.objects.create(name="Visitor", place="Oslo", text="Keep going.")
    moderate_guestbook(GuestbookEntry.objects.filter(id=entry.id), CommentStatus.APPROVED)
    run = process_pending(baking_on)
    assert run is not None and "/guestbook/" in run.written
    assert "Keep going." in (baking_on / "guestbook" / "index.html").read_text()
