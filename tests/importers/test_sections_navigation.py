"""Imported sections (WordPress categories, feed sections, archived pages' sections) stay out
of the navigation until an editor puts them there; the report says how. Sections made
otherwise (the demo's story files, the admin) are in it."""

from __future__ import annotations

import lxml.html
import pytest

from broadsheet.content.newsroom.models import SectionPage
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.importers.archived import import_html_pages
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.report import SECTIONS_NOT_IN_MENUS
from broadsheet.importers.wxr import import_wxr

from .factories import write, wxr_document, wxr_item
from .test_feeds import ATOM


def nav_titles(client) -> list[str]:
    page = lxml.html.fromstring(client.get("/").content.decode())
    return [a.text_content() for a in page.xpath("//nav[@class='site-nav']//li/a")]


def test_wordpress_categories_are_not_in_the_navigation(tmp_path, front_page, client):
    ensure_section(["Iran"])  # the newsroom's own
    doc = wxr_document(
        wxr_item(1, categories=(("uncategorized", "Uncategorized"),)),
        wxr_item(2, categories=(("politics", "Politics"), ("iran", "Iran"))),
    )
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    imported = SectionPage.objects.filter(title__in=["Uncategorized", "Politics"])
    assert imported.count() == 2 and not any(s.show_in_menus for s in imported)
    assert SectionPage.objects.get(title="Iran").show_in_menus  # left as it was
    titles = nav_titles(client)
    assert "Iran" in titles
    assert "Uncategorized" not in titles and "Politics" not in titles
    assert SECTIONS_NOT_IN_MENUS in report.summary()
    assert '"Show in menus"' in report.summary()


def test_an_editor_puts_an_imported_section_in_the_navigation(tmp_path, front_page, client):
    import_wxr(write(tmp_path, wxr_document(wxr_item(1, categories=(("arts", "Arts"),)))))
    assert "Arts" not in nav_titles(client)
    arts = SectionPage.objects.get(title="Arts")
    arts.show_in_menus = True
    arts.save_revision().publish()
    assert "Arts" in nav_titles(client)


def test_a_feeds_section_is_not_in_the_navigation(tmp_path, front_page, client):
    report = import_feed(write(tmp_path, ATOM, "atom.xml"))
    assert report.failures == []
    assert not SectionPage.objects.get(title="Atom Desk").show_in_menus
    assert "Atom Desk" not in nav_titles(client)
    assert SECTIONS_NOT_IN_MENUS in report.notes
    again = import_feed(write(tmp_path, ATOM, "atom.xml"))
    assert again.notes == []  # no new section this time


def menus() -> list[tuple[str, bool]]:
    """Every section's title and "Show in menus", the navigation's source."""
    return sorted(SectionPage.objects.values_list("title", "show_in_menus"))


ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "<p>{text}</p>" * 3
    + "</article></body></html>"
)


@pytest.mark.parametrize("section", [None, ["World", "Europe"]], ids=["Archive", "--section"])
def test_archived_pages_leave_the_navigation_as_it_was(tmp_path, front_page, client, section):
    ensure_section(["Iran"])  # the newsroom's own
    before, nav = menus(), nav_titles(client)
    text = "The minister spoke to reporters on the steps of the ministry on Monday."
    (tmp_path / "a.html").write_text(ARTICLE.format(title="Minister speaks", text=text))
    report = import_html_pages([tmp_path], section=section)
    assert report.failures == [] and report.created == 1
    made = section or ["Archive"]
    assert {t for t, _ in menus()} == {t for t, _ in before} | set(made)
    assert not any(SectionPage.objects.get(title=t).show_in_menus for t in made)
    assert nav_titles(client) == nav and "Iran" in nav
    assert SECTIONS_NOT_IN_MENUS in report.notes
    again = import_html_pages([tmp_path], section=section)
    assert again.notes == [] and again.unchanged == 1


def test_posts_without_a_category_leave_the_navigation_as_it_was(tmp_path, front_page, client):
    nav = nav_titles(client)
    for bulk in (True, False):
        report = import_wxr(
            write(tmp_path, wxr_document(wxr_item(bulk + 1, categories=()))), bulk=bulk
        )
        assert report.failures == []
    assert not SectionPage.objects.get(title="Uncategorized").show_in_menus
    assert nav_titles(client) == nav


def test_sections_made_otherwise_are_in_the_navigation(front_page, client):
    ensure_section(["World", "Europe"])
    assert SectionPage.objects.get(title="World").show_in_menus
    titles = nav_titles(client)
    assert "World" in titles and "Europe" not in titles  # the top sections only
