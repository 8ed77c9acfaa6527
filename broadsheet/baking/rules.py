"""The web server's side of the baked site: redirects and gone pages.

A static server cannot ask the database, so the baker writes what it needs to know:

* ``/_redirects`` — one ``old-path new-url 301`` line per Wagtail redirect (the format Netlify,
  Cloudflare Pages and others read; docs/baking.md has the nginx equivalent);
* ``/_gone.txt`` — one path per line that answers 410 Gone (:class:`RetiredPath`: a story
  unpublished or deleted);
* at a redirect's old path, when no page is there, a small HTML page with a
  ``<meta http-equiv="refresh">`` and a link, so even a server without rules sends readers on.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from wagtail.contrib.redirects.models import Redirect

from broadsheet.newsroom.models import RetiredPath

from .changes import Change
from .producers import BakeContext, Output

TEXT = "text/plain; charset=utf-8"


def _redirects(ctx: BakeContext) -> list[tuple[str, str, bool]]:
    site = ctx.source.site
    rows = []
    for r in (
        Redirect.objects.filter(site__in=[site]) | Redirect.objects.filter(site__isnull=True)
    ).select_related("redirect_page"):
        target = r.link
        if r.redirect_page_id:
            target = r.redirect_page.get_url(current_site=site) or target
        if target:
            rows.append((r.old_path, target, r.is_permanent))
    return sorted(rows)


def stub_html(target: str) -> bytes:
    """The page left at a moved page's old path: it sends the reader to ``target``."""
    t = escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Moved</title>\n<link rel="canonical" href="{t}">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{t}">{t}</a>.</p>\n</body>\n</html>\n'
    ).encode()


class ServerRules:
    """Producer of ``/_redirects``, ``/_gone.txt`` and redirect stubs (see module docstring)."""

    name = "rules"

    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        yield "/_redirects"
        yield "/_gone.txt"
        for old_path, _target, _permanent in _redirects(ctx):
            yield old_path.rstrip("/") + "/"

    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str]:
        paths = {"/_redirects", "/_gone.txt"}
        if change.kind == "redirect" and change.data.get("old_path"):
            paths.add(change.data["old_path"].rstrip("/") + "/")
        if change.before and (change.after is None or change.after.url != change.before.url):
            paths.add(change.before.url)
        return paths

    def render(self, ctx: BakeContext, path: str) -> Output | None:
        if path == "/_redirects":
            lines = [
                f"{old} {target} {301 if permanent else 302}"
                for old, target, permanent in _redirects(ctx)
            ]
            return Output(("\n".join(lines) + "\n").encode() if lines else b"", TEXT)
        if path == "/_gone.txt":
            paths = list(RetiredPath.objects.order_by("path").values_list("path", flat=True))
            return Output(("\n".join(paths) + "\n").encode() if paths else b"", TEXT)
        normalised = Redirect.normalise_path(path)
        for old_path, target, _permanent in _redirects(ctx):
            if old_path == normalised:
                return Output(stub_html(target))
        return None
