"""A bulk batch that fails to write (importers/bulk.py) is reported entry by entry and leaves
nothing behind; the import goes on with the next entries and the counts add up to the input's
items. The failure is a real constraint violation: a duplicate import identity slipped into
one batch's ``ImportedStory`` insert, after its pages and revisions were already inserted."""

from __future__ import annotations

import pytest
from wagtail.models import Page, PageLogEntry, Revision

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from broadsheet.importers import bulk
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.models import ImportedStory
from broadsheet.importers.storyfiles import import_story_files
from broadsheet.importers.wxr import import_wxr

from .factories import write, wxr_comment, wxr_document, wxr_item
from .test_bulk import entry, rss

pytestmark = pytest.mark.django_db


def fail_batch(monkeypatch, which: int) -> list[int]:
    """Make the ``which``-th (1-based) batch's identity insert violate the unique
    (source, entry) constraint; returns the list of batch numbers seen."""
    manager = ImportedStory.objects
    real = manager.bulk_create
    calls: list[int] = []

    def bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        calls.append(len(calls) + 1)
        if len(calls) == which:
            first = objs[0]
            objs.append(
                ImportedStory(
                    story=objs[-1].story,
                    source=first.source,
                    entry=first.entry,
                    fingerprint=first.fingerprint,
                )
            )
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", bulk_create)
    monkeypatch.setattr(bulk, "BATCH", 3)
    return calls


@pytest.mark.parametrize("which", [2, 3], ids=["a middle batch", "the last batch"])
def test_a_failed_feed_batch_is_reported_per_entry_and_the_import_goes_on(
    tmp_path, front_page, monkeypatch, which
):
    path = write(tmp_path, rss("".join(entry(n, f"s-{n}") for n in range(1, 9))), "feed.xml")
    calls = fail_batch(monkeypatch, which)
    report = import_feed(path)  # must not raise
    assert calls == [1, 2, 3]  # batches of 3, 3, 2
    lost = {2: [4, 5, 6], 3: [7, 8]}[which]
    kept = [n for n in range(1, 9) if n not in lost]
    assert report.created == len(kept)
    assert sorted(f.place for f in report.failures) == sorted(f"{path}#entry {n}" for n in lost)
    assert all("IntegrityError" in f.reason for f in report.failures)
    assert report.accounted == sum(report.items.values()) == 8
    assert report.counts["stories"] == len(kept)  # the lost entries are failures only
    # Nothing of the failed batch stays: no page, revision, log entry or identity.
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == sorted(
        f"s-{n}" for n in kept
    )
    assert Page.objects.filter(slug__in=[f"s-{n}" for n in lost]).count() == 0
    page_ids = [str(pk) for pk in Page.objects.values_list("pk", flat=True)]
    assert not Revision.objects.exclude(object_id__in=page_ids).exists()
    assert Revision.objects.filter(content_type__model="storypage").count() == len(kept)
    assert PageLogEntry.objects.filter(content_type__model="storypage").count() == 2 * len(kept)
    assert ImportedStory.objects.count() == len(kept)
    # The tree stays consistent: the section counts the stories it holds, in input order.
    section = SectionPage.objects.get(title="Harbour Gazette")
    assert section.numchild == section.get_children().count() == len(kept)
    assert [p.slug for p in section.get_children().order_by("path")] == [f"s-{n}" for n in kept]


def test_importing_again_after_a_failed_batch_creates_the_lost_entries(
    tmp_path, front_page, monkeypatch
):
    path = write(tmp_path, rss("".join(entry(n, f"s-{n}") for n in range(1, 9))), "feed.xml")
    fail_batch(monkeypatch, 2)
    import_feed(path)
    monkeypatch.undo()
    again = import_feed(path)
    assert (again.created, again.unchanged, again.failed) == (3, 5, 0)
    assert StoryPage.objects.count() == 8


def test_a_failed_wordpress_batch_is_reported_and_its_comments_and_redirects_are_not_written(
    tmp_path, front_page, monkeypatch
):
    from wagtail.contrib.redirects.models import Redirect

    from broadsheet.content.discussion.models import Comment

    items = [
        wxr_item(n, title=f"Post {n}", comments=wxr_comment(10 * n, "A comment."))
        for n in range(1, 8)
    ]
    path = write(tmp_path, wxr_document(*items))
    fail_batch(monkeypatch, 2)
    report = import_wxr(path)
    assert report.created == 4
    assert len(report.failures) == 3
    assert report.accounted == sum(report.items.values()) == 7
    # By kind, only what was written: the failed batch's posts are failures only.
    assert (report.counts["posts"], report.counts["published posts"]) == (4, 4)
    assert (report.counts["comments"], report.counts["redirects"]) == (4, 4)
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == [
        "post-1",
        "post-2",
        "post-3",
        "post-7",
    ]
    assert Comment.objects.count() == 4
    assert Redirect.objects.count() == 4


def test_a_post_that_fails_to_write_one_by_one_is_counted_as_failed_only(
    tmp_path, front_page, monkeypatch
):
    from broadsheet.importers import identity

    real = identity.write_story

    def write_story(sf, story, **kwargs):
        if sf.slug == "post-2":
            raise RuntimeError("disk full")
        return real(sf, story, **kwargs)

    monkeypatch.setattr(identity, "write_story", write_story)
    items = [wxr_item(n, comments=wxr_comment(10 * n)) for n in range(1, 4)]
    report = import_wxr(write(tmp_path, wxr_document(*items)), bulk=False)
    assert (report.created, report.failed) == (2, 1)
    assert "disk full" in report.failures[0].reason
    assert report.accounted == sum(report.items.values()) == 3
    assert (report.counts["posts"], report.counts["published posts"]) == (2, 2)
    assert (report.counts["comments"], report.counts["redirects"]) == (2, 2)


def test_an_item_failing_after_it_flushed_the_queue_keeps_the_queued_stories(tmp_path, front_page):
    """A draft is written one by one, after the queued new stories (flushed first); when the
    draft then fails, only the draft is lost, not the batch it flushed."""
    from .test_bulk import story_file

    for n in range(1, 4):
        (tmp_path / f"{n}.md").write_text(story_file(n, f"s-{n}"), "utf-8")
    draft = story_file(4, "s-4", status="draft") + "\n![Gone](nowhere.png)\n"
    (tmp_path / "4.md").write_text(draft, "utf-8")
    report = import_story_files([tmp_path])
    assert (report.created, report.failed) == (3, 1)
    assert "image file not found" in report.failures[0].reason
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == ["s-1", "s-2", "s-3"]
    assert ImportedStory.objects.count() == 3


def test_a_wordpress_draft_failing_after_it_flushed_the_queue_keeps_the_queued_posts(
    tmp_path, front_page, monkeypatch
):
    from wagtail.contrib.redirects.models import Redirect

    from broadsheet.content.discussion.models import Comment
    from broadsheet.importers import identity

    real = identity.write_story

    def write_story(sf, story, **kwargs):
        if sf.slug == "post-4":
            raise RuntimeError("disk full")
        return real(sf, story, **kwargs)

    monkeypatch.setattr(identity, "write_story", write_story)
    items = [wxr_item(n, comments=wxr_comment(10 * n)) for n in range(1, 4)]
    items.append(wxr_item(4, status="draft"))
    report = import_wxr(write(tmp_path, wxr_document(*items)))
    assert (report.created, report.failed) == (3, 1)
    assert StoryPage.objects.count() == 3
    assert (Comment.objects.count(), Redirect.objects.count()) == (3, 3)
    assert (report.counts["posts"], report.counts["comments"], report.counts["redirects"]) == (
        3,
        3,
        3,
    )
