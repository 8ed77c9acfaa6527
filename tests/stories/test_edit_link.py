"""One-click edit: the live endpoint tells a signed-in user who may edit a page where its
editor is, and tells anyone else nothing; every reader page loads the first-party script
(no inline script) that asks it."""

from __future__ import annotations

import pytest

from tests.content.editorial.factories import StaffFactory
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    sport = SectionFactory(title="Sport", slug="sport")
    story = StoryFactory(parent=iran, title="Strike", slug="strike")
    return {"iran": iran, "sport": sport, "story": story}


def ask(client, path: str):
    response = client.get("/edit-link/", {"path": path})
    assert response["Cache-Control"] == "private, no-store"
    return response


def test_an_editor_of_the_section_gets_the_edit_address(client, desk):
    client.force_login(StaffFactory(roles=[("editor", desk["iran"])]))
    response = ask(client, "/iran/strike/")
    assert response.status_code == 200
    assert response.json() == {
        "url": f"/admin/pages/{desk['story'].id}/edit/",
        "label": "Edit this story",
    }
    assert ask(client, "/iran/").json()["url"] == f"/admin/pages/{desk['iran'].id}/edit/"


def test_anyone_else_gets_nothing(client, desk):
    assert ask(client, "/iran/strike/").status_code == 204  # anonymous
    assert ask(client, "/iran/strike/").content == b""
    writer = StaffFactory(roles=[("writer", desk["sport"])])
    StoryFactory(parent=desk["sport"], title="Derby", slug="derby", owner=writer)
    client.force_login(writer)
    assert ask(client, "/iran/strike/").status_code == 204  # another section's writer
    assert ask(client, "/sport/derby/").status_code == 200  # but their own story
    assert ask(client, "/no/such/page/").status_code == 204
    assert ask(client, "no-slash").status_code == 400


def test_reader_pages_load_the_script_and_carry_no_link(client_ok, desk):
    for path in ("/", "/iran/strike/", "/latest/"):
        html = client_ok.get_html(path)
        assert 'src="/static/broadsheet/edit-link.js"' in html
        assert 'data-endpoint="/edit-link/"' in html
        assert "Edit this" not in html and "/admin/" not in html
