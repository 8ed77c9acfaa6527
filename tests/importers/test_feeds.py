"""Feeds: RSS 0.91, RSS 1.0 (RDF), RSS 2.0 and Atom, from files (never the network)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.feeds import import_feed

from .factories import write

pytestmark = pytest.mark.django_db

RSS091 = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Wire</title><link>http://wire.example/</link>
<description>d</description>
<item><title>Quake hits the coast</title><link>http://wire.example/news/quake-hits.html</link>
<description>A strong earthquake &lt;b&gt;shook&lt;/b&gt; the coast.</description></item>
</channel></rss>"""

RSS10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://wire.example/"><title>RDF Wire</title><link>http://wire.example/</link>
<description>d</description></channel>
<item rdf:about="http://wire.example/2005/05/elections"><title>Elections called</title>
<link>http://wire.example/2005/05/elections</link>
<description>Parliament is dissolved.</description>
<dc:date>2005-05-02T10:00:00Z</dc:date><dc:creator>Ann Writer</dc:creator></item>
</rdf:RDF>"""

RSS20 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Daily</title><link>http://daily.example/</link><description>d</description>
<item><title>Budget passed</title><link>http://daily.example/2019/03/budget-passed/</link>
<guid>http://daily.example/?p=5</guid><pubDate>Tue, 05 Mar 2019 08:30:00 +0000</pubDate>
<author>desk@daily.example (Bob Desk)</author>
<category>Budget</category><category>City Hall</category><category></category>
<description>The council passed the budget.</description>
<content:encoded><![CDATA[<p onclick="x()">Full <b>text</b>.</p><script>alert(1)</script>
<h2>Reaction</h2><blockquote><p>It is a good day.</p></blockquote>]]></content:encoded></item>
<item><title></title><link>http://daily.example/2019/03/untitled/</link>
<description>Only a description with enough words to make a headline from it here.</description>
<pubDate>Tue, 05 Mar 1960 08:30:00 +0000</pubDate></item>
<item><title>Dup</title><link>http://daily.example/2019/03/budget-passed/</link>
<description>Same link again.</description></item>
<item><title></title><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id>
<updated>2020-01-01T00:00:00Z</updated>
<entry><title>Atom story</title><id>urn:1</id><link href="http://atom.example/stories/atom-story"/>
<published>2020-01-01T12:00:00Z</published><updated>2020-01-02T12:00:00Z</updated>
<author><name>Cy Atom</name></author><summary>Short.</summary>
<content type="html">&lt;p&gt;Long body.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_091(tmp_path, front_page):
    report = import_feed(write(tmp_path, RSS091, "a.xml"))
    assert report.failures == []
    story = StoryPage.objects.get(slug="quake-hits")
    assert story.get_parent().title == "Old Wire"
    assert story.body.raw_data[0]["value"] == "<p>A strong earthquake <b>shook</b> the coast.</p>"
    assert story.live


def test_rss_10(tmp_path, front_page):
    import_feed(write(tmp_path, RSS10, "b.xml"), section=["World"])
    story = StoryPage.objects.get(slug="elections")
    assert story.get_parent().title == "World"
    assert story.published_at.isoformat() == "2005-05-02T10:00:00+00:00"
    assert [sa.author.name for sa in story.story_authors.all()] == ["Ann Writer"]


def test_rss_20_with_content_tags_and_broken_entries(tmp_path, front_page):
    report = import_feed(write(tmp_path, RSS20, "c.xml"))
    story = StoryPage.objects.get(slug="budget-passed")
    assert story.title == "Budget passed"
    assert story.standfirst == "The council passed the budget."
    assert [b.block_type for b in story.body] == ["paragraph", "subheading", "block_quote"]
    assert story.body.raw_data[0]["value"] == "<p>Full <b>text</b>.</p>"
    assert sorted(t.name for t in story.tags.all()) == ["Budget", "City Hall"]
    assert StoryPage.objects.filter(
        slug="untitled", title__startswith="Only a description"
    ).exists()
    # "Dup" has another identity (no guid: its link) and the same slug: a new slug, a warning.
    assert StoryPage.objects.filter(slug="budget-passed-2", title="Dup").exists()
    assert StoryPage.objects.get(slug="budget-passed").title == "Budget passed"
    reasons = [w.reason for w in report.warnings]
    assert any("before 1970" in r for r in reasons)
    assert any("slug 'budget-passed' belongs to another story" in r for r in reasons)
    assert any("empty title" in r for r in reasons)
    assert report.failures == []
    skipped = [w for w in report.warnings if "neither title nor text" in w.reason]
    assert [w.place.rsplit("#", 1)[1] for w in skipped] == ["entry 4"]
    assert (report.created, report.skipped, report.items["entry"]) == (3, 1, 4)
    assert report.accounted == 4


def test_atom_is_idempotent(tmp_path, front_page):
    path = write(tmp_path, ATOM, "d.xml")
    first = import_feed(path)
    second = import_feed(path)
    assert (first.created, second.created, second.updated, second.unchanged) == (1, 0, 0, 1)
    revisions = StoryPage.objects.get().revisions.count()
    path.write_text(ATOM.replace("Long body.", "Longer body."), encoding="utf-8")
    third = import_feed(path)
    assert (third.created, third.updated) == (0, 1)
    assert StoryPage.objects.get().revisions.count() == revisions + 1
    story = StoryPage.objects.get()
    assert story.slug == "atom-story"
    assert story.standfirst == "Short."
    assert story.published_at.isoformat() == "2020-01-01T12:00:00+00:00"


def test_not_a_feed_fails_and_dry_run_writes_nothing(tmp_path, front_page, capsys):
    report = import_feed(write(tmp_path, "<html><body>not a feed", "e.xml"))
    assert report.failed == 1
    call_command("import", "feed", str(write(tmp_path, ATOM, "d.xml")), "--dry-run", "--quiet")
    assert "would have created 1" in capsys.readouterr().out
    assert not StoryPage.objects.exists()
