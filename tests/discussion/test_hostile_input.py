"""Every string of the Big List of Naughty Strings, in every field of every reader form: stored
and shown escaped, or refused with a clear message; never a server error, never markup of the
reader's making in a page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from broadsheet.content.discussion.models import (
    AuthorMessage,
    Comment,
    CommentStatus,
    GuestbookEntry,
    Letter,
)
from broadsheet.discussion.cleaning import normalize_line, normalize_text
from broadsheet.discussion.pages import plain_text
from tests.content.factories import AuthorFactory, StoryFactory

pytestmark = pytest.mark.django_db

# The tags and attributes our reader pages may contain; anything else came from a reader.
PAGE_TAGS = {
    "html", "head", "meta", "title", "link", "body", "a", "header", "p", "nav", "ul", "li",
    "div", "main", "h1", "h2", "h3", "article", "span", "time", "section", "ol", "form",
    "input", "label", "textarea", "button", "details", "summary", "br", "footer", "aside",
    "abbr", "bdi", "script", "blockquote", "figure", "figcaption", "img", "select", "option",
}  # fmt: skip
PAGE_ATTRS = {
    "lang", "dir", "charset", "name", "content", "rel", "href", "class", "id", "aria-label",
    "aria-labelledby", "aria-current", "aria-hidden", "aria-invalid", "aria-describedby",
    "datetime", "method", "action", "accept-charset", "type", "value", "autocomplete",
    "required", "rows", "for", "tabindex", "role", "title", "maxlength", "property",
    "data-pagefind-body", "data-pagefind-meta", "data-pagefind-ignore", "aria-live",
    "data-search-live", "selected", "alt", "src", "width", "height", "loading",
    "data-endpoint", "defer",  # the one-click edit script (stories/editlink.py)
    "data-token-url",  # a baked reader form's fresh-token address (discussion/formtoken.py)
    "data-live",  # a link to a page only the live site serves (publishing/relative.py)
    "srcset", "sizes", "fetchpriority",  # responsive images (_macros.html responsive_image)
}  # fmt: skip

VALID = {
    "name": "Reader",
    "email": "reader@example.org",
    "place": "Oslo",
    "subject": "A subject",
}
FORMS = {
    "comment": ["name", "email", "text", "story", "parent", "website", "form_token"],
    "guestbook": ["name", "place", "text", "website", "form_token"],
    "letter": ["name", "email", "subject", "text", "website", "form_token"],
    "author": ["name", "email", "subject", "text", "website", "form_token"],
}
CASES = [(form, field) for form, fields in FORMS.items() for field in fields]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add(name)
            if name in ("href", "action") and value:
                self.hrefs.append(value)


def assert_no_reader_markup(html: str) -> None:
    from tests.conftest import executable_scripts

    assert executable_scripts(html) == []  # only JSON-LD data blocks (broadsheet.syndication)
    parser = TagCollector()
    parser.feed(html)
    assert parser.tags <= PAGE_TAGS, parser.tags - PAGE_TAGS
    assert parser.attrs <= PAGE_ATTRS, parser.attrs - PAGE_ATTRS
    for href in parser.hrefs:
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href


@pytest.fixture(scope="module")
def naughty(request) -> list[str]:
    from tests.conftest import SHARED

    path = SHARED / "fixtures" / "hostile" / "blns.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize(("form", "field"), CASES, ids=[f"{f}-{g}" for f, g in CASES])
def test_every_naughty_string_in_every_field(
    form, field, naughty, front_page, post_form, settings, client
):
    settings.BROADSHEET_DISCUSSION = {
        "RATE_PER_ADDRESS_MINUTE": 10**6,
        "RATE_PER_ADDRESS_HOUR": 10**6,
        "RATE_GLOBAL_MINUTE": 10**6,
        "GUESTBOOK_PAGE_SIZE": 10**4,
    }
    story = StoryFactory()
    author = AuthorFactory(email="hidden.author@newsroom.example")
    target = {"comment": story.id, "author": author.slug}.get(form, "")
    stored, refused = 0, 0
    for i, value in enumerate(naughty):
        fields = {f: VALID[f] for f in FORMS[form] if f in VALID}
        fields["text"] = f"Sample text number {i}."
        fields[field] = value
        response = post_form(form, target, **fields)
        assert response.status_code in (303, 400, 403, 409), (i, value, response.status_code)
        if response.status_code == 303:
            stored += 1
            continue
        refused += 1
        html = response.content.decode()
        assert 'class="answer-message answer-refused" role="alert"' in html, (i, value)
        assert_no_reader_markup(html)
        if field in ("name", "email", "place", "subject"):
            assert str(escape(normalize_line(value))) in html, (i, value)
        elif field == "text":
            assert str(escape(normalize_text(value))) in html, (i, value)
    assert stored + refused == len(naughty)
    if field in ("name", "place", "subject", "text"):
        assert stored > len(naughty) / 2  # most strings are fine to store
    model = {
        "comment": Comment,
        "guestbook": GuestbookEntry,
        "letter": Letter,
        "author": AuthorMessage,
    }[form]
    rows = list(model.objects.all())
    assert len(rows) == stored
    if field in ("name", "place", "subject", "email", "text"):
        normalize = normalize_text if field == "text" else normalize_line
        expected = {normalize(v) for v in naughty}
        assert {getattr(r, field) for r in rows} <= expected
    # what readers see: approve everything and look at the page
    if form == "comment":
        Comment.objects.update(status=CommentStatus.APPROVED)
        page = client.get(story.url)
    elif form == "guestbook":
        GuestbookEntry.objects.update(status=CommentStatus.APPROVED)
        page = client.get("/guestbook/")
    else:
        page = client.get(f"/authors/{author.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_no_reader_markup(html)
    assert "hidden.author" not in html
    if form in ("comment", "guestbook"):
        for row in rows:
            assert str(escape(row.name)) in html
            assert str(plain_text(row.text)) in html
            if form == "guestbook" and row.place:
                assert str(escape(row.place)) in html
            if form == "comment" and row.email:
                assert f">{escape(row.email)}<" not in html or row.email in row.text
