"""WebSub: the feeds declare the hub, and a publish that changed feeds pings it — against a
local HTTP server standing in for the hub."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import urllib.parse

import pytest
from django.utils import timezone
from lxml import etree

from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRun
from broadsheet.syndication import websub
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"


class Hub(http.server.BaseHTTPRequestHandler):
    """Keeps every POST's form; answers ``status`` (class attribute)."""

    pings: list[dict[str, list[str]]] = []
    status = 204

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        Hub.pings.append(
            {"type": [self.headers.get("Content-Type")], **urllib.parse.parse_qs(body)}
        )
        self.send_response(Hub.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hub(settings):
    Hub.pings, Hub.status = [], 204
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BROADSHEET_WEBSUB_HUB = f"http://127.0.0.1:{server.server_port}/hub"
    yield settings.BROADSHEET_WEBSUB_HUB
    server.shutdown()
    server.server_close()


def test_feeds_declare_the_hub(front_page, client, hub):
    StoryFactory()
    rss = etree.fromstring(client.get("/feeds/rss.xml").content)
    (link,) = rss.xpath("/rss/channel/atom:link[@rel='hub']", namespaces={"atom": ATOM})
    assert link.get("href") == hub
    atom = etree.fromstring(client.get("/feeds/atom.xml").content)
    (link,) = atom.xpath("/a:feed/a:link[@rel='hub']", namespaces={"a": ATOM})
    assert link.get("href") == hub
    assert atom.xpath("/a:feed/a:link[@rel='self']", namespaces={"a": ATOM})


def test_no_hub_no_link(front_page, client, settings):
    settings.BROADSHEET_WEBSUB_HUB = ""
    StoryFactory()
    assert b'rel="hub"' not in client.get("/feeds/rss.xml").content
    assert b'rel="hub"' not in client.get("/feeds/atom.xml").content


def test_a_publish_pings_the_hub_with_the_feeds_it_changed(
    front_page, hub, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    section = SectionFactory(title="Iran", slug="iran")
    StoryFactory(parent=section, published_at=timezone.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert full_bake(tmp_path / "site").status == BakeRun.Status.DONE
    Hub.pings.clear()  # a full bake writes every feed: pinged too, not what this test is about
    StoryFactory(parent=section, slug="news", published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        run = process_pending(tmp_path / "site")
    assert run.kind == BakeRun.Kind.INCREMENTAL and run.status == BakeRun.Status.DONE
    topics = sorted(p["hub.url"][0] for p in Hub.pings)
    base = "http://127.0.0.1:8000"
    for path in ("/feeds/rss.xml", "/feeds/atom.xml", "/iran/feed/rss.xml", "/iran/feed/atom.xml"):
        assert base + path in topics
    assert all(p["hub.mode"] == ["publish"] for p in Hub.pings)
    assert all(p["type"] == ["application/x-www-form-urlencoded"] for p in Hub.pings)
    assert len(topics) == len(set(topics))
    assert all(websub.FEED_PATH.search(urllib.parse.urlsplit(t).path) for t in topics)


def test_a_refusing_hub_is_reported_and_tried_again(front_page, hub, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    Hub.status = 503
    url = "http://127.0.0.1:8000/feeds/rss.xml"
    assert websub.ping_hub.call([url]) == [url]
    from django_tasks import default_task_backend

    (retry,) = [r for r in default_task_backend.results if r.task.name == "ping_hub"]
    assert retry.args == [[url]] and retry.kwargs == {"attempt": 2}
    assert retry.task.run_after is not None
    Hub.status = 202
    assert websub.ping_hub.call(*retry.args, **retry.kwargs) == []


def test_only_feed_paths_are_announced():
    assert websub.feed_paths(
        ["/", "/feeds/rss.xml", "/fa/feeds/atom.xml", "/iran/feed/rss.xml", "/feeds/x.html"]
    ) == ["/fa/feeds/atom.xml", "/feeds/rss.xml", "/iran/feed/rss.xml"]
