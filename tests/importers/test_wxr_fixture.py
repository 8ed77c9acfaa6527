"""Acceptance: the WordPress theme unit test data imports completely.

The expected figures are computed here from the file with the standard library's
ElementTree, independently of the importer (which reads it with lxml)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Revision

from broadsheet.content.discussion.models import Comment
from broadsheet.content.newsroom.models import InfoPage, SectionPage, StoryPage
from broadsheet.importers.wxr import import_wxr
from tests.conftest import executable_scripts

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

WP = "{https://wordpress.org/export/1.2/}"


def expected_from_file(path):
    root = ET.parse(path).getroot()  # noqa: S314 - a fixed, known file
    channel = root.find("channel")
    items = channel.findall("item")

    def field(el, name):
        return (el.findtext(WP + name) or "").strip()

    posts = [i for i in items if field(i, "post_type") == "post"]
    pages = [i for i in items if field(i, "post_type") == "page"]
    categories = {field(c, "category_nicename") for c in channel.findall(WP + "category")}
    categories |= {
        field(t, "term_slug")
        for t in channel.findall(WP + "term")
        if field(t, "term_taxonomy") == "category"
    }
    tags = {(field(t, "tag_name")).casefold() for t in channel.findall(WP + "tag")}
    tags |= {
        field(t, "term_name").casefold()
        for t in channel.findall(WP + "term")
        if field(t, "term_taxonomy") == "post_tag"
    }
    threads = {}
    for post in posts:
        categories |= {
            c.get("nicename") for c in post.findall("category") if c.get("domain") == "category"
        }
        tags |= {
            (c.text or "").strip().casefold()
            for c in post.findall("category")
            if c.get("domain") == "post_tag"
        }
        comments = [
            {
                "id": field(c, "comment_id"),
                "parent": field(c, "comment_parent"),
                "date": field(c, "comment_date_gmt"),
                "approved": field(c, "comment_approved"),
            }
            for c in post.findall(WP + "comment")
        ]
        if comments:
            threads[field(post, "post_name")] = comments
    tags.discard("")
    return {
        "posts": len(posts),
        "published posts": sum(
            field(p, "status") == "publish" and not field(p, "post_password") for p in posts
        ),
        "pages": len(pages),
        "categories": len(categories),
        "tags": len(tags),
        "approved comments": sum(c["approved"] == "1" for cs in threads.values() for c in cs),
        "comments on pages": sum(len(p.findall(WP + "comment")) for p in pages),
        "threads": threads,
        "sticky": [field(p, "post_name") for p in posts if field(p, "is_sticky") == "1"],
    }


def top_ancestor(comment, by_id):
    seen = set()
    while comment["parent"] not in ("", "0") and comment["parent"] in by_id:
        if comment["parent"] in seen:
            break
        seen.add(comment["parent"])
        comment = by_id[comment["parent"]]
    return comment["id"]


def test_theme_unit_test_data_imports_completely(shared, front_page, client):
    path = shared / "fixtures" / "wxr" / "themeunittestdata.wordpress.xml"
    expected = expected_from_file(path)
    report = import_wxr(path)

    assert report.failures == []
    for kind in ("posts", "published posts", "pages", "categories", "tags", "approved comments"):
        assert report.counts[kind] == expected[kind], kind
    assert report.counts["comments on pages skipped"] == expected["comments on pages"]
    assert StoryPage.objects.count() == expected["posts"]
    assert StoryPage.objects.live().count() == expected["published posts"]
    assert InfoPage.objects.count() == expected["pages"]
    assert SectionPage.objects.count() >= 1
    for slug in expected["sticky"]:
        assert "sticky" in [t.name.casefold() for t in StoryPage.objects.get(slug=slug).tags.all()]

    # Threads: every comment hangs under its top-level ancestor, in the file's date order.
    nested = 0
    for slug, comments in expected["threads"].items():
        story = StoryPage.objects.get(slug=slug)
        by_id = {c["id"]: c for c in comments}
        stored = {c.source_key.rsplit(":", 1)[1]: c for c in Comment.objects.filter(story=story)}
        assert set(stored) == set(by_id)
        children = defaultdict(list)
        for c in comments:
            top = top_ancestor(c, by_id)
            if top != c["id"]:
                children[top].append(c)
                nested += c["parent"] != top
                assert stored[c["id"]].parent_id == stored[top].id
            else:
                assert stored[c["id"]].parent_id is None
        for top, replies in children.items():
            want = [r["id"] for r in sorted(replies, key=lambda r: (r["date"], int(r["id"])))]
            got = [
                c.source_key.rsplit(":", 1)[1]
                for c in stored[top].replies.order_by("created_at", "id")
            ]
            assert got == want
        tops = [c for c in comments if top_ancestor(c, by_id) == c["id"]]
        want = [c["id"] for c in sorted(tops, key=lambda c: (c["date"], int(c["id"])))]
        got = [
            c.source_key.rsplit(":", 1)[1]
            for c in Comment.objects.filter(story=story, parent=None).order_by("created_at", "id")
        ]
        assert got == want
    assert nested >= 5, "the file has replies to replies; they must have been seen"

    # No script or event handler from the file reaches any page.
    for page in [*StoryPage.objects.live(), *InfoPage.objects.live()]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert executable_scripts(html) == [], page.url
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", html, re.I), page.url
        assert "javascript:" not in html.lower(), page.url

    # Importing again changes nothing: every post and page unchanged, no new revision, no
    # redirect written, and the report says so.
    revisions, redirects = Revision.objects.count(), list(Redirect.objects.values_list())
    again = import_wxr(path)
    assert again.failures == []
    imported = expected["posts"] + expected["pages"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, imported)
    assert again.accounted == sum(again.items.values())
    assert "redirects" not in again.counts
    assert Revision.objects.count() == revisions
    assert list(Redirect.objects.values_list()) == redirects
    assert StoryPage.objects.count() == expected["posts"]
    assert Comment.objects.count() == sum(len(cs) for cs in expected["threads"].values())
