"""The registry owns the URL space: every page a bake lists is routed live to the same page
kind, every route's first segment is reserved, and URLs are built from the routes."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve

from broadsheet.site.build import make_build
from broadsheet.site.registry import NODE_ROUTE, PageKind, Registry, Route, registry
from tests.publishing.conftest import demo_newsroom  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_baked_page_is_routed_live_to_its_kind(demo_newsroom):  # noqa: F811
    build = make_build(memory=True, live=False)
    seen = 0
    for kind in registry.ordered_kinds():
        if kind.paths is None:
            continue
        for params in kind.paths(build):
            path = kind.compiled.build(params)
            if not kind.live:
                with pytest.raises(Resolver404):
                    resolve(path)
                continue
            match = resolve(path)
            seen += 1
            if kind.node:
                assert match.url_name == "node", path
                node = build.read.node(path)
                assert node is not None and node.kind == kind.node, path
            else:
                assert match.url_name == kind.name, path
                assert {k: str(v) for k, v in match.kwargs.items() if k != "kind"} == {
                    k: str(v) for k, v in params.items()
                }
    assert seen > 100


def test_every_route_reserves_its_first_segment():
    reserved = registry.reserved_slugs()
    for entry in [*registry.kinds.values(), *registry.endpoints.values()]:
        head = entry.route.split("/", 1)[0]
        if head and "<" not in head:
            assert head in reserved, entry.name
    assert {"archives", "tags", "authors", "feeds", "search", "guestbook", "admin"} <= reserved


def test_urls_are_built_from_routes_with_padded_dates_and_unicode_slugs():
    assert registry.url("archive-month", year=2007, month=6) == "/archives/2007/06/"
    assert registry.url("archive-day", year=987, month=1, day=2) == "/archives/0987/01/02/"
    assert registry.url("tag", slug="حقوق-بشر") == "/tags/حقوق-بشر/"
    assert registry.url("section-feed", path="iran/opposition", fmt="atom") == (
        "/iran/opposition/feed/atom.xml"
    )
    assert Route.compile("a/<int:x>/{b}/").build({"x": 3}) == "/a/3/{b}/"


def test_a_registry_refuses_two_pages_on_one_route():
    reg = Registry()
    reg.page(PageKind("one", "x/", lambda b: None))
    with pytest.raises(ValueError):
        reg.page(PageKind("two", "x/", lambda b: None))
    with pytest.raises(ValueError):
        reg.page(PageKind("one", "y/", lambda b: None))
    reg.page(PageKind("n1", NODE_ROUTE, lambda b: None, node="a"))
    reg.page(PageKind("n2", NODE_ROUTE, lambda b: None, node="b"))  # tree kinds share it
    assert set(reg.node_kinds()) == {"a", "b"}
