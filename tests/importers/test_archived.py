"""Archived article pages: trafilatura + htmldate, then the news rules."""

from __future__ import annotations

import html
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.archived import (
    ArchivedPage,
    apply_news_rules,
    extract_page,
    import_html_pages,
)
from broadsheet.importers.htmlbody import plain_text

SEED_HEADLINE = 'Iran National Solidarity To Create An "Alternative"'


def seed_page(shared) -> str:
    """The seed text (an archived page's text) as the simple HTML page it came from: one
    ``<p>`` per line, the line before "Published …" as the ``<h1>``."""
    lines = [
        x.strip()
        for x in (shared / "seed" / "000_04da58d10104ffdb.txt").read_text("utf-8").split("\n")
    ]
    lines = [x for x in lines if x]
    published = next(i for i, x in enumerate(lines) if x.startswith("Published "))
    parts = [
        f"<h1>{html.escape(x)}</h1>" if i == published - 1 else f"<p>{html.escape(x)}</p>"
        for i, x in enumerate(lines)
    ]
    return (
        "<!DOCTYPE html><html><head><title>Iran Press Service</title></head><body>"
        + "\n".join(parts)
        + "</body></html>"
    )


def story_text(page: ArchivedPage) -> str:
    parts = [page.standfirst]
    for block in page.body:
        if block["type"] == "paragraph":
            parts.append(plain_text(block["value"]))
        elif block["type"] == "subheading":
            parts.append(block["value"])
        elif block["type"] in ("pull_quote", "block_quote"):
            parts.append(block["value"]["text"])
    return "\n".join(parts)


def test_seed_page_news_rules(shared):
    page = extract_page(seed_page(shared).encode("utf-8"))
    assert page.headline.replace("\xa0", " ") == SEED_HEADLINE
    assert page.published.date().isoformat() == "2007-06-18"
    assert (page.dateline_place, page.dateline_agency) == ("Paris", "IPS")
    assert page.story_code == "IRAN OPPOSITION 18607"
    types = [b["type"] for b in page.body]
    assert types.count("pull_quote") == 2
    quotes = [b["value"]["text"] for b in page.body if b["type"] == "pull_quote"]
    assert quotes[0].startswith("What they are doing here is to make a Noah’s Ark")
    assert quotes[1] == (
        "One of the aims of the INS was to form a provisory government or a parliament in exile."
    )
    text = "\n".join(plain_text(b["value"]) for b in page.body if b["type"] == "paragraph")
    # The body starts after the dateline and ends before the story code.
    assert text.startswith("The “Iran Solidarity” conference held in Paris")
    assert text.rstrip().endswith("arresting most of them.")
    # The pull quotes are not paragraphs as well.
    assert "What they are doing here is to make" not in text
    assert "One of the aims of the INS" not in text
    for furniture in (
        "Latest Articles",
        "Iran Press Service (logo)",
        "this site is definitely closed",
        "Published Monday",
        "Comments on this page are closed",
        "-Body",
        "-Main",
        "ENDS",
        "Want to express an opinion",
        "Powered by",
        "Paris, 18 June",
    ):
        assert furniture not in text, furniture


@pytest.mark.parametrize(
    "name",
    ["reuters.com.parasite.html", "bbc.com.52241221.html", "tagesspiegel.de.abstandsregeln.html"],
)
def test_news_pages_yield_expected_facts(shared, name, settings):
    settings.TIME_ZONE = "UTC"
    folder = shared / "fixtures" / "news-html"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))[name]
    page = extract_page((folder / name).read_bytes())
    assert page.headline == expected["title"]
    assert ", ".join(page.authors) == expected["author"]
    assert timezone.localtime(page.published).date().isoformat() == expected["date"]
    text = story_text(page)
    for wanted in expected["must_contain"]:
        assert wanted in text, wanted
    for unwanted in expected["must_not_contain"]:
        assert unwanted not in text, unwanted


def test_dateline_with_dash_and_all_caps_place():
    page = ArchivedPage(
        headline="H",
        published=None,
        body=[
            {"type": "paragraph", "value": "<p>Home | News | Sport</p>"},
            {
                "type": "paragraph",
                "value": "<p>LOS ANGELES (Reuters) - South Korean thriller “Parasite” was the "
                "upset winner at the awards on Sunday, the organisers said.</p>",
            },
        ],
    )
    apply_news_rules(page)
    assert (page.dateline_place, page.dateline_agency) == ("Los Angeles", "Reuters")
    assert page.body == [
        {
            "type": "paragraph",
            "value": "<p>South Korean thriller “Parasite” was the upset winner at the awards "
            "on Sunday, the organisers said.</p>",
        }
    ]


def test_no_dateline_no_story_code_keeps_everything():
    body = [
        {"type": "paragraph", "value": "<p>Mr. Ahi (INS) said the movement is open to all.</p>"},
        {"type": "paragraph", "value": "<p>A second paragraph that ends normally.</p>"},
    ]
    page = apply_news_rules(ArchivedPage(headline="H", published=None, body=list(body)))
    assert (page.dateline_place, page.story_code) == ("", "")
    assert page.body == [{"type": "paragraph", "value": body[0]["value"] + body[1]["value"]}]


def test_short_sentence_that_is_not_repeated_is_not_a_pull_quote():
    body = [
        {"type": "paragraph", "value": "<p>The council met on Monday to vote on the budget.</p>"},
        {"type": "paragraph", "value": "<p>Nobody expected the vote to be this close at all.</p>"},
    ]
    page = apply_news_rules(ArchivedPage(headline="H", published=None, body=body))
    assert [b["type"] for b in page.body] == ["paragraph"]


@pytest.mark.django_db
def test_import_html_command_is_idempotent_and_redirects(shared, tmp_path, front_page, client):
    (tmp_path / "seed.html").write_text(seed_page(shared), "utf-8")
    folder = shared / "fixtures" / "news-html"
    (tmp_path / "reuters.html").write_bytes((folder / "reuters.com.parasite.html").read_bytes())
    call_command("import", "html", str(tmp_path), "--quiet", "--section", "Iran/Iran Opposition")
    assert StoryPage.objects.count() == 2
    story = StoryPage.objects.get(story_code="IRAN OPPOSITION 18607")
    assert story.live
    assert story.get_parent().title == "Iran Opposition"
    assert (story.dateline_place, story.dateline_agency) == ("Paris", "IPS")
    assert [b.block_type for b in story.body].count("pull_quote") == 2
    reuters = StoryPage.objects.exclude(id=story.id).get()
    assert [sa.author.name for sa in reuters.story_authors.all()] == ["Jill Serjeant"]
    page = client.get(story.url).content.decode()
    assert "this site is definitely closed" not in page
    assert "Powered by the Big Medium" not in page
    assert "Noah’s Ark" in page
    redirect = Redirect.objects.get(redirect_page=reuters)
    assert redirect.old_path == "/article/us-awards-sag-idUSKBN1ZI0EH"
    response = client.get("/article/us-awards-sag-idUSKBN1ZI0EH")
    assert response.status_code == 301 and response["Location"].endswith(reuters.url)
    report = import_html_pages([tmp_path], section=["Iran", "Iran Opposition"])
    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 0, 2, 0)
    assert StoryPage.objects.count() == 2


@pytest.mark.django_db
def test_a_page_without_an_article_is_reported(tmp_path, front_page):
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "bad.htm").write_bytes(b"\xff\xfe\x00")
    report = import_html_pages([tmp_path])
    assert report.failed == 2
    assert {f.place.rsplit("/", 1)[1] for f in report.failures} == {"empty.html", "bad.htm"}
    assert not StoryPage.objects.exists()


def test_page_in_its_declared_legacy_encoding():
    page = extract_page(
        (
            '<html><head><meta charset="windows-1252"><title>T</title></head><body>'
            "<h1>Caf\xe9 story</h1><p>Paris, 3 May (IPS) \x96 The caf\xe9 opened its doors on "
            "Monday for the first time in years, owners said.</p><p>A second paragraph with "
            "enough words in it to look like the body of an article.</p></body></html>"
        ).encode("latin-1")
    )
    assert page.headline == "Café story"
    assert (page.dateline_place, page.dateline_agency) == ("Paris", "IPS")
    assert page.body[0]["value"].startswith("<p>The café opened its doors")


@pytest.mark.django_db
def test_lead_and_body_images_come_from_the_media_folder(tmp_path, front_page):
    from .factories import png

    media = tmp_path / "media"
    png(media / "img" / "lead.png", "blue")
    png(media / "img" / "inline.png", "green")
    body = " ".join(["The minister spoke to reporters on the steps of the ministry."] * 4)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(
        '<html><head><title>Minister speaks</title><meta property="og:image" '
        'content="http://old.example/img/lead.png"></head><body><article>'
        f"<h1>Minister speaks</h1><p>{body}</p>"
        '<figure><img src="http://old.example/img/inline.png" alt="Inline">'
        f"<figcaption>The steps</figcaption></figure><p>{body}</p></article></body></html>",
        "utf-8",
    )
    report = import_html_pages([tmp_path / "pages"], media_dir=media)
    assert report.failures == []
    story = StoryPage.objects.get()
    assert story.lead_image is not None
    assert story.lead_image.title == "lead"
    images = [b.value for b in story.body if b.block_type == "image"]
    assert [(i["image"].title, i["caption"]) for i in images] == [("Inline", "The steps")]
