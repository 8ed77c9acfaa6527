"""What the pages of a frozen archive and of a mirror (``bake --relative``) point at: a frozen
page calls no live endpoint (no edit-link script), a mirror's reader forms and the URLs their
scripts fetch are on the live site's address, and ``freeze --verify`` reads ``data-*`` URLs."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from django.core.management import call_command

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing import archive
from broadsheet.publishing.relative import relativize

BASE = "https://ips.example.org"
SEED_SLUG = "iran-national-solidarity-to-create-an-alternative"


def pages(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*.html")) if ".bake" not in p.parts]


def parsed(page: Path):
    return lxml.html.document_fromstring(page.read_bytes())


def test_relativize_puts_post_forms_and_script_endpoints_on_the_live_address():
    html = (
        '<html><body><form method="post" action="/discussion/guestbook/" '
        'data-token-url="/discussion/token/?kind=guestbook&amp;target="></form>'
        '<form method="get" action="/search/"></form>'
        '<form method="post" action="https://ips.example.org/newsletter/subscribe/"></form>'
        '<form method="post" action="https://live.example.net/discussion/comments/"></form>'
        '<script src="/static/e.js" data-endpoint="/edit-link/"></script></body></html>'
    )
    doc = lxml.html.document_fromstring(relativize(html, "/guestbook/", BASE))
    posts = [f.get("action") for f in doc.iter("form") if f.get("method") == "post"]
    assert posts == [
        f"{BASE}/discussion/guestbook/",
        f"{BASE}/newsletter/subscribe/",
        "https://live.example.net/discussion/comments/",  # BROADSHEET_LIVE_URL: kept
    ]
    form = next(doc.iter("form"))
    assert form.get("data-token-url") == f"{BASE}/discussion/token/?kind=guestbook&target="
    # the search box is a page of the folder
    assert doc.xpath("//form[@method='get']/@action") == ["../search/index.html"]
    script = next(doc.iter("script"))
    assert script.get("src") == "../static/e.js"
    assert script.get("data-endpoint") == f"{BASE}/edit-link/"


@pytest.mark.django_db
def test_a_mirrors_forms_post_to_the_live_site(demo_newsroom, tmp_path):
    story = StoryPage.objects.get(slug=SEED_SLUG)
    story.comments = "open"
    story.save_revision().publish()
    out = tmp_path / "mirror"
    call_command("bake", relative=True, output=str(out), base_url=BASE, no_progress=True)
    posts, fetched = [], []
    for page in pages(out):
        for el in parsed(page).iter():
            if not isinstance(el.tag, str):
                continue
            for attr, value in el.attrib.items():
                if attr in ("data-token-url", "data-endpoint"):
                    fetched.append((page, attr, value))
            if el.tag == "form" and (el.get("method") or "").lower() == "post":
                posts.append((page, el.get("action") or ""))
            elif el.tag == "form":  # a GET form (search): a page of the folder
                target = (page.parent / unquote(urlsplit(el.get("action")).path)).resolve()
                assert target.is_file(), (page, el.get("action"))
    # the guestbook, the seed story's comments and the newsletter sign-up are all there
    for endpoint in ("/discussion/guestbook/", "/discussion/comments/", "/newsletter/subscribe/"):
        assert any(urlsplit(a).path.startswith(endpoint) for _, a in posts), endpoint
    for page, action in posts:
        assert action.startswith(BASE + "/"), (page, action)
    kinds = {attr for _, attr, _ in fetched}
    assert kinds == {"data-token-url", "data-endpoint"}
    for page, attr, value in fetched:
        assert value.startswith(BASE + "/"), (page, attr, value)


@pytest.mark.django_db
def test_a_frozen_archive_loads_no_live_script_and_verify_reads_data_urls(
    demo_newsroom, tmp_path, settings
):
    settings.BROADSHEET_STATIC_SEARCH = True  # the search page's index files are checked too
    folder = tmp_path / "archive"
    call_command(
        "freeze", output=str(folder), base_url=BASE, no_progress=True, stdout=io.StringIO()
    )
    every = pages(folder)
    assert len(every) > 20
    for page in every:
        doc = parsed(page)
        assert not doc.xpath("//@data-endpoint | //@data-token-url"), page
        assert not [s for s in doc.xpath("//script/@src") if "edit-link" in s], page
    assert archive.verify(folder).ok
    # a page that still called a live endpoint, or one on the site's own host, is reported
    story = next(folder.rglob(f"{SEED_SLUG}/index.html"))
    rel = story.relative_to(folder).as_posix()
    html = story.read_text(encoding="utf-8")
    story.write_text(
        html.replace(
            "</body>",
            '<script src="x.js" data-endpoint="/edit-link/"></script>'
            f'<div data-token-url="{BASE}/discussion/token/"></div>'
            '<div data-search-base="/"></div></body>',
        ),
        encoding="utf-8",
    )
    problems = archive.link_problems(folder.resolve(), rel, urlsplit(BASE).netloc)
    assert any("data-endpoint" in p and "root-relative" in p for p in problems), problems
    assert any("data-token-url" in p and "own host" in p for p in problems), problems
    assert not any("data-search-base" in p for p in problems), problems
