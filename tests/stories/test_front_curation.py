"""Front-page curation: a section's lead story (first on its section front and in its block on
the front page) and stories hidden from the front page (which stay everywhere else) — read live
and from a full bake's in-memory read model, which must agree."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from broadsheet.site.build import make_build
from broadsheet.site.data import Scope
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


def when(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2007, 6, day, 12))


@pytest.fixture
def desk(front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    world = SectionFactory(title="World", slug="world")
    stories = {
        name: StoryFactory(parent=iran, title=f"Iran story {name}", slug=name, published_at=when(d))
        for name, d in (("oldest", 1), ("middle", 5), ("newest", 9))
    }
    stories["abroad"] = StoryFactory(
        parent=world, title="World story abroad", slug="abroad", published_at=when(7)
    )
    return {"iran": iran, "world": world, **stories}


def headlines(html: str, section: str | None = None) -> list[str]:
    """The story headlines linked in ``html`` (in ``section``'s block of the front page if
    given), in page order."""
    if section is not None:
        marker = f'<h2 id="section-{section}">'
        if marker not in html:
            return []  # the section has no block (all its stories are shown above it)
        html = html.split(marker, 1)[1].split("</section>", 1)[0]
    return re.findall(r">((?:Iran|World) story \w+)<", html)


def set_lead(section: SectionPage, story: StoryPage | None) -> None:
    section = SectionPage.objects.get(id=section.id)
    section.lead_story = story
    section.save_revision().publish()


def hide(story: StoryPage, hidden: bool = True) -> None:
    story = StoryPage.objects.get(id=story.id)
    story.hide_from_front = hidden
    story.save_revision().publish()


def test_a_section_lead_comes_first_on_its_front_and_in_its_front_page_block(client_ok, desk):
    assert headlines(client_ok.get_html("/iran/"))[0] == "Iran story newest"
    set_lead(desk["iran"], desk["oldest"])
    listed = headlines(client_ok.get_html("/iran/"))
    assert listed[0] == "Iran story oldest"
    assert listed.count("Iran story oldest") == 1, "shown once, first"
    assert {"Iran story newest", "Iran story middle"} <= set(listed)
    block = headlines(client_ok.get_html("/"), section=str(desk["iran"].id))
    assert block[0] == "Iran story oldest" and block.count("Iran story oldest") == 1
    # The lead of one section is not the lead of another.
    assert headlines(client_ok.get_html("/world/"))[0] == "World story abroad"
    set_lead(desk["iran"], None)
    assert headlines(client_ok.get_html("/iran/"))[0] == "Iran story newest"


def test_a_lead_from_another_section_or_unpublished_is_not_shown(client_ok, desk):
    set_lead(desk["iran"], desk["abroad"])
    assert "World story abroad" not in headlines(client_ok.get_html("/iran/"))
    set_lead(desk["iran"], desk["middle"])
    StoryPage.objects.get(id=desk["middle"].id).unpublish()
    assert headlines(client_ok.get_html("/iran/"))[0] == "Iran story newest"


def test_a_story_hidden_from_the_front_page_stays_everywhere_else(client_ok, desk):
    hide(desk["newest"])
    front = client_ok.get_html("/")
    assert "Iran story newest" not in front
    assert "Iran story middle" in front
    assert "Iran story newest" not in " ".join(headlines(front, section=str(desk["iran"].id)))
    for path in ("/iran/", "/latest/", "/archives/2007/06/09/", "/iran/newest/"):
        assert "Iran story newest" in client_ok.get_html(path), path
    assert "Iran story newest" in client_ok.get_html("/feeds/rss.xml")
    assert "Iran story newest" in client_ok.get_html("/iran/feed/rss.xml")
    hide(desk["newest"], hidden=False)
    assert "Iran story newest" in client_ok.get_html("/")


def test_a_hidden_lead_is_not_in_the_front_page_block_but_leads_its_section(client_ok, desk):
    set_lead(desk["iran"], desk["oldest"])
    hide(desk["oldest"])
    assert headlines(client_ok.get_html("/iran/"))[0] == "Iran story oldest"
    assert "Iran story oldest" not in client_ok.get_html("/")


def test_the_front_page_lists_read_the_same_live_and_in_memory(desk):
    hide(desk["middle"])
    set_lead(desk["iran"], desk["oldest"])
    live, memory = make_build(), make_build(memory=True)
    iran = live.read.sections()[desk["iran"].id]
    assert iran.lead_id == desk["oldest"].id
    for scope in (Scope.front(), Scope.front_section(iran), Scope.section(iran)):
        assert live.read.count(scope) == memory.read.count(scope)
        assert [c.id for c in live.read.latest(10, scope)] == [
            c.id for c in memory.read.latest(10, scope)
        ]
    assert desk["middle"].id not in [c.id for c in live.read.latest(10, Scope.front())]
    assert live.read.count(Scope.front()) == 3
    assert live.read.count(Scope.front_section(iran)) == 2
