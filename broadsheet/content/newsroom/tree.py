"""Finding and creating the newsroom's place in Wagtail's page tree: the front page of the
default site and sections by their title path (``["Iran", "Iran Opposition"]``).

Used by the demo, every importer and the tests, so that all of them build the same tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from . import hooks
from .models import FrontPage, SectionPage, fit_slug


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
        root = Page.get_first_root_node() or _tree_root()
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


@transaction.atomic
def ensure_edition_front_page(language: str, title: str | None = None) -> FrontPage:
    """Return the front page of the edition in ``language`` (a code of
    ``WAGTAIL_CONTENT_LANGUAGES``): the default front page itself for the default language,
    else its translation in that locale (same ``translation_key``), created and published if
    missing, titled ``title``. Raises ``LookupError`` for a language the site does not have."""
    front = ensure_front_page()
    language = get_supported_content_language_variant(language)
    if language == front.locale.language_code:
        return front
    locale, _ = Locale.objects.get_or_create(language_code=language)
    found = front.get_translation_or_none(locale)
    if found is None:
        found = front.copy_for_translation(locale)
        if title:
            found.title = title
            found.save()
        found.save_revision().publish()
        found.refresh_from_db()
    return found.specific


def _tree_root() -> Page:
    """Wagtail's tree root and default locale, for a database without Wagtail's initial data
    (``manage.py flush`` empties the tables its migrations filled, and leaves Wagtail's cached
    site root paths pointing at sites that are gone)."""
    Site.clear_site_root_paths_cache()
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    return Page.add_root(instance=Page(title="Root", slug="root"))


def ensure_section(
    titles: Sequence[str], front: FrontPage | None = None, in_menus: bool = True
) -> SectionPage:
    """Return the section at the title path (outermost first) under ``front`` (default: the
    default edition's front page), creating missing ones live, in the front page's locale;
    ``in_menus``: whether a section created here joins the site's navigation (Wagtail's
    ``show_in_menus``; importers pass False). Sections found are left as they are.

    Raises ``ValueError`` for an empty path or an empty title.
    """
    titles = [t.strip() for t in titles]
    if not titles or not all(titles):
        raise ValueError("a section path needs at least one non-empty title")
    parent: Page = front or ensure_front_page()
    section: SectionPage | None = None
    for title in titles:
        found = (
            SectionPage.objects.child_of(parent).filter(title=title).first()
            or SectionPage.objects.child_of(parent).filter(slug=fit_slug(title)).first()
        )
        if found is None:
            slug = fit_slug(title) or "section"
            if isinstance(parent.specific, FrontPage) and slug in hooks.reserved_slugs():
                slug += "-section"  # /tags/, /archives/… belong to the site's own pages
            found = SectionPage(
                title=title, slug=slug, locale_id=parent.locale_id, show_in_menus=in_menus
            )
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
