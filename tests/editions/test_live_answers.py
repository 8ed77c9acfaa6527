"""The live answers a reader can reach under /fa/ are Persian and right to left: the answer
page of a refused post (its validation messages too), the "check and send" page, the reply
page, the 404 and 410 pages. The English edition's answers stay English.

Each answer is checked like the crawled pages of ``test_interface_strings``: ``<html lang="fa"
dir="rtl">``, none of the catalogue's English msgids and no Latin word visible, and the reader's
text kept in the form.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.core.cache import cache
from lxml import html

from broadsheet.content.discussion.models import Comment, CommentStatus
from broadsheet.content.newsroom.models import EditionSettings, RetiredPath

from .factories import PersianStoryFactory
from .test_interface_strings import _pattern, msgids, visible

pytestmark = pytest.mark.django_db

TEXT = "ب"  # shorter than the minimum length (2): refused, and kept


@pytest.fixture(autouse=True)
def _no_akismet(settings):
    settings.BROADSHEET_AKISMET_KEY = ""
    settings.BROADSHEET_DISCUSSION = {}
    cache.clear()  # rate limits
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _persian_name(editions_):
    """The Persian edition is named in Persian (the site name shows on every page)."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    EditionSettings.objects.create(site=site, language="fa", site_name="خبرگزاری آزمایشی")


@pytest.fixture
def open_story(editions_):
    return PersianStoryFactory(
        parent=editions_["may"].get_parent(), title="خبری با دیدگاه", slug="baz", comments="open"
    )


def assert_persian(body: str) -> str:
    """Assert a page is Persian, right to left, with no English interface string; return its
    visible text."""
    doc = html.fromstring(body)
    root = doc.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("fa", "rtl")
    text, latin = visible(doc)
    english = [m for m in msgids() if _pattern(m).search(text)]
    assert not english and not latin, (english, latin, text)
    return text


def baked_form(client, page: str, form_id: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of form ``form_id`` on ``page``, as a browser sends them."""
    doc = html.fromstring(client.get(page).content.decode())
    form = doc.get_element_by_id(form_id)
    fields = {i.get("name"): i.get("value", "") for i in form.xpath(".//input[@type='hidden']")}
    return form.get("action"), fields


def test_a_persian_form_posts_to_the_persian_edition(client, open_story):
    action, _fields = baked_form(client, "/fa/iran/baz/", "comment-form")
    assert action == "/fa/discussion/comments/"


def test_a_refused_comment_is_answered_in_persian_with_the_text_kept(client, open_story):
    action, fields = baked_form(client, "/fa/iran/baz/", "comment-form")
    response = client.post(action, {**fields, "name": "", "text": TEXT, "website": ""})
    assert response.status_code == 400
    body = response.content.decode()
    text = assert_persian(body)
    assert "لطفاً دیدگاه خود را بررسی کنید" in text  # the title
    assert "نوشتهٔ شما بیش از اندازه کوتاه است." in text  # the text's validation message
    assert "لطفاً «نام» را پر کنید." in text  # the name's
    assert f">{TEXT}</textarea>" in body
    assert Comment.objects.count() == 0


def test_validation_numbers_are_written_in_persian_digits(client, open_story):
    action, fields = baked_form(client, "/fa/iran/baz/", "comment-form")
    long_name = "ن" * 500
    response = client.post(action, {**fields, "name": long_name, "text": "متن خواننده"})
    text = assert_persian(response.content.decode())
    assert "(این ۵۰۰ نویسه دارد)" in text, text


def test_the_check_and_send_page_is_persian(client, open_story):
    """The stable token of a baked page asks the reader to check the text first."""
    action, fields = baked_form(client, "/fa/iran/baz/", "comment-form")
    words = "این دیدگاه من دربارهٔ این خبر است."
    response = client.post(action, {**fields, "name": "مریم", "text": words, "website": ""})
    assert response.status_code == 200, response.content.decode()[:3000]
    text = assert_persian(response.content.decode())
    assert "دیدگاه شما هنوز فرستاده نشده است" in text  # why: the page's script did not run
    assert "لطفاً آن را در پایین بررسی کنید و یک بار دکمه را بزنید تا فرستاده شود." in text
    assert "نوشتهٔ شما چنان که نمایش داده خواهد شد" in text or words in text
    assert Comment.objects.count() == 0


def test_a_closed_story_refuses_in_persian(client, editions_):
    story = editions_["may"]
    story.comments = "closed"
    story.save_revision().publish()
    response = client.post(
        "/fa/discussion/comments/", {"story": str(story.id), "name": "مریم", "text": TEXT}
    )
    assert response.status_code == 403
    text = assert_persian(response.content.decode())
    assert "دیدگاه‌های این صفحه بسته است. دیدگاه شما فرستاده نشد" in text


@pytest.mark.parametrize(
    ("path", "fields", "title"),
    [
        ("/fa/discussion/guestbook/", {"place": "شیراز"}, "لطفاً نوشته خود را بررسی کنید"),
        ("/fa/discussion/letters/", {"subject": "نامه"}, "لطفاً نامه خود را بررسی کنید"),
    ],
)
def test_the_other_forms_answer_in_persian(client, editions_, path, fields, title):
    response = client.post(path, {"name": "مریم", "email": "", "text": TEXT, **fields})
    assert response.status_code == 400
    text = assert_persian(response.content.decode())
    assert title in text


def test_the_reply_page_is_persian(client, open_story):
    comment = Comment.objects.create(
        story=open_story, name="John_99", text="OK, thanks", status=CommentStatus.APPROVED
    )
    response = client.get(f"/fa/discussion/comments/{comment.id}/reply/")
    assert response.status_code == 200
    body = response.content.decode()
    # the reader's comment reads left to right in its own box; the name is isolated
    assert re.search(r'<div class="comment-text" dir="auto">\s*<p>OK, thanks</p>', body)
    assert "<h1>پاسخ به <bdi>John_99</bdi></h1>" in body
    assert "<title>پاسخ به John_99 — " in body
    text = assert_persian(body.replace("<p>OK, thanks</p>", "").replace("John_99", ""))
    assert "دربارهٔ «خبری با دیدگاه»." in text


def test_the_persian_404_and_410_pages_are_persian(client, editions_):
    missing = client.get("/fa/no-such-page/")
    assert missing.status_code == 404
    assert "صفحه پیدا نشد" in assert_persian(missing.content.decode())
    assert 'href="/fa/archives/"' in missing.content.decode()
    RetiredPath.objects.create(path="/fa/iran/gone/")
    gone = client.get("/fa/iran/gone/")
    assert gone.status_code == 410
    assert "این صفحه برداشته شده است" in assert_persian(gone.content.decode())


def test_the_english_answers_stay_english(client, editions_):
    missing = client.get("/no-such-page/").content.decode()
    assert '<html lang="en" dir="ltr"' in missing and "Page not found" in missing
    answer = client.post("/discussion/guestbook/", {"name": "", "text": "H"})
    page = htmllib.unescape(answer.content.decode())
    assert "Please check your entry" in page and "Please fill in “name”." in page
    assert "Your text is too short." in page


def test_the_500_page_follows_the_edition_of_the_path(rf):
    from broadsheet.site.views import server_error

    persian = server_error(rf.get("/fa/iran/x/"))
    assert persian.status_code == 500
    body = persian.content.decode()
    assert '<html lang="fa" dir="rtl">' in body and "<h1>مشکلی پیش آمد</h1>" in body
    english = server_error(rf.get("/iran/x/")).content.decode()
    assert '<html lang="en" dir="ltr">' in english and "<h1>Something went wrong</h1>" in english
