"""The context every page is built in: which site, in which language and calendar, for which
public address — passed explicitly to the read model, the renderer and every page kind.

Nothing in Broadsheet reads a global "default site" or changes ``settings`` at run time: a live
request builds its context from the Wagtail site that serves it (:func:`for_request`), a bake
from the site and the ``--base-url`` it was asked for (:func:`for_site`).

The public base URL, in order: the ``base_url`` asked for (``bake --base-url``), the
``BROADSHEET_BASE_URL`` setting (from the environment), the Wagtail site's own root URL
(hostname and port, which ``broadsheet demo --port`` sets).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation

from . import editions
from .editions import Edition


class NoSite(LookupError):
    """No Wagtail site is configured (run ``broadsheet demo`` or ``migrate``)."""


@dataclass(frozen=True, slots=True)
class SiteContext:
    """One site as readers see it.

    ``site_id``: the Wagtail ``Site``; ``root_id``/``root_path``/``root_url_path``: its root page
    (the front page) — its page-tree path and Wagtail URL path; ``base_url``: public address
    without a trailing slash (``https://news.example.org``); ``live_url``: where reader forms
    post and live search answers ("" = the same origin as the page); ``language``: BCP 47 tag;
    ``direction``: ``ltr``/``rtl``; ``calendar``: ``gregorian`` or ``jalali`` (dates readers
    see); ``prefix``: the edition's URL prefix (``/fa``, "" for the default edition: every
    public path of the context starts with it); ``time_zone``: IANA name (dates
    on pages); ``page_size``: stories per listing page; ``tag_authority``: the newsroom's own
    domain, for ids that must not change when a copy is baked for another address (feed items'
    ``tag:`` URIs): ``BROADSHEET_TAG_URI_AUTHORITY``, else the Wagtail site's host name — never
    the address of one bake or one server (``--base-url``, ``BROADSHEET_BASE_URL``), so the demo
    server and a plain ``broadsheet bake`` give every feed item the same id; ``onion_url``: the
    site's onion address (``BROADSHEET_ONION_URL``, ``http://….onion``, no trailing slash) or "".
    """

    site_id: int
    root_id: int
    root_path: str
    root_url_path: str
    root_depth: int
    base_url: str
    live_url: str = ""
    language: str = "en"
    direction: str = "ltr"
    calendar: str = "gregorian"
    time_zone: str = "UTC"
    page_size: int = 20
    tag_authority: str = ""
    prefix: str = ""
    onion_url: str = ""

    @property
    def host(self) -> str:
        """Host (and port) of the public address: ``news.example.org``."""
        return urlsplit(self.base_url).netloc

    def local(self, path: str) -> str:
        """A public path without the edition's prefix (``/fa/iran/`` → ``/iran/``)."""
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            return path[len(self.prefix) :] or "/"
        return path

    def onion_location(self, path: str) -> str:
        """The page at public ``path`` on the onion address (Tor Browser's ``Onion-Location``:
        an absolute ``.onion`` URL with the page's own path), or "" when none is set."""
        if not self.onion_url:
            return ""
        from django.utils.encoding import iri_to_uri

        return iri_to_uri(self.onion_url + path)

    def with_base_url(self, base_url: str) -> SiteContext:
        """The same context for another public address (``bake --base-url``)."""
        return replace(self, base_url=base_url.rstrip("/"))


def _site_root_url(site: Any) -> str:
    port = int(site.port or 80)
    scheme = "https" if port == 443 else "http"
    host = site.hostname or "localhost"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{scheme}://{host}" + ("" if port in (80, 443) else f":{port}")


def onion_url() -> str:
    """``BROADSHEET_ONION_URL`` checked: an ``http(s)://<name>.onion`` address (no path), else
    ``ImproperlyConfigured``; "" when unset."""
    from django.core.exceptions import ImproperlyConfigured

    value = (getattr(settings, "BROADSHEET_ONION_URL", "") or "").rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host.endswith(".onion") or parts.path:
        raise ImproperlyConfigured(
            f"BROADSHEET_ONION_URL must be http(s)://<name>.onion with no path, not {value!r}"
        )
    return value


def for_site(site: Any, base_url: str | None = None, edition: Edition | None = None) -> SiteContext:
    """The context of a Wagtail ``Site`` (with its ``root_page``), for ``base_url`` if given,
    in ``edition`` (default: the default edition; :class:`NoSite` if that edition has no root
    page on the site)."""
    edition = edition or editions.default_edition()
    root = editions.root_for(site, edition)
    if root is None:
        raise NoSite(f"The {edition.language} edition has no front page on {site}.")
    language = translation.get_supported_language_variant(edition.language)
    own = getattr(settings, "BROADSHEET_BASE_URL", "") or _site_root_url(site)
    url = base_url or own
    authority = getattr(settings, "BROADSHEET_TAG_URI_AUTHORITY", "") or site.hostname
    return SiteContext(
        site_id=site.id,
        root_id=root.id,
        root_path=root.path,
        root_url_path=root.url_path,
        root_depth=root.depth,
        base_url=url.rstrip("/"),
        live_url=(getattr(settings, "BROADSHEET_LIVE_URL", "") or "").rstrip("/"),
        language=language,
        direction=edition.direction,
        calendar=edition.calendar,
        prefix=edition.path_prefix,
        time_zone=settings.TIME_ZONE,
        page_size=settings.BROADSHEET_PAGE_SIZE,
        tag_authority=authority or "localhost",
        onion_url=onion_url(),
    )


def contexts(site: Any, base_url: str | None = None) -> list[SiteContext]:
    """The context of every edition of ``site`` that has a front page, the default first."""
    out = []
    for edition in editions.editions():
        try:
            out.append(for_site(site, base_url, edition))
        except NoSite:
            if not edition.prefix:
                raise
    return out


def default_site() -> Any:
    """The Wagtail site marked default (``NoSite`` if there is none)."""
    from wagtail.models import Site

    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        raise NoSite("No Wagtail site is configured; run `broadsheet demo` or migrate.")
    return site


def for_request(request: Any, edition: Edition | None = None) -> SiteContext:
    """The context of the Wagtail site that serves ``request`` (its Host), else the default
    site, in the edition of the request's path (``/fa/…``). Raises :class:`NoSite`."""
    from wagtail.models import Site

    edition = edition or editions.for_path(request.path_info)
    site = Site.find_for_request(request)
    if site is None:
        return for_site(default_site(), edition=edition)
    if not hasattr(site, "root_page") or site.root_page is None:  # pragma: no cover
        site = Site.objects.select_related("root_page").get(id=site.id)
    return for_site(site, edition=edition)
