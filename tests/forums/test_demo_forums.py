"""The demo's forums: boards and sample threads marked as sample content, a demo reader who
can sign in and post at once."""

from __future__ import annotations

from django.test import Client

from broadsheet.content.forums.models import Board, Post, Topic
from broadsheet.demo.forums import setup_forums

from .conftest import reader_login


def test_demo_forums_and_reader(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    email, password = setup_forums()
    assert (tmp_path / "demo-reader-password.txt").read_text().strip() == password
    assert Board.objects.count() >= 3 and not Board.objects.filter(sample=False).exists()
    assert not Topic.objects.filter(sample=False).exists()
    html = client.get("/forums/").content.decode()
    assert "Sample content, written for the demo." in html
    # again: nothing duplicated, same password
    assert setup_forums() == (email, password)
    assert Board.objects.count() == len({b.slug for b in Board.objects.all()})
    reader = Client()
    assert reader_login(reader, email, password).status_code == 302
    topic = Topic.objects.filter(board__language="").first() or Topic.objects.first()
    answer = reader.post(f"/forums/post/{topic.pk}/", {"text": "Posted by the demo reader"})
    assert answer.status_code == 303 and "held" not in answer["Location"]
    assert Post.objects.get(text="Posted by the demo reader").status == "approved"
