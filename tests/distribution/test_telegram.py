"""Telegram against a minimal local fake of the Bot API's sendMessage and editMessageText: a
story is posted once, a correction edits the post, hostile text keeps to the API's rules."""

from __future__ import annotations

import html.parser
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from broadsheet.content.distribution.models import TelegramPost
from broadsheet.distribution import telegram
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db
TOKEN = "123:test-token"


class Entities(html.parser.HTMLParser):
    """The Bot API's HTML rules as far as we use them: <b> and <a href> only, the four named
    entities, balanced tags; collects the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.text, self.open, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in ("b", "a") or (tag == "a" and [k for k, _ in attrs] != ["href"]):
            self.errors.append(f"tag {tag} {attrs}")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"unbalanced {tag}")

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.errors.append("raw < or >")
        self.text.append(data)

    def handle_entityref(self, name):
        if name not in ("lt", "gt", "amp", "quot"):
            self.errors.append(f"entity {name}")
        self.text.append("x")

    def handle_charref(self, name):
        self.errors.append(f"charref {name}")


class FakeBotAPI(BaseHTTPRequestHandler):
    messages: dict[int, dict] = {}
    calls: list[tuple[str, dict]] = []
    fail_next: list[int] = []

    def do_POST(self):
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeBotAPI.calls.append((match["method"] if match else self.path, body))
        if not match or match["token"] != TOKEN:
            return self.answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if FakeBotAPI.fail_next:
            code = FakeBotAPI.fail_next.pop(0)
            return self.answer(
                code,
                {
                    "ok": False,
                    "error_code": code,
                    "description": "later",
                    "parameters": {"retry_after": 1},
                },
            )
        if body.get("parse_mode") != "HTML":
            return self.answer(400, {"ok": False, "error_code": 400, "description": "mode"})
        parser = Entities()
        parser.feed(body["text"])
        parser.close()
        visible = "".join(parser.text)
        if parser.errors or parser.open:
            return self.answer(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": f"can't parse entities: {parser.errors}",
                },
            )
        if not 1 <= len(visible.encode("utf-16-le")) // 2 <= 4096:
            return self.answer(
                400, {"ok": False, "error_code": 400, "description": "message is too long"}
            )
        if match["method"] == "sendMessage":
            message_id = len(FakeBotAPI.messages) + 1
        elif match["method"] == "editMessageText":
            message_id = body.get("message_id")
            if message_id not in FakeBotAPI.messages:
                return self.answer(
                    400,
                    {"ok": False, "error_code": 400, "description": "message to edit not found"},
                )
        else:
            return self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        FakeBotAPI.messages[message_id] = body
        return self.answer(200, {"ok": True, "result": {"message_id": message_id}})

    def answer(self, status, data):
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def bot(monkeypatch):
    FakeBotAPI.messages, FakeBotAPI.calls, FakeBotAPI.fail_next = {}, [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBotAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_CHATS", "en=@newsroom,fa=@newsroom_fa")
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.delenv("TELEGRAM_ONLY_TAG", raising=False)
    yield FakeBotAPI
    server.shutdown()
    server.server_close()


def test_a_published_story_is_posted_and_a_correction_edits_it(
    front_page, bot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = StoryFactory(
            parent=SectionFactory(title="Iran", slug="iran"),
            slug="talks",
            title="Talks <resume> in Paris & Geneva",
            standfirst="Both sides agree.",
            published_at=timezone.now(),
        )
    ((method, body),) = bot.calls
    assert method == "sendMessage" and body["chat_id"] == "@newsroom"
    assert body["text"] == (
        "<b>Talks &lt;resume&gt; in Paris &amp; Geneva</b>\n\nBoth sides agree.\n\n"
        '<a href="http://127.0.0.1:8000/iran/talks/">Read the story</a>'
    )
    post = TelegramPost.objects.get()
    assert post.message_id == 1

    story.standfirst = "Both sides agree, says the ministry."
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    method, body = bot.calls[-1]
    assert method == "editMessageText" and body["message_id"] == 1
    assert "says the ministry" in bot.messages[1]["text"]
    assert TelegramPost.objects.count() == 1 and len(bot.messages) == 1

    with django_capture_on_commit_callbacks(execute=True):  # no change of text: no call
        story.save_revision().publish()
    assert len(bot.calls) == 2


def test_only_tagged_stories_when_the_newsroom_says_so(front_page, bot, monkeypatch):
    monkeypatch.setenv("TELEGRAM_ONLY_TAG", "telegram")
    plain = StoryFactory(published_at=timezone.now())
    marked = StoryFactory(published_at=timezone.now(), tags=["Telegram"])
    assert telegram.post_story(plain) is None
    assert telegram.post_story(marked) is not None
    assert [m for m, _ in bot.calls] == ["sendMessage"]


def test_the_persian_story_goes_to_the_persian_channel(front_page, bot):
    from tests.editions.factories import PersianSectionFactory, PersianStoryFactory

    story = PersianStoryFactory(parent=PersianSectionFactory(), published_at=timezone.now())
    telegram.post_story(story)
    ((_, body),) = bot.calls
    assert body["chat_id"] == "@newsroom_fa" and "خواندن خبر" in body["text"]
    assert "/fa/" in body["text"]


def test_a_busy_api_is_tried_again(front_page, bot, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    story = StoryFactory(published_at=timezone.now())
    bot.fail_next = [429]
    assert telegram.post_to_telegram.call(story.pk) is False
    (retry,) = [r for r in default_task_backend.results if r.task.name == "post_to_telegram"]
    assert retry.args == [story.pk] and retry.kwargs == {"attempt": 2}
    assert telegram.post_to_telegram.call(*retry.args, **retry.kwargs) is True
    assert TelegramPost.objects.get(story=story).message_id == 1


def test_long_and_hostile_text_keeps_to_the_api_rules(front_page, bot, shared):
    path = shared / "fixtures" / "hostile" / "blns.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    strings = [s for s in json.loads(path.read_text(encoding="utf-8")) if s.strip()]
    strings = [*strings[::15], "😀" * 5000, '&<>"' * 3000]
    url = "http://127.0.0.1:8000/iran/x/"
    for text in strings:
        message = telegram.message_text(text, text * 3, url, "Read the story")
        parser = Entities()
        parser.feed(message)
        parser.close()
        assert not parser.errors and not parser.open, (text, parser.errors)
        assert len("".join(parser.text).encode("utf-16-le")) // 2 <= 4096, text
        assert message.endswith(f'<a href="{url}">Read the story</a>')
    story = StoryFactory(published_at=timezone.now(), title="😀" * 200, standfirst="&<" * 5000)
    assert telegram.post_story(story).message_id == 1  # the fake API took it
