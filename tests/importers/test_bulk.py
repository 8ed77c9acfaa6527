"""The bulk path (importers/bulk.py) gives the slow path's result: the same input imported
both ways, in one database (the first import rolled back), leaves the same pages, revisions,
slugs, URLs, bylines, tags, log entries, identities, search indexes, listing index, reference
index, redirects and comments."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from broadsheet.content.discussion.models import Comment
from broadsheet.content.newsroom.models import Author, RetiredPath, SectionPage, StoryPage
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.models import ImportedStory
from broadsheet.importers.wxr import import_wxr
from broadsheet.search.models import StoryIndexEntry
from broadsheet.site.models import ListingEntry, ListingStat

from .factories import write, wxr_comment, wxr_document, wxr_item

pytestmark = pytest.mark.django_db

# Wagtail's bookkeeping that differs between any two runs (ids, times, random keys).
VOLATILE = {
    "pk",
    "id",
    "path",  # compared on the page itself
    "translation_key",
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "last_published_at",
    "first_published_at",
    "published_at",
    "owner",
    "locked_at",
    "content_type",
    "locale",
    "page_ptr",
    "wagtail_admin_comments",
}


def _body(content: dict[str, Any]) -> list[dict[str, Any]]:
    body = content.get("body") or []
    return json.loads(body) if isinstance(body, str) else body


def _blocks(raw: Any) -> Any:
    """Block data without the random block ids."""
    if isinstance(raw, list):
        return [_blocks(b) for b in raw]
    if isinstance(raw, dict):
        return {k: _blocks(v) for k, v in raw.items() if k != "id"}
    return raw


def _names() -> dict[tuple[str, str], str]:
    """Authors' and tags' names by (model, id): PostgreSQL does not roll its sequences back,
    so the two runs give the same author or tag other ids."""
    names = {("author", str(a.pk)): a.name for a in Author.objects.all()}
    names.update({("tag", str(t.pk)): t.name for t in Tag.objects.all()})
    names.update({("page", str(p.pk)): p.url_path for p in Page.objects.all()})
    return names


def _listing(value: Any, names: dict[tuple[str, str], str]) -> str:
    """A listing index value with the ids in listing names (``author:12``, ``section:7``)
    replaced by names or paths."""
    text = _v(value)
    m = re.fullmatch(r"([\w-]+):(\d+)", text)
    if m:
        kind = m.group(1) if m.group(1) in ("author", "tag") else "page"
        return f"{m.group(1)}:{names.get((kind, m.group(2)), m.group(2))}"
    return text


def _revision(content: dict[str, Any], names: dict[tuple[str, str], str]) -> dict[str, Any]:
    out = {k: v for k, v in content.items() if k not in VOLATILE}
    out["body"] = _blocks(_body(content))
    out["story_authors"] = [
        names["author", str(a["author"])] for a in content.get("story_authors", [])
    ]
    out["tagged_items"] = sorted(
        names["tag", str(t["tag"])] for t in content.get("tagged_items", [])
    )
    return out


def _v(value: Any) -> str:
    """A listing value; the moment of the import (a story without a date is published
    "now") differs between the two runs."""
    if isinstance(value, dt.datetime) and abs(timezone.now() - value) < dt.timedelta(hours=1):
        return "now"
    return str(value)


def _search_row(row: dict[str, Any], names: dict[tuple[str, str], str]) -> dict[str, Any]:
    """A search index row without ids (its ``key`` is made from the date and the story's id);
    the date is "now" for a story published without one."""
    row = {k: v for k, v in row.items() if k not in ("id", "story_id", "key")}
    row["scope"] = " ".join(
        names.get(("author", word[1:]), word) if re.fullmatch(r"a\d+", word) else word
        for word in row["scope"].split()
    )
    if _v(row["published_at"]) == "now":
        row["published_at"] = "now"
    return row


def snapshot() -> dict[str, Any]:
    """Everything an import writes, keyed by slug instead of ids."""
    stories = list(StoryPage.objects.order_by("path"))
    slugs = {s.pk: s.slug for s in stories}
    names = _names()
    out: dict[str, Any] = {"stories": [], "sections": []}
    for s in stories:
        revisions = list(
            Revision.objects.filter(object_id=str(s.pk), base_content_type__model="page").order_by(
                "created_at", "pk"
            )  # PostgreSQL returns rows in no set order
        )
        out["stories"].append(
            {
                "path": s.path,
                "depth": s.depth,
                "numchild": s.numchild,
                "slug": s.slug,
                "url": s.url_path,
                "title": s.title,
                "draft_title": s.draft_title,
                "live": s.live,
                "unpublished changes": s.has_unpublished_changes,
                "locale": s.locale.language_code,
                "content type": s.content_type.model,
                "fields": [
                    s.standfirst,
                    s.byline_credit,
                    s.comments,
                    s.story_code,
                    s.lead_image_id is not None,
                    s.updated_at,
                ],
                "published_at set": s.published_at is not None,
                "first published": s.first_published_at is not None,
                "dates agree": s.published_at == s.first_published_at
                or s.first_published_at is not None,
                "body": _blocks(list(s.body.raw_data)),
                "body ids as revision's": [b["id"] for b in s.body.raw_data]
                == [b["id"] for b in _body(revisions[-1].content)],
                "authors": [a.author.name for a in s.story_authors.order_by("sort_order")],
                "tags": sorted(t.name for t in s.tags.all()),
                "revisions": [_revision(r.content, names) for r in revisions],
                "live revision is latest": s.live_revision_id == s.latest_revision_id
                and s.latest_revision_id == revisions[-1].pk,
                "log": sorted(
                    (e.action, e.label, e.revision_id is not None, e.content_changed)
                    for e in PageLogEntry.objects.filter(page_id=s.pk)
                ),
                "origin": list(
                    ImportedStory.objects.filter(story=s).values_list(
                        "source", "entry", "fingerprint"
                    )
                ),
                "search": [
                    _search_row(row, names)
                    for row in StoryIndexEntry.objects.filter(story_id=s.pk).values()
                ],
                "references": sorted(
                    (
                        r.to_content_type.model,
                        names.get((r.to_content_type.model, r.to_object_id), r.to_object_id),
                        r.model_path,
                    )
                    for r in ReferenceIndex.objects.filter(
                        content_type__model="storypage", object_id=str(s.pk)
                    )
                ),
                "comments": sorted(
                    (c.source_key, c.text, c.status, c.parent.source_key if c.parent else "")
                    for c in Comment.objects.filter(story=s)
                ),
            }
        )
    for section in SectionPage.objects.order_by("path"):
        out["sections"].append((section.path, section.slug, section.numchild, section.url_path))
    out["listings"] = sorted(
        tuple(
            str(slugs.get(v, v)) if k.endswith("story_id") else _listing(v, names)
            for k, v in row.items()
            if k != "id"
        )
        for row in ListingEntry.objects.values()
    )
    out["stats"] = sorted(
        tuple(_listing(v, names) for k, v in row.items() if k != "id")
        for row in ListingStat.objects.values()
    )
    out["retired paths"] = sorted(RetiredPath.objects.values_list("path", flat=True))
    out["redirects"] = sorted(
        (r.old_path, r.redirect_page.slug if r.redirect_page else "", r.is_permanent)
        for r in Redirect.objects.all()
    )
    from wagtail.search.models import IndexEntry

    out["wagtail search"] = sorted(
        (slugs.get(int(e.object_id), e.object_id), e.title, e.body, e.autocomplete)
        for e in IndexEntry.objects.filter(content_type__model="storypage")
    )
    return out


def both_ways(run, capture) -> tuple[dict[str, Any], dict[str, Any]]:
    """``run(bulk)`` imported slowly (then rolled back) and in bulk: the two snapshots."""
    with transaction.atomic():
        with capture(execute=True):
            slow_report = run(False)
        slow = snapshot()
        transaction.set_rollback(True)
    assert StoryPage.objects.count() == 0
    with capture(execute=True):
        bulk_report = run(True)
    fast = snapshot()
    assert slow_report.summary() == bulk_report.summary()
    assert slow["stories"], "the input made no story: the comparison would prove nothing"
    assert len(fast["stories"]) == len(slow["stories"])
    for one, other in zip(slow["stories"], fast["stories"], strict=True):
        assert {k: v for k, v in other.items() if v != one[k]} == {
            k: v for k, v in one.items() if v != other[k]
        }
    return slow, fast


def rss(items: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Harbour
Gazette</title><link>https://gazette.example/</link><description>d</description>
{items}</channel></rss>"""


def entry(n: int, slug: str, date: str = "Tue, 05 Mar 2019 08:00:00 +0000") -> str:
    when = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>Story {n} about the harbour</title>"
        f"<link>https://gazette.example/2019/{slug}/amp</link><guid>g-{n}</guid>{when}"
        f"<dc:creator>Writer {n % 3}</dc:creator><dc:creator>Desk</dc:creator>"
        f"<category>Topic {n % 2}</category><category>topic {n % 2}</category>"
        f"<description><![CDATA[<p>Paragraph {n} with <a href='https://x.example/'>a link</a>."
        f"</p><h2>More</h2><p>Second paragraph of {n}.</p>]]></description></item>"
    )


def test_a_feed_imported_in_bulk_equals_the_slow_import(
    tmp_path, front_page, django_capture_on_commit_callbacks
):
    # Two entries want the slug "harbour", one has no date, and one section already holds a
    # story written in the newsroom (so paths continue after it).
    items = "".join(
        [
            entry(1, "harbour"),
            entry(2, "harbour"),
            entry(3, "budget", date=""),
            *(entry(n, f"story-{n}") for n in range(4, 9)),
        ]
    )
    path = write(tmp_path, rss(items), "feed.xml")
    # A story once published at /harbour-gazette/budget/ was unpublished: that path answered
    # 410 Gone, and answers again once the new story is published there.
    RetiredPath.objects.create(path="/harbour-gazette/budget/")
    RetiredPath.objects.create(path="/elsewhere/")
    slow, fast = both_ways(
        lambda bulk: import_feed(path, bulk=bulk), django_capture_on_commit_callbacks
    )
    assert [s["slug"] for s in fast["stories"]][:3] == ["harbour", "harbour-2", "budget"]
    assert fast["retired paths"] == ["/elsewhere/"]
    assert fast == slow


def test_a_feed_in_several_batches_equals_the_slow_import(
    tmp_path, front_page, django_capture_on_commit_callbacks, monkeypatch
):
    from broadsheet.importers import bulk

    monkeypatch.setattr(bulk, "BATCH", 3)
    path = write(tmp_path, rss("".join(entry(n, f"s-{n}") for n in range(1, 9))), "feed.xml")
    slow, fast = both_ways(
        lambda bulk: import_feed(path, bulk=bulk), django_capture_on_commit_callbacks
    )
    assert len(fast["stories"]) == 8
    assert fast == slow


def test_a_wordpress_export_imported_in_bulk_equals_the_slow_import(
    tmp_path, front_page, django_capture_on_commit_callbacks
):
    items = [
        wxr_item(
            n,
            title=f"Post {n}",
            content=f"First paragraph {n}.\n\nSecond paragraph.",
            categories=((f"c{n % 2}", f"Section {n % 2}"),),
            tags=(f"tag {n % 3}",),
            comments=wxr_comment(10 * n, "A reader's comment.")
            + wxr_comment(10 * n + 1, "A reply.", parent=10 * n),
        )
        for n in range(1, 7)
    ]
    items.append(wxr_item(7, title="A draft", status="draft"))  # the slow path, in between
    items.append(wxr_item(8, title="Post 8", content="After the draft."))
    path = write(tmp_path, wxr_document(*items))
    slow, fast = both_ways(
        lambda bulk: import_wxr(path, bulk=bulk), django_capture_on_commit_callbacks
    )
    assert fast["redirects"], "the posts' permalinks redirect"
    assert any(s["comments"] for s in fast["stories"])
    assert fast == slow


def story_file(n: int, slug: str, status: str = "published") -> str:
    return f"""---
headline: Story {n} from the harbour
slug: {slug}
section: [Harbour, Ships]
standfirst: Deck {n}.
byline: {{authors: [Writer {n % 3}, Desk], credit: Agency}}
dateline: {{place: Port, agency: AG}}
published: 2019-03-05T08:{n:02d}:00+00:00
story_code: HARBOUR {n}
tags: [Topic {n % 2}, topic {n % 2}]
comments: closed
status: {status}
---

Paragraph {n} with a [link](https://x.example/).

::: pullquote
A quote from {n}.
— Someone
:::

## More

Second paragraph of {n}.
"""


def test_story_files_imported_in_bulk_equal_the_slow_import(
    tmp_path, front_page, django_capture_on_commit_callbacks, monkeypatch
):
    from broadsheet.importers import bulk
    from broadsheet.importers.storyfiles import import_story_files

    monkeypatch.setattr(bulk, "BATCH", 3)
    folder = tmp_path / "stories"
    folder.mkdir()
    texts = [story_file(n, f"s-{n}") for n in range(1, 9)]
    texts[4] = story_file(5, "s-5", status="draft")  # the slow path, in between
    texts.append(story_file(9, "s-2"))  # the same slug again: updates s-2, as it would slowly
    for i, text in enumerate(texts):
        (folder / f"{i:02d}.md").write_text(text, encoding="utf-8")
    written: list[int] = []
    write = bulk.BulkWriter._write
    monkeypatch.setattr(
        bulk.BulkWriter,
        "_write",
        lambda self, batch: written.append(len(batch)) or write(self, batch),
    )
    slow, fast = both_ways(
        lambda bulk: import_story_files([folder], bulk=bulk), django_capture_on_commit_callbacks
    )
    # Every new published story went through the bulk path: all but the draft (s-5) and the
    # second file with slug s-2 (an update).
    assert sum(written) == 7
    assert [s["slug"] for s in fast["stories"]] == [f"s-{n}" for n in range(1, 9)]
    assert not next(s for s in fast["stories"] if s["slug"] == "s-5")["live"]
    assert len(next(s for s in fast["stories"] if s["slug"] == "s-2")["revisions"]) == 2
    assert fast == slow
