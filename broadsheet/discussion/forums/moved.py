"""Old addresses of topics that moved: a topic moved to another board, or merged into another
topic, answers its old address (``/forums/<old-board>/<id>/``, a link in a mail already sent, a
bookmark) with a permanent redirect (301) to where it is now — a moved topic's same page, the
query kept; a merged-away one's topic first page (``content.forums.models.MergedTopic``, the
record a merge leaves). Only a topic the reader may see: a hidden or held one stays 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from broadsheet.content.forums.models import MergedTopic, Topic
from broadsheet.site import editions
from broadsheet.site.context import NoSite
from broadsheet.site.registry import NotFound
from broadsheet.site.views import live_build

from . import pages
from .pages import Viewer


def moved_topic(
    request: HttpRequest, topic: int, number: int, viewer: Viewer | None
) -> HttpResponse | None:
    """A permanent redirect from the old address of a topic moved to another board (same page
    number and query) or merged into another (its first page); None if neither, or if the
    topic is not shown to ``viewer`` (hidden, held)."""
    shown = Topic.objects.select_related("board").filter(pages.shown_topics(viewer), hidden=False)
    found = shown.filter(pk=topic).first()
    if found is None:
        into = MergedTopic.objects.filter(old_id=topic).values_list("into_id", flat=True).first()
        found, number = (shown.filter(pk=into).first() if into else None), 1
    if found is None:
        return None
    language = found.board.language
    edition = editions.by_language(language) if language else None
    try:
        path = pages.topic_path(live_build(request, edition), found, number)
    except (NotFound, NoSite):  # pragma: no cover - an edition without its front page yet
        return None
    if path == request.path:  # the topic is here: a page past its last one
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))
