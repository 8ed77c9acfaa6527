"""Synthetic newsroom corpora for the benchmarks: story files, and a fast bulk import.

``generate(n, folder, seed)`` writes ``n`` story files (docs/story-files.md): 600–900 words of
seeded pseudo-text, two tags from a vocabulary of 200, one of 60 authors, 3–6 sections, dates
spread over ten years. The same corpus is written for Hugo and Pelican by ``bench/bake.py``.

``bulk_import(folder)`` parses every file with the product's own parser
(:func:`broadsheet.importers.storyfiles.parse_story_file`) and inserts the stories with a few
bulk statements instead of one Wagtail revision and publish per story (which costs ~50–100 ms a
story: hours for 100,000). The pages it makes are live, published, with their authors and tags,
but without revisions — fine for a benchmark, not for a newsroom (use ``broadsheet import``); the
site's listing index is rebuilt at the end (bulk inserts send no signals).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import uuid
from pathlib import Path

WORDS = (  # noqa: SIM905
    "the minister said on monday that government would review policy after protests in capital "
    "where thousands gathered demand reform economy inflation prices rose sharply during winter "
    "officials opposition leaders called for talks parliament vote budget oil exports fell "
    "analysts warned markets traders currency dropped against dollar while families struggled "
    "rent food fuel rationing students teachers doctors strike hospitals schools closed week "
    "court ruled journalists detained released bail lawyers appeal rights groups report "
    "elections candidates campaign rally provinces villages farmers drought water shortages "
    "summer heat power cuts electricity grid engineers repair pipeline gas border trade "
    "neighbours talks delegation visit agreement signed investment bank loans interest rates"
).split()
SECTION_NAMES = ["Politics", "Economy", "World", "Culture", "Science", "Sport"]
CITIES = ["Paris", "Tehran", "Dubai", "Beirut", "London", "Berlin", "Istanbul", "Cairo"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def story_text(
    rng: random.Random,
    i: int,
    sections: list[str],
    tags: list[str],
    authors: list[str],
    start: dt.datetime,
) -> tuple[str, dict]:
    """One story file's text and its facts (for the other generators)."""
    headline = _sentence(rng, rng.randint(5, 9))[:-1]
    slug = f"story-{i:06d}"
    section = rng.choice(sections)
    when = start + dt.timedelta(seconds=rng.randint(0, 10 * 365 * 86400))
    story_tags = rng.sample(tags, 2)
    author = rng.choice(authors)
    standfirst = _sentence(rng, rng.randint(15, 25))
    words = rng.randint(600, 900)
    paragraphs, count = [], 0
    while count < words:
        n = min(rng.randint(40, 90), words - count)
        paragraphs.append(" ".join(_sentence(rng, k) for k in _split(rng, n)))
        count += n
    body = "\n\n".join(paragraphs)
    place = rng.choice(CITIES)
    text = (
        "---\n"
        f"headline: {headline}\n"
        f"slug: {slug}\n"
        f"section: {section}\n"
        f"standfirst: {standfirst}\n"
        f"byline:\n  authors: [{author}]\n  credit: IPS\n"
        f"dateline:\n  place: {place}\n"
        f"published: {when.isoformat()}\n"
        f"tags: [{', '.join(story_tags)}]\n"
        "---\n\n" + body + "\n"
    )
    facts = {
        "headline": headline,
        "slug": slug,
        "section": section,
        "published": when,
        "tags": story_tags,
        "author": author,
        "standfirst": standfirst,
        "body": body,
    }
    return text, facts


def _split(rng: random.Random, n: int) -> list[int]:
    out = []
    while n > 0:
        k = min(n, rng.randint(8, 20))
        out.append(k)
        n -= k
    return out


def generate(
    n: int, folder: Path, seed: int = 2007, hugo: Path | None = None, pelican: Path | None = None
) -> int:
    """Write ``n`` story files under ``folder/<section>/`` and, if given, the same stories as
    Hugo content (``hugo/content/<section>/``) and Pelican content (``pelican/content/``).
    Returns ``n``."""
    import json

    rng = random.Random(seed)
    sections = SECTION_NAMES[: rng.randint(3, 6)]
    tags = [f"Topic {k:03d}" for k in range(200)]
    authors = [f"Writer {k:02d}" for k in range(60)]
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        text, f = story_text(rng, i, sections, tags, authors, start)
        path = folder / f["section"].lower() / f"{f['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if hugo is not None:
            p = hugo / "content" / f["section"].lower() / f"{f['slug']}.md"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(
                "---\n"
                f"title: {json.dumps(f['headline'])}\n"
                f"date: {f['published'].isoformat()}\n"
                f"slug: {f['slug']}\n"
                f"tags: {json.dumps(f['tags'])}\n"
                f"authors: {json.dumps([f['author']])}\n"
                f"summary: {json.dumps(f['standfirst'])}\n"
                "---\n\n" + f["body"] + "\n",
                encoding="utf-8",
            )
        if pelican is not None:
            p = pelican / "content" / f"{f['slug']}.md"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(
                f"Title: {f['headline']}\n"
                f"Date: {f['published']:%Y-%m-%d %H:%M}\n"
                f"Category: {f['section']}\n"
                f"Tags: {', '.join(f['tags'])}\n"
                f"Authors: {f['author']}\n"
                f"Slug: {f['slug']}\n"
                f"Summary: {f['standfirst']}\n\n" + f["body"] + "\n",
                encoding="utf-8",
            )
    return n


def _parse(path: Path) -> object:
    """One story file parsed by the importer's own reader (libyaml's C parser when PyYAML has
    it, see broadsheet.importers.storyformat)."""
    from broadsheet.importers import storyfiles

    return storyfiles.parse_story_file(path)


def bulk_import(folder: Path) -> int:
    """Import every story file under ``folder`` with bulk inserts (see module docstring).
    Returns the number of stories. Needs a migrated database with no stories yet."""
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils.text import slugify
    from taggit.models import Tag
    from wagtail.models import Locale, Page

    from broadsheet.content.newsroom.models import Author, StoryAuthor, StoryPage, StoryTag
    from broadsheet.content.newsroom.tree import ensure_front_page, ensure_section
    from broadsheet.importers.storyfiles import iter_story_paths

    ensure_front_page("Bench Newsroom")
    files = list(iter_story_paths([folder]))
    import multiprocessing

    if connection.in_atomic_block or len(files) < 500:  # e.g. in a test's transaction
        parsed = [_parse(f) for f in files]
    else:
        connection.close()  # the forked parsers must not share the connection
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
            parsed = pool.map(_parse, files, chunksize=200)
    ct = ContentType.objects.get_for_model(StoryPage)
    locale = Locale.get_default()
    sections = {}
    authors = {}
    tags = {}
    with transaction.atomic():
        for sf in parsed:
            key = tuple(sf.section)
            if key not in sections:
                sections[key] = ensure_section(sf.section)
            for name in sf.authors:
                if name not in authors:
                    authors[name] = Author.objects.get_or_create(
                        name=name, defaults={"slug": slugify(name)}
                    )[0]
            for name in sf.tags:
                if name not in tags:
                    tags[name] = Tag.objects.get_or_create(
                        name=name, defaults={"slug": slugify(name)}
                    )[0]
        pages = []
        counters = {k: s.numchild for k, s in sections.items()}
        for sf in parsed:
            section = sections[tuple(sf.section)]
            counters[tuple(sf.section)] += 1
            path = StoryPage._get_path(section.path, section.depth + 1, counters[tuple(sf.section)])
            pages.append(
                Page(
                    path=path,
                    depth=section.depth + 1,
                    numchild=0,
                    title=sf.headline,
                    draft_title=sf.headline,
                    slug=sf.slug,
                    live=True,
                    has_unpublished_changes=False,
                    url_path=f"{section.url_path}{sf.slug}/",
                    seo_title="",
                    show_in_menus=False,
                    search_description="",
                    expired=False,
                    content_type=ct,
                    locked=False,
                    first_published_at=sf.published,
                    last_published_at=sf.published,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
        created = []
        for i in range(0, len(pages), 2000):
            created += Page.objects.bulk_create(pages[i : i + 2000])
        ops = connection.ops
        rows = [
            (
                p.id,
                sf.standfirst,
                sf.credit,
                sf.dateline_place,
                sf.dateline_agency,
                ops.adapt_datetimefield_value(sf.published),
                "",
                "",
                "",
                "open",
                json.dumps([dict(b, id=str(uuid.uuid4())) for b in sf.body]),
                False,
            )
            for p, sf in zip(created, parsed, strict=True)
        ]
        table = StoryPage._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (page_ptr_id, standfirst, byline_credit, dateline_place, "  # noqa: S608
                "dateline_agency, published_at, story_code, lead_image_caption, "
                "lead_image_credit, comments, body, hide_from_front) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        StoryAuthor.objects.bulk_create(
            [
                StoryAuthor(story_id=p.id, author=authors[a], sort_order=k)
                for p, sf in zip(created, parsed, strict=True)
                for k, a in enumerate(sf.authors)
            ],
            batch_size=5000,
        )
        StoryTag.objects.bulk_create(
            [
                StoryTag(content_object_id=p.id, tag=tags[t])
                for p, sf in zip(created, parsed, strict=True)
                for t in sf.tags
            ],
            batch_size=5000,
        )
        for key, section in sections.items():
            Page.objects.filter(id=section.id).update(numchild=counters[key])
    from broadsheet.site.listings import rebuild

    rebuild()  # bulk inserts send no signals: the listing index is built from the content
    return len(created)
