"""The read model on the database: :class:`LiveSource`, for live requests and incremental bakes.

Every method is a bounded number of indexed queries whatever the size of the archive: listings,
counts and positions come from the listing index (:mod:`.models`), kept up to date on write;
cards are loaded in bulk (a fixed number of queries per page, never one per story, link or
block). One instance serves one request or one bake; site-wide facts (sections, settings) are
loaded once per instance — or, for live requests, once per process while they do not change
(``facts``: a :class:`~.facts.Snapshot`).

Why our own code: this is the product's hot path (docs/design.md); Wagtail's page rendering goes
through a request and a query per related object.

The class is made of one part per concern, each a module here: :mod:`.sitefacts` (settings,
sections, tips, nodes, redirects), :mod:`.cards` (cards and stories), :mod:`.listings`
(listings, months, authors, tags, a story's state) and :mod:`.contributions` (comments and the
guestbook).
"""

from __future__ import annotations

from ..context import SiteContext
from ..data import DiscussionInfo, SectionRef, SiteInfo, TipRef
from ..facts import Snapshot
from ..urls import Urls
from .cards import Cards
from .contributions import Contributions, approved_comments_of, comment_counts, thread
from .listings import Listings
from .sitefacts import SiteFacts

__all__ = ["LiveSource", "approved_comments_of", "comment_counts", "thread"]


class LiveSource(SiteFacts, Cards, Listings, Contributions):
    """The :class:`~broadsheet.site.readmodel.ReadModel` on the database, for the site of
    ``ctx``."""

    preloaded = False  # read what each page needs, never the whole archive

    def __init__(self, ctx: SiteContext, facts: Snapshot | None = None) -> None:
        """``ctx``: the site and edition; ``facts``: the process's memo of site-wide facts
        (:mod:`..facts`; live requests only), None to read them from the database."""
        self.ctx = ctx
        self.facts = facts
        self.urls = Urls(ctx)
        self._sections: dict[int, SectionRef] | None = None
        self._site_info: SiteInfo | None = None
        self._discussion: DiscussionInfo | None = None
        self._tips: dict[int | None, list[TipRef]] = {}
        self._author_names: dict[int, str] | None = None
