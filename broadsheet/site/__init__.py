"""The site model: what the reader site is, owned in one place.

* :mod:`.context` — the explicit context of a page (site, language, calendar, base URL);
* :mod:`.registry` — page kinds and their URL patterns, endpoints, slots, change rules: live
  routing, URL building, the paths to bake, the reserved slugs all come from it;
* :mod:`.readmodel` — the read-model interface every page reads through, answered by the
  database (:mod:`.live`, on the listing index of :mod:`.models`) and by memory
  (:mod:`.memory`, for full bakes);
* :mod:`.render` — the one renderer (Jinja2), with slots features fill on each other's pages;
* :mod:`.changes` — change topics and what a model event means.

``site`` imports only ``content``; features import ``site`` and ``content`` and never each
other (docs/design.md).
"""
