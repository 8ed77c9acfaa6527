"""Finding and creating the newsroom's place in Wagtail's page tree: the front page of the
default site and sections by their title path (``["Iran", "Iran Opposition"]``).

Used by the demo, every importer and the tests, so that all of them build the same tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from . import hooks
from .models import FrontPage, SectionPage


@transaction.atomic
def ensure_front_page(site_name: str = "Broadsheet") -> FrontPage:
    """Return the default site's :class:`FrontPage`, creating it (and the site) if missing.

    Wagtail's initial migration makes a placeholder "Welcome" page as the site root; it is
    replaced by the front page so that ``/`` is ours.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, FrontPage):
        return site.root_page.specific
    existing = FrontPage.objects.first()
    if existing is None:
        root = Page.get_first_root_node()
        existing = FrontPage(title=site_name, slug="front")
        root.add_child(instance=existing)
        existing.save_revision().publish()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=existing,
            is_default_site=True,
            site_name=site_name,
        )
    else:
        placeholder = site.root_page
        site.root_page = existing
        site.save()
        if placeholder.specific_class is Page and placeholder.depth == 2:
            placeholder.delete()
    return existing


def ensure_section(titles: Sequence[str]) -> SectionPage:
    """Return the section at the title path (outermost first), creating missing ones live.

    Raises ``ValueError`` for an empty path or an empty title.
    """
    titles = [t.strip() for t in titles]
    if not titles or not all(titles):
        raise ValueError("a section path needs at least one non-empty title")
    parent: Page = ensure_front_page()
    section: SectionPage | None = None
    for title in titles:
        found = (
            SectionPage.objects.child_of(parent).filter(title=title).first()
            or SectionPage.objects.child_of(parent)
            .filter(slug=slugify(title, allow_unicode=True))
            .first()
        )
        if found is None:
            slug = slugify(title, allow_unicode=True) or "section"
            if isinstance(parent.specific, FrontPage) and slug in hooks.reserved_slugs():
                slug += "-section"  # /tags/, /archives/… belong to the site's own pages
            found = SectionPage(title=title, slug=slug)
            parent.add_child(instance=found)
            found.save_revision().publish()
        section = found
        parent = found
    assert section is not None
    return section


def section_titles(section: SectionPage) -> list[str]:
    """The title path of a section, outermost first (the inverse of :func:`ensure_section`)."""
    chain = [p.title for p in section.get_ancestors().type(SectionPage)]
    return [*chain, section.title]
