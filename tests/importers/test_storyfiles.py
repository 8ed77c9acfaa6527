"""Story files: parsing, errors with file and line, idempotent import, export round trip."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from broadsheet.importers.storyfiles import (
    StoryFileError,
    export_stories,
    import_story_files,
    parse_story_text,
)
from tests.conftest import DEMO_STORIES, SEED_STORY_FILE

GOOD = """---
headline: 'A "quoted": headline'
section: [Iran, Iran Opposition]
standfirst: The deck.
byline: {authors: [Ann Writer, Bob Reporter], credit: IPS}
dateline: {place: Paris, agency: IPS}
published: 2007-06-18T12:00:00+02:00
updated: 2007-06-19
story_code: IRAN OPPOSITION 18607
tags: [Iran, Paris, iran, " "]
comments: closed
---

The *first* paragraph with a [link](https://example.org) and <script>alert(1)</script>.

Second paragraph.

::: pullquote
What they are doing here.
— a delegate
:::

## Walkout

> Quoted text
> — Somebody

::: factbox The facts
- one
- two
:::
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_maps_every_field():
    sf = parse_story_text(GOOD, "good.md")
    assert sf.headline == 'A "quoted": headline'
    assert sf.slug == "a-quoted-headline"
    assert sf.section == ["Iran", "Iran Opposition"]
    assert sf.authors == ["Ann Writer", "Bob Reporter"] and sf.credit == "IPS"
    assert (sf.dateline_place, sf.dateline_agency) == ("Paris", "IPS")
    assert sf.published.isoformat() == "2007-06-18T12:00:00+02:00"
    assert sf.updated.date().isoformat() == "2007-06-19"
    assert sf.comments == "closed" and sf.story_code == "IRAN OPPOSITION 18607"
    assert [b["type"] for b in sf.body] == [
        "paragraph",
        "pull_quote",
        "subheading",
        "block_quote",
        "fact_box",
    ]
    first = sf.body[0]["value"]
    assert first.startswith(
        '<p>The <i>first</i> paragraph with a <a href="https://example.org">link</a>'
    )
    assert "<script>" not in first and "&lt;script&gt;" in first
    assert first.endswith("<p>Second paragraph.</p>")
    assert sf.body[1]["value"] == {"text": "What they are doing here.", "attribution": "a delegate"}
    assert sf.body[2]["value"] == "Walkout"
    assert sf.body[3]["value"] == {"text": "Quoted text", "attribution": "Somebody"}
    assert sf.body[4]["value"] == {
        "title": "The facts",
        "body": "<ul><li>one</li><li>two</li></ul>",
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("no front matter\n", 1, "must start with '---'"),
        ("---\nheadline: x\n", 1, "not closed"),
        ("---\nheadline: x\nsection: [a\n---\nbody\n", 3, "front matter"),
        (
            "---\nheadline: x\nsection: Iran\npublished: 2007-06-18\nbogus: 1\n---\n",
            5,
            "bogus: unknown key",
        ),
        ("---\nsection: Iran\n---\n", 2, "headline: required"),
        ("---\nheadline: x\npublished: 2007-06-18\n---\n", 2, "section: required"),
        ("---\nheadline: x\nsection: Iran\n---\n", 2, "published: required"),
        (
            "---\nheadline: x\nsection: Iran\npublished: 2007-06-18\ncomments: maybe\n---\n",
            5,
            "comments:",
        ),
        ("---\nheadline: x\nsection: Iran\npublished: not a date\n---\n", 4, "published:"),
        (
            "---\nheadline: x\nsection: Iran\npublished: 2007-06-18\n---\n\n"
            "text\n\n::: factbox\nx\n:::\n",
            9,
            "fact box needs a title",
        ),
    ],
)
def test_errors_name_file_and_line(text, line, message):
    with pytest.raises(StoryFileError) as info:
        parse_story_text(text, "stories/broken.md")
    assert str(info.value).startswith(f"stories/broken.md:{line}: "), str(info.value)
    assert message in str(info.value)


@pytest.mark.django_db
def test_import_is_idempotent_and_broken_files_do_not_stop_the_rest(tmp_path, front_page):
    write(tmp_path, "a-good.md", GOOD)
    write(tmp_path, "b-broken.md", "---\nheadline: [unclosed\n---\n")
    write(tmp_path, "c-other.md", GOOD.replace('A "quoted": headline', "Another story"))
    report = import_story_files([tmp_path])
    assert (report.created, report.updated, report.failed) == (2, 0, 1)
    assert report.failures[0].place == f"{tmp_path / 'b-broken.md'}:2"
    again = import_story_files([tmp_path])
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 2, 1)
    assert StoryPage.objects.count() == 2
    assert SectionPage.objects.count() == 2
    story = StoryPage.objects.get(slug="a-quoted-headline")
    assert story.live and story.get_parent().title == "Iran Opposition"
    assert [sa.author.name for sa in story.story_authors.all()] == ["Ann Writer", "Bob Reporter"]
    assert sorted(t.name for t in story.tags.all()) == ["Iran", "Paris"]


@pytest.mark.django_db
def test_import_updates_and_moves_a_story(tmp_path, front_page):
    path = write(tmp_path, "s.md", GOOD)
    import_story_files([path])
    write(
        tmp_path,
        "s.md",
        GOOD.replace("[Iran, Iran Opposition]", "[Culture]").replace("The deck.", "A new deck."),
    )
    report = import_story_files([path])
    assert report.updated == 1
    story = StoryPage.objects.get(slug="a-quoted-headline")
    assert story.standfirst == "A new deck." and story.get_parent().title == "Culture"
    assert StoryPage.objects.count() == 1


@pytest.mark.django_db
def test_draft_stays_draft(tmp_path, front_page):
    write(tmp_path, "d.md", GOOD.replace("comments: closed", "comments: closed\nstatus: draft"))
    import_story_files([tmp_path])
    assert not StoryPage.objects.get(slug="a-quoted-headline").live


@pytest.mark.django_db
def test_import_command_reports_failures_and_exits_nonzero(tmp_path, front_page):
    write(tmp_path, "good.md", GOOD)
    broken = write(
        tmp_path, "broken.md", "---\nheadline: x\nsection: Iran\npublished: 2007-13-45\n---\n"
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import", "stories", str(tmp_path), "--quiet", stdout=out, stderr=err)
    assert f"{broken}:4: published:" in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1
    assert "created 1, updated 0, skipped 0, failed 1" in out.getvalue()
    assert StoryPage.objects.filter(slug="a-quoted-headline").exists()


@pytest.mark.django_db
def test_dry_run_changes_nothing(tmp_path, front_page):
    write(tmp_path, "good.md", GOOD)
    out = StringIO()
    call_command("import", "stories", str(tmp_path), "--dry-run", "--quiet", stdout=out)
    assert "would have created 1" in out.getvalue()
    assert not StoryPage.objects.exists()


def snapshot() -> dict[str, dict]:
    """Everything a story file carries, per slug."""
    result = {}
    for s in StoryPage.objects.all():
        result[s.slug] = {
            "headline": s.title,
            "section": s.get_parent().title,
            "standfirst": s.standfirst,
            "authors": [sa.author.name for sa in s.story_authors.all()],
            "credit": s.byline_credit,
            "dateline": (s.dateline_place, s.dateline_agency),
            "published": s.published_at,
            "updated": s.updated_at,
            "code": s.story_code,
            "comments": s.comments,
            "live": s.live,
            "tags": sorted(t.name for t in s.tags.all()),
            "body": list(s.body.raw_data),
        }
    return result


@pytest.mark.django_db
def test_export_then_import_into_an_empty_site_gives_the_same_stories(tmp_path, front_page):
    import_story_files([DEMO_STORIES])
    import_story_files([write(tmp_path, "good.md", GOOD)])
    before = snapshot()
    assert len(before) >= 21
    out = tmp_path / "export"
    assert export_stories(out) == len(before)
    StoryPage.objects.all().delete()
    SectionPage.objects.all().delete()
    report = import_story_files([out])
    assert report.failed == 0, report.failures
    after = snapshot()
    for data in (before, after):
        for story in data.values():
            for block in story["body"]:
                block.pop("id", None)
    assert after == before


@pytest.mark.django_db
def test_seed_story_file_imports_twice_as_one_story(front_page):
    import_story_files([SEED_STORY_FILE])
    import_story_files([SEED_STORY_FILE])
    assert StoryPage.objects.count() == 1
    story = StoryPage.objects.get()
    assert story.title == 'Iran National Solidarity To Create An "Alternative"'
    assert story.story_code == "IRAN OPPOSITION 18607"
    assert story.comments == "closed"
    assert (story.dateline_place, story.dateline_agency) == ("Paris", "IPS")
    pull_quotes = [b["value"]["text"] for b in story.body.raw_data if b["type"] == "pull_quote"]
    assert len(pull_quotes) == 2


def test_seed_story_file_carries_the_seed_text(shared):
    """The demo's seed story holds the seed page's words (checked against ../shared/seed)."""
    seed = (shared / "seed" / "000_04da58d10104ffdb.txt").read_text(encoding="utf-8")
    sf = parse_story_text(SEED_STORY_FILE.read_text(encoding="utf-8"), SEED_STORY_FILE)
    body_text = " ".join(b["value"] for b in sf.body if b["type"] == "paragraph")
    for sentence in (
        "The operation lasted for ten minutes, making 15 wounded",
        "Dr. Hoseyn Baqerzadeh, a human rights campaigner",
    ):
        assert sentence in seed and sentence in body_text
    for quote in (b["value"]["text"] for b in sf.body if b["type"] == "pull_quote"):
        assert quote in seed
    assert "ENDS" not in body_text and "Paris, 18 June (IPS)" not in body_text


def test_demo_has_enough_sample_stories():
    files = list(DEMO_STORIES.rglob("*.md"))
    sections = {tuple(parse_story_text(p.read_text(encoding="utf-8"), p).section) for p in files}
    assert len(files) >= 21 and len(sections) >= 4


def test_a_story_file_in_another_edition_linked_to_its_original(tmp_path, front_page):
    english = tmp_path / "a.md"
    english.write_text(
        "---\nheadline: Talks in Paris\nslug: talks\nsection: Iran\n"
        "published: 2007-06-18T12:00:00Z\n---\n\nText.\n",
        encoding="utf-8",
    )
    persian = tmp_path / "b.md"
    persian.write_text(
        "---\nheadline: گفت‌وگو در پاریس\nslug: goftogu\nsection: [ایران]\nlanguage: fa\n"
        "translation_of: talks\npublished: 2007-06-18T12:00:00Z\n---\n\nمتن.\n",
        encoding="utf-8",
    )
    report = import_story_files([tmp_path])
    assert not report.failures
    talks, goftogu = StoryPage.objects.get(slug="talks"), StoryPage.objects.get(slug="goftogu")
    assert goftogu.locale.language_code == "fa"
    assert goftogu.translation_key == talks.translation_key
    assert goftogu.get_parent().locale.language_code == "fa"
    assert goftogu.get_parent().get_parent().specific.locale.language_code == "fa"


def test_a_story_file_in_an_unknown_language_is_refused():
    text = "---\nheadline: X\nsection: Iran\nlanguage: xx\npublished: 2007-06-18\n---\n\nText.\n"
    with pytest.raises(StoryFileError, match="language"):
        parse_story_text(text)
