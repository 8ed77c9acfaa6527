"""The one registry of the site's URL space: page kinds, live endpoints, template slots.

Every public URL of Broadsheet is declared here, once, by the feature that owns it (at
``AppConfig.ready``), and everything else is derived from the declarations:

* **live routing** — :meth:`Registry.urlpatterns` are Django URL patterns, one per route;
* **URL building** — :meth:`Registry.url` fills a route's parameters (``reverse``-style);
  no module builds a site URL as a string of its own;
* **the list of paths to bake** — each page kind's ``paths(build)`` enumerates its pages;
* **what a change touches** — each feature's :class:`Rule` for the change's topic names the
  pages (kind and params) it touches, among kinds that declare they ``read`` that topic;
* **the sitemaps** — the paths of the page kinds are what ``/sitemaps/pages.xml`` lists;
* **the reserved slugs** — the literal first segment of every route (and the prefixes reserved
  for the admin, static files…): no top-level section may take them.

Routes use Django's ``path()`` syntax with the converters registered here (``yyyy``, ``mm``,
``dd``, ``n``, ``fmt``, ``slug``, ``tree``). A page kind with ``node`` set is served at the
tree route ``<tree:path>/`` when the read model says the path names a page of that type.

Why our own code: the registry *is* the site model (docs/design.md); Django's URL resolver does
the matching, and building a URL is a format string per route (Django's ``reverse`` costs
~15 µs a call, and a full bake builds millions of links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import path as django_path
from django.urls import register_converter
from django.urls.converters import get_converters

# A page kind's functions take a Build (site/build.py) — typed Any here: the registry is below
# the build in the site package, and imports nothing of it.
Build = Any
Change = Any

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class NotFound(LookupError):
    """The URL names no public page (answered 404; a bake removes the file)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page: HTTP status, public URL path, body and media type."""

    status: int
    path: str
    body: str | bytes
    content_type: str = HTML

    def data(self) -> bytes:
        """The body as bytes (UTF-8)."""
        return self.body if isinstance(self.body, bytes) else self.body.encode()

    @property
    def html(self) -> str:
        return self.body if isinstance(self.body, str) else self.body.decode()


class AllPages:
    """The answer "everything" of a :class:`Rule` (the site's name changed…)."""

    def __repr__(self) -> str:
        return "ALL"


ALL = AllPages()

Params = Mapping[str, Any]
PageKey = tuple[str, tuple[tuple[str, Any], ...]]


def page_key(kind: str, params: Params | None = None) -> PageKey:
    """A hashable name of one page: its kind and sorted params."""
    return (kind, tuple(sorted((params or {}).items())))


# -- converters --------------------------------------------------------------------------------
class _Padded:
    regex = ""
    width = 0

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return f"{int(value):0{self.width}d}"


class YearConverter(_Padded):
    """Four digits: ``2007``."""

    regex = r"[0-9]{4}"
    width = 4


class MonthConverter(_Padded):
    """Two digits: ``06``."""

    regex = r"[0-9]{2}"
    width = 2


class DayConverter(MonthConverter):
    """Two digits: ``18``."""


class PageNumberConverter:
    """A numbered page: a positive integer without leading zeros."""

    regex = r"[1-9][0-9]{0,8}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(int(value))


class FeedFormatConverter:
    """``rss`` or ``atom``."""

    regex = r"rss|atom"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return str(value)


class SegmentConverter(FeedFormatConverter):
    """One path segment (a Unicode slug)."""

    regex = r"[^/]+"


class TreeConverter(FeedFormatConverter):
    """A page-tree path of one or more slugs (letters, digits, ``_``, ``-``; Unicode slugs too):
    ``iran/iran-opposition``. A segment with a dot (``404.html``) is never a page."""

    regex = r"[-\w]+(?:/[-\w]+)*"


CONVERTERS = {
    "yyyy": YearConverter,
    "mm": MonthConverter,
    "dd": DayConverter,
    "n": PageNumberConverter,
    "fmt": FeedFormatConverter,
    "seg": SegmentConverter,
    "tree": TreeConverter,
}
for _name, _cls in CONVERTERS.items():
    if _name not in get_converters():
        register_converter(_cls, _name)

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A compiled route: its Django ``path()`` string and a fast builder."""

    route: str
    template: str
    params: tuple[tuple[str, Any], ...]

    @classmethod
    def compile(cls, route: str) -> Route:
        converters = get_converters()
        params: list[tuple[str, Any]] = []

        def sub(m: re.Match[str]) -> str:
            conv = converters[m["conv"] or "str"]
            params.append((m["name"], conv))
            return "{" + m["name"] + "}"

        template = "/" + _PARAM.sub(sub, route.replace("{", "{{").replace("}", "}}"))
        return cls(route, template, tuple(params))

    def build(self, params: Params) -> str:
        """The URL path for ``params`` (``KeyError`` for a missing one)."""
        if not self.params:
            return self.template
        return self.template.format(**{n: c.to_url(params[n]) for n, c in self.params})

    @property
    def first_segment(self) -> str | None:
        """The literal first path segment (``archives``), or None when it is a parameter."""
        head = self.route.split("/", 1)[0]
        return None if (not head or "<" in head) else head


# -- declarations ------------------------------------------------------------------------------
Renderer = Callable[..., Rendered]
PathsFn = Callable[[Build], Iterable[Params]]


@dataclass(frozen=True)
class PageKind:
    """A kind of public page (see the module docstring).

    ``render(build, **params) -> Rendered`` raises :class:`NotFound`; ``paths(build)`` yields
    the params of every page of the kind that exists now (None: never baked, e.g. the live
    search results); ``reads``: the change topics (:mod:`.changes`) the kind's pages depend on
    (a :class:`Rule` may only name kinds that read its topics); ``node``: the tree node type
    served at the tree route; ``order``: routing priority (lower first); ``live``: False for
    files only a bake writes (server rules, the 404 page); ``live_view``: a Django view that
    answers the route live instead of ``render`` (the search page answers queries live);
    ``every_edition``: False for a site-wide file that only the default edition has
    (robots.txt, the server's redirect rules, the 404 page) — the other editions
    (:mod:`.editions`) have every other kind under their prefix.
    """

    name: str
    route: str
    render: Renderer
    paths: PathsFn | None = None
    reads: frozenset[str] = frozenset()
    node: str | None = None
    content_type: str = HTML
    order: int = 100
    live: bool = True
    live_view: Callable[..., Any] | None = None
    feature: str = ""
    every_edition: bool = True
    compiled: Route = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", Route.compile(self.route))


@dataclass(frozen=True)
class Rule:
    """What a change touches among a feature's pages: for a change whose topic is in
    ``topics``, ``fn(build, change)`` returns ``(kind name, params)`` pairs (a superset is fine,
    pages that no longer exist included) or :data:`ALL` (everything must be baked again)."""

    topics: frozenset[str]
    fn: Callable[[Build, Change], Iterable[tuple[str, Params]] | AllPages]
    feature: str = ""


@dataclass(frozen=True)
class Endpoint:
    """A live URL that is not a page (a form's POST target): a plain Django view."""

    name: str
    route: str
    view: Callable[..., Any]
    order: int = 50
    compiled: Route = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", Route.compile(self.route))


SlotFn = Callable[[Build, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Slot:
    """A piece a feature adds to other features' pages: ``fn(build, context)`` returns HTML
    (``Markup``) for the template slot ``name``, or ``""``. ``same_on_every_page``: the HTML
    does not depend on the page (a navigation link), so a build makes it once."""

    name: str
    fn: SlotFn
    order: int = 100
    same_on_every_page: bool = False


NODE_ROUTE = "<tree:path>/"


class Registry:
    """Page kinds, endpoints, slots, template folders and Jinja filters of every feature."""

    def __init__(self) -> None:
        self.kinds: dict[str, PageKind] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.slots: dict[str, list[Slot]] = {}
        self.template_dirs: list[str] = []
        self.filters: dict[str, Callable[..., Any]] = {}
        self.finishers: list[Any] = []
        self.rules: list[Rule] = []
        self._reserved: set[str] = set()

    # -- declaring ---------------------------------------------------------------------------
    def page(self, kind: PageKind) -> PageKind:
        """Declare a page kind; ``ValueError`` if its name or route is taken."""
        if kind.name in self.kinds or kind.name in self.endpoints:
            raise ValueError(f"page kind {kind.name!r} is declared twice")
        for other in self.kinds.values():
            if other.route == kind.route and not (other.node and kind.node):
                raise ValueError(f"route {kind.route!r} of {kind.name} taken by {other.name}")
        self.kinds[kind.name] = kind
        return kind

    def endpoint(self, endpoint: Endpoint) -> Endpoint:
        """Declare a live endpoint (form posts)."""
        if endpoint.name in self.endpoints or endpoint.name in self.kinds:
            raise ValueError(f"endpoint {endpoint.name!r} is declared twice")
        self.endpoints[endpoint.name] = endpoint
        return endpoint

    def slot(
        self, name: str, fn: SlotFn, order: int = 100, same_on_every_page: bool = False
    ) -> None:
        """Add ``fn`` to template slot ``name`` (``head``, ``story_end``, ``nav_start``…)."""
        self.slots.setdefault(name, []).append(Slot(name, fn, order, same_on_every_page))
        self.slots[name].sort(key=lambda s: s.order)

    def rule(self, rule: Rule) -> None:
        """Declare what changes of ``rule.topics`` touch among a feature's pages."""
        self.rules.append(rule)

    def templates(self, folder: str) -> None:
        """Add a folder of reader templates (Jinja2)."""
        if folder not in self.template_dirs:
            self.template_dirs.append(folder)

    def filter(self, name: str, fn: Callable[..., Any]) -> None:
        """Add a Jinja2 filter for the reader templates."""
        self.filters[name] = fn

    def finisher(self, finisher: Any) -> None:
        """Add a step run after a bake has written its pages (e.g. the static search index):
        an object with ``name`` and ``run(build, output, changed_paths)``; see publishing."""
        self.finishers.append(finisher)

    def reserve(self, *segments: str) -> None:
        """Reserve first path segments that are not routes here (``admin``, ``static``…)."""
        self._reserved.update(segments)

    # -- reading -----------------------------------------------------------------------------
    def kind(self, name: str) -> PageKind:
        """The page kind ``name`` (``KeyError`` if undeclared)."""
        return self.kinds[name]

    def url(self, name: str, **params: Any) -> str:
        """The public URL path of page kind or endpoint ``name`` with ``params``:
        ``url("archive-month", year=2007, month=6)`` → ``/archives/2007/06/``."""
        entry = self.kinds.get(name) or self.endpoints[name]
        return entry.compiled.build(params)

    def ordered_kinds(self) -> list[PageKind]:
        return sorted(self.kinds.values(), key=lambda k: (k.order, k.name))

    def node_kinds(self) -> dict[str, PageKind]:
        """Page kinds served at the tree route, by node type."""
        return {k.node: k for k in self.kinds.values() if k.node}

    def reserved_slugs(self) -> frozenset[str]:
        """First path segments no top-level section may take."""
        segments = set(self._reserved)
        for entry in [*self.kinds.values(), *self.endpoints.values()]:
            head = entry.compiled.first_segment
            if head:
                segments.add(head)
        return frozenset(segments)

    def urlpatterns(
        self,
        page_view: Callable[..., Any],
        node_view: Callable[..., Any],
        default_edition: bool = True,
    ) -> list:
        """Django URL patterns: endpoints and page kinds by ``order``, the tree route last.
        ``page_view(request, kind=…, **params)`` serves a page kind; ``node_view(request,
        path=…)`` a tree path. ``default_edition`` False: without the site-wide files that only
        the default edition has (``PageKind.every_edition``)."""
        entries: list[tuple[int, str, Any]] = []
        for e in self.endpoints.values():
            entries.append((e.order, e.name, django_path(e.route, e.view, name=e.name)))
        for k in self.kinds.values():
            if k.node or not k.live or not (default_edition or k.every_edition):
                continue
            if k.live_view is not None:
                pattern = django_path(k.route, k.live_view, name=k.name)
            else:
                pattern = django_path(k.route, page_view, {"kind": k.name}, name=k.name)
            entries.append((k.order, k.name, pattern))
        entries.sort(key=lambda e: (e[0], e[1]))
        patterns = [p for _, _, p in entries]
        if self.node_kinds():
            patterns.append(django_path(NODE_ROUTE, node_view, name="node"))
        return patterns


registry = Registry()
"""The site's registry; features declare into it from their ``AppConfig.ready``."""
