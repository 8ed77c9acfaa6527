"""Readers write back from the baked pages, as people do: open the page, type (key by key, about
five seconds in all), press Send once — and the comment, guestbook entry, letter or message to
an author is accepted (a comment and an entry are held for moderation: the page says so). Ten
comments in a row are all accepted. A robot that posts the baked form's fields at once (plain
HTTP, no script) stores nothing: it gets the "check and send" page.

The demo's rate limit (10 posts a minute from one address; everything here comes from
127.0.0.1) is a defence these tests respect rather than switch off: :func:`pace` waits for the
next minute's window before a post that would pass it.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
import urllib.request
import uuid
from html import unescape

import pytest

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

TYPING_DELAY_MS = 70  # per key: the texts below take about five seconds to type
POSTS_PER_WINDOW = 8  # under the demo's 10 posts a minute per address, to leave room
_posted: list[float] = []


def pace() -> None:
    """Wait, if need be, for the next fixed one-minute window of the rate limit."""
    window = int(time.time()) // 60
    if sum(1 for t in _posted if int(t) // 60 == window) >= POSTS_PER_WINDOW:
        time.sleep((window + 1) * 60 - time.time() + 0.5)
    _posted.append(time.time())


def baked_page_with(demo_site, marker: str, under: str = "") -> str:
    """The path of a baked page (``var/site``) whose HTML contains ``marker``."""
    site = demo_site.var / "site"
    for index in sorted((site / under).rglob("index.html")):
        if marker in index.read_text(encoding="utf-8"):
            return "/" + str(index.parent.relative_to(site)).strip(".") + "/"
    pytest.fail(f"no baked page with {marker!r} under {site / under}")


def rows(demo_site, table: str, text: str) -> list[tuple]:
    """The rows of the demo's ``table`` whose ``text`` is ``text`` (the demo's SQLite file)."""
    with sqlite3.connect(demo_site.var / "broadsheet.sqlite3") as db:
        return db.execute(f"SELECT * FROM {table} WHERE text = ?", (text,)).fetchall()  # noqa: S608


def status_of(demo_site, table: str, text: str) -> str:
    with sqlite3.connect(demo_site.var / "broadsheet.sqlite3") as db:
        row = db.execute(f"SELECT status FROM {table} WHERE text = ?", (text,)).fetchone()  # noqa: S608
    assert row, f"nothing stored in {table} with {text!r}"
    return row[0]


def type_and_send(page, form: str, fields: dict[str, str]) -> None:
    """Type each field key by key, as a person does, and press the form's button once."""
    for name, value in fields.items():
        page.click(f"{form} [name={name}]")
        page.type(f"{form} [name={name}]", value, delay=TYPING_DELAY_MS)
    pace()
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def comment_text() -> str:
    return f"I read this twice; the second paragraph says it best. ({uuid.uuid4().hex[:8]})"


FORMS = {
    # kind: (marker of the baked page, its folder, form id, table, fields, anchor after sending)
    "comment": ('id="comment-form"', "", "comment-form", "discussion_comment", "comment-held"),
    "guestbook": ('id="sign"', "guestbook", "sign", "discussion_guestbookentry", "entry-held"),
    "letter": ('id="letter"', "contact", "letter", "discussion_letter", "letter-sent"),
    "author": ('id="write"', "authors", "write", "discussion_authormessage", "message-sent"),
}


def fields_for(kind: str) -> dict[str, str]:
    unique = uuid.uuid4().hex[:8]
    text = f"Thank you for the reporting, from a reader. ({unique})"
    if kind == "comment":
        return {"name": "Ana", "text": comment_text()}
    if kind == "guestbook":
        return {"name": "Mina", "place": "Shiraz", "text": text}
    return {"name": "Reza", "email": "reza@example.org", "subject": "Your story", "text": text}


@pytest.mark.parametrize("kind", FORMS)
def test_a_reader_sends_each_form_with_one_press(demo_site, watched_page, kind):
    marker, folder, form_id, table, anchor = FORMS[kind]
    path = baked_page_with(demo_site, marker, folder)
    page, watch = watched_page
    page.goto(demo_site.url + path)
    fields = fields_for(kind)
    started = time.monotonic()
    type_and_send(page, f"#{form_id}", fields)
    assert time.monotonic() - started >= 3  # typed as a person, not faster than one can
    assert page.url.endswith(f"#{anchor}"), page.url
    assert page.locator(f"#{anchor}").is_visible()  # "awaiting moderation" / "sent"
    assert len(rows(demo_site, table, fields["text"])) == 1
    if kind in ("comment", "guestbook"):
        assert status_of(demo_site, table, fields["text"]) == "held"
    watch.assert_clean()


def test_ten_comments_in_a_row_are_all_accepted_with_one_press(demo_site, chromium):
    marker, folder, form_id, table, anchor = FORMS["comment"]
    path = baked_page_with(demo_site, marker, folder)
    accepted = []
    for _ in range(10):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(demo_site.url + path)
            fields = {"name": "Ana", "text": comment_text()}
            type_and_send(page, f"#{form_id}", fields)
            accepted.append(
                page.url.endswith(f"#{anchor}") and len(rows(demo_site, table, fields["text"])) == 1
            )
        finally:
            context.close()
    assert accepted == [True] * 10


@pytest.mark.parametrize("kind", ["comment", "guestbook"])
def test_a_quick_reader_who_presses_send_within_seconds_is_not_asked_again(
    demo_site, chromium, kind
):
    """Autofill, a paste or a fast typist: the form is filled and sent less than the minimum
    fill time after the page's script fetched its fresh token. The one press is held until
    that time has passed and then sent — the reader is not asked to press again."""
    marker, folder, form_id, table, anchor = FORMS[kind]
    path = baked_page_with(demo_site, marker, folder)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        form = f"#{form_id}"
        with page.expect_response(lambda r: "/discussion/token/" in r.url):
            page.goto(demo_site.url + path)
            page.focus(f"{form} [name=name]")  # the fresh token: when the form is first seen
        fields = fields_for(kind)
        for name, value in fields.items():
            page.fill(f"{form} [name={name}]", value)  # at once, as autofill does
        pace()
        with page.expect_navigation():
            page.click(f"{form} button[type=submit]")
        assert page.url.endswith(f"#{anchor}"), page.url
        assert len(rows(demo_site, table, fields["text"])) == 1
    finally:
        context.close()


def test_a_bot_posting_the_baked_form_at_once_is_refused(demo_site):
    """A robot reads the baked page and posts its fields straight back (no script runs)."""
    import re

    marker, folder, form_id, table, _anchor = FORMS["comment"]
    path = baked_page_with(demo_site, marker, folder)
    baked = (demo_site.var / "site" / path.strip("/") / "index.html").read_text(encoding="utf-8")
    form = baked[baked.index(f'id="{form_id}"') :]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    text = f"Buy cheap watches now ({uuid.uuid4().hex[:8]})"
    data = {**{k: unescape(v) for k, v in hidden.items()}, "website": ""}
    data.update(name="Bot", text=text)
    pace()
    request = urllib.request.Request(  # noqa: S310 - the demo on 127.0.0.1
        demo_site.url + "/discussion/comments/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Origin": demo_site.url},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        body = response.read().decode()
        assert response.status == 200  # the check page, not a redirect to #comment-held
    assert "Check your comment" in body
    assert rows(demo_site, table, text) == []


def test_the_form_works_and_asks_once_without_javascript(demo_site, chromium):
    """With scripts off (Tor Browser's safest level): the check page with the text kept, then
    one more press sends it."""
    marker, folder, form_id, table, anchor = FORMS["comment"]
    path = baked_page_with(demo_site, marker, folder)
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site.url + path)
        fields = {"name": "Ana", "text": comment_text()}
        type_and_send(page, f"#{form_id}", fields)
        assert page.locator("h1").inner_text().startswith("Check your comment")
        assert page.locator("#resend-text").input_value() == fields["text"]
        assert rows(demo_site, table, fields["text"]) == []
        time.sleep(3)  # reading the check page
        pace()
        with page.expect_navigation():
            page.click("#resend button[type=submit]")
        assert page.url.endswith(f"#{anchor}"), page.url
        assert len(rows(demo_site, table, fields["text"])) == 1
    finally:
        context.close()
