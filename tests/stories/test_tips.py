"""Tips: each page's sidebar shows its section's tips and one site-wide tip chosen by the
page's path (the same on every render, different across pages, no script), and the tips page
lists every live tip."""

from __future__ import annotations

import re

import pytest

from broadsheet.site.render import sidebar_tips
from tests.content.factories import SectionFactory, StoryFactory, TipFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/latest/", "/archives/", "/iran/", "/iran/strike/", "/corrections/", "/tags/"]


@pytest.fixture
def tips(front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    StoryFactory(parent=iran, title="Strike", slug="strike")
    everywhere = [TipFactory(title=f"Everywhere tip {n}", text=f"Tip text {n}.") for n in range(4)]
    own = TipFactory(title="Iran desk tip", text="Write to the Iran desk.", section=iran)
    hidden = TipFactory(title="Retired tip", text="Old.", live=False)
    return {"iran": iran, "everywhere": everywhere, "own": own, "hidden": hidden}


def sidebar(html: str) -> list[str]:
    aside = html.split('<aside class="sidebar"', 1)[1].split("</aside>", 1)[0]
    return re.findall(r'<h2 class="tip-title" dir="auto">([^<]+)</h2>', aside)


def test_each_page_shows_one_site_wide_tip_chosen_by_its_path(client_ok, tips):
    shown = {path: sidebar(client_ok.get_html(path)) for path in PAGES}
    for path, titles in shown.items():
        assert len([t for t in titles if t.startswith("Everywhere")]) == 1, (path, titles)
        assert "Retired tip" not in titles
    # the same tip on every render of a page (a re-bake writes the same bytes)
    assert sidebar(client_ok.get_html("/latest/")) == shown["/latest/"]
    # the pages do not all show the same one: the tips rotate across the site
    assert len({t for titles in shown.values() for t in titles if t.startswith("Every")}) > 1
    # a section's own tip is on its front and its stories, not elsewhere
    assert "Iran desk tip" in shown["/iran/"] and "Iran desk tip" in shown["/iran/strike/"]
    assert "Iran desk tip" not in shown["/latest/"]


def test_the_choice_is_by_the_path_and_keeps_the_sections_tips(tips):
    from broadsheet.site.build import make_build

    read = make_build().read
    section = read.sections()[tips["iran"].id]
    every = read.tips(section)
    assert sidebar_tips(every, "/iran/") == sidebar_tips(every, "/iran/")
    picks = {sidebar_tips(every, f"/archives/2007/{m:02d}/")[-1].title for m in range(1, 13)}
    assert picks == {f"Everywhere tip {n}" for n in range(4)}, "every tip gets its pages"
    assert sidebar_tips(every, "/iran/")[0].title == "Iran desk tip"
    assert sidebar_tips([], "/") == []


def test_the_tips_page_lists_every_live_tip(client_ok, tips):
    html = client_ok.get_html("/tips/")
    for n in range(4):
        assert f"Everywhere tip {n}" in html
    assert "Iran desk tip" in html and 'href="/iran/"' in html
    assert "Retired tip" not in html
    assert 'href="/tips/"' in client_ok.get_html("/"), "linked from every page's footer"


def test_the_layout_keeps_a_column_for_tips_only_when_a_page_has_some(client_ok, front_page):
    # a new user saw an empty column beside every page of a site with no tips (1280 px)
    html = client_ok.get_html("/latest/")
    assert '<aside class="sidebar"' not in html
    assert '<div class="layout">' in html
    TipFactory(title="Everywhere tip", text="Send us your news.")
    html = client_ok.get_html("/latest/")
    assert '<div class="layout with-sidebar">' in html and '<aside class="sidebar"' in html
