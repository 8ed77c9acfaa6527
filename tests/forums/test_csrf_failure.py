"""A form sent without its CSRF cookie, and a reader at the admin: the site's own 403 page, in
the edition's language, with the reader's text given back (broadsheet.site.views.forbidden)."""

from __future__ import annotations

import lxml.html
from django.test import Client

from broadsheet.content.forums.models import Post
from tests.editions.factories import persian_front

from .factories import ReaderUserFactory, TopicFactory


def test_a_reply_without_the_csrf_cookie_comes_back_on_the_sites_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(ReaderUserFactory())
    topic = TopicFactory()
    text = "A long reply <script>alert(1)</script> I do not want to lose."
    answer = client.post(f"/forums/post/{topic.pk}/", {"text": text, "csrfmiddlewaretoken": "x"})
    assert answer.status_code == 403
    assert answer["Cache-Control"] == "private, no-store"
    body = answer.content.decode()
    assert "<script>alert(1)</script>" not in body  # escaped
    page = lxml.html.fromstring(body)
    assert page.get("lang") == "en"
    assert page.xpath("//link[@rel='stylesheet']")  # the site's styled page, not Django's
    assert "did not send the security cookie" in page.text_content()
    box = page.xpath("//textarea[@id='kept-text']")[0]
    assert box.get("readonly") is not None
    assert box.text == text
    assert "csrfmiddlewaretoken" not in body and ">x<" not in body
    assert not Post.objects.filter(text=text).exists()


def test_the_failure_page_speaks_the_editions_language():
    persian_front()
    client = Client(enforce_csrf_checks=True)
    answer = client.post("/fa/forums/post/1/", {"text": "متن من", "password": "secret"})
    assert answer.status_code == 403
    page = lxml.html.fromstring(answer.content.decode())
    assert (page.get("lang"), page.get("dir")) == ("fa", "rtl")
    assert page.xpath("//textarea[@id='kept-text']")[0].text == "متن من"
    assert "secret" not in answer.content.decode()
    assert "could not be accepted" not in answer.content.decode()  # translated


def test_a_reader_at_the_admin_gets_the_sites_styled_403(client):
    client.force_login(ReaderUserFactory())
    answer = client.get("/admin/")
    assert answer.status_code == 403
    page = lxml.html.fromstring(answer.content.decode())
    assert page.xpath("//link[@rel='stylesheet']") and page.xpath("//header")
    assert "A reader's account cannot use the newsroom's admin." in page.text_content()
    assert answer["Cache-Control"] == "private, no-store"
