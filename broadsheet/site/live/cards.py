"""Stories and their cards for :class:`~broadsheet.site.live.LiveSource`: loaded in bulk, a fixed
number of queries per page whatever the number of stories, links or blocks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef

from broadsheet.content.newsroom.models import (
    AuthorName,
    FrontPageTopStory,
    StoryAuthor,
    StoryPage,
    StoryTag,
)

from ..bodies import (
    CARD_FIELDS,
    CARD_IMAGE_SPEC,
    STORY_FIELDS,
    correction_refs,
    image_refs,
    stories_from_rows,
)
from ..context import SiteContext
from ..data import (
    AuthorRef,
    CorrectionRef,
    ImageRef,
    Story,
    StoryCard,
    TagRef,
)
from ..facts import Snapshot
from ..models import ListingEntry
from ..urls import Urls
from .contributions import comment_counts
from .sitefacts import same_language


class Cards:
    """Cards (a story in a list) and whole stories, by id."""

    ctx: SiteContext
    facts: Snapshot | None
    urls: Urls
    _author_names: dict[int, str] | None

    # -- cards and stories -------------------------------------------------------------------
    def author_ref(self, author_id: int, name: str, slug: str) -> AuthorRef:
        """An author as the edition names them (``AuthorName``; else ``name``)."""
        name = self.author_names().get(author_id, name)
        return AuthorRef(author_id, name, slug, self.urls.author(slug))

    def author_names(self) -> dict[int, str]:
        """``{author id: name}`` of the authors the edition names its own way (one query per
        read model)."""
        if self._author_names is None:
            self._author_names = self.fact(
                "author_names",
                lambda: {
                    author_id: name
                    for author_id, language, name in AuthorName.objects.values_list(
                        "author_id", "language", "name"
                    )
                    if same_language(language, self.ctx.language)
                },
            )
        return self._author_names

    def tag_ref(self, tag_id: int, name: str, slug: str) -> TagRef:
        return TagRef(tag_id, name, slug, self.urls.tag(slug))

    def card_from_row(
        self,
        row: dict[str, Any],
        authors: dict[int, list[AuthorRef]],
        tags: dict[int, list[TagRef]],
        images: dict[int, ImageRef],
        counts: dict[int, int],
    ) -> StoryCard | None:
        """A card from a ``CARD_FIELDS`` row and prefetched relations; None if not public."""
        section = self.section_for_path(row["path"])
        if section is None or row["published_at"] is None:
            return None
        return StoryCard(
            id=row["id"],
            headline=row["title"],
            standfirst=row["standfirst"],
            url=self.urls.page(row["url_path"]),
            section=section,
            authors=tuple(authors.get(row["id"], ())),
            credit=row["byline_credit"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            tags=tuple(tags.get(row["id"], ())),
            image=images.get(row["lead_image_id"]) if row["lead_image_id"] else None,
            comment_count=counts.get(row["id"], 0),
            on_front=not row["hide_from_front"],
        )

    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        return self.cards_with(ids)[0]

    def cards_with(
        self, ids: Sequence[int], fields: Sequence[str] = ()
    ) -> tuple[list[StoryCard], dict[int, dict[str, Any]]]:
        """The cards of stories ``ids`` (in that order; stories not public left out) and, read
        in the same query, the story fields ``fields`` of each (``{id: {field: value}}``),
        e.g. the body a search snippet is cut from."""
        if not ids:
            return [], {}
        rows = {
            r["id"]: r
            for r in StoryPage.objects.filter(id__in=ids, live=True).values(
                *dict.fromkeys((*CARD_FIELDS, *fields))
            )
        }
        authors: dict[int, list[AuthorRef]] = defaultdict(list)
        for story_id, author_id, name, slug in (
            StoryAuthor.objects.filter(story_id__in=ids)
            .order_by("sort_order", "id")
            .values_list("story_id", "author_id", "author__name", "author__slug")
        ):
            authors[story_id].append(self.author_ref(author_id, name, slug))
        tags: dict[int, list[TagRef]] = defaultdict(list)
        for story_id, tag_id, name, slug in (
            StoryTag.objects.filter(content_object_id__in=ids)
            .order_by("tag__name")
            .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        ):
            tags[story_id].append(self.tag_ref(tag_id, name, slug))
        images = image_refs({r["lead_image_id"] for r in rows.values()}, CARD_IMAGE_SPEC)
        counts = comment_counts(ids)
        out = []
        for i in ids:
            if i in rows:
                card = self.card_from_row(rows[i], authors, tags, images, counts)
                if card is not None:
                    out.append(card)
        extra = {i: {f: r[f] for f in fields} for i, r in rows.items()} if fields else {}
        return out, extra

    def stories(self, ids: Sequence[int]) -> list[Story]:
        cards = {c.id: c for c in self.cards(ids)}
        rows = {r["id"]: r for r in StoryPage.objects.filter(id__in=ids).values(*STORY_FIELDS)}
        return stories_from_rows(cards, [rows[i] for i in ids if i in rows])

    def story(self, story_id: int) -> Story:
        found = self.stories([story_id])
        if not found:
            raise LookupError(f"story {story_id} is not public")
        return found[0]

    def corrections(self, limit: int) -> list[tuple[CorrectionRef, StoryCard]]:
        # per note, "is its story public here?" on the listing index's story_id index: the
        # notes are few, the stories many (an IN over every public story costs a scan)
        public = Exists(
            ListingEntry.objects.filter(
                story_id=OuterRef("story_id"), root_id=self.ctx.root_id, scope="all"
            )
        )
        notes = correction_refs(newest_first=True, limit=limit, where=public)
        cards = {c.id: c for c in self.cards(list({n.story_id for n in notes}))}
        return [(n, cards[n.story_id]) for n in notes if n.story_id in cards]

    def top_stories(self) -> list[StoryCard]:
        ids = list(
            FrontPageTopStory.objects.filter(front_page_id=self.ctx.root_id)
            .order_by("sort_order", "id")
            .values_list("story_id", flat=True)
        )
        public = set(
            ListingEntry.objects.filter(
                root_id=self.ctx.root_id, scope="all", story_id__in=ids
            ).values_list("story_id", flat=True)
        )
        return self.cards([i for i in ids if i in public])
