"""What follows a WordPress post's story for :mod:`broadsheet.importers.wxr`: the permanent
redirect from its old permalink and its comments (our replies are one level deep: a reply to
a reply hangs under its top-level ancestor, the order kept by date). Written for a whole bulk
batch at once (a few queries), or post by post on the one-by-one path; the features are told
of the inserted rows through the content layer's ``changed`` signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from broadsheet.content.newsroom.models import (
    StoryPage,
)
from broadsheet.content.signals import changed

from .htmlbody import plain_text
from .report import ImportReport
from .wxrinput import Node, _clean_name, _valid_email, _valid_ip, _valid_url, parse_wp_date


class Followups:
    """Redirects and comments of :class:`~broadsheet.importers.wxr.WxrImport` (a mixin: the
    run's ``report``, ``site_key`` and ``pending_posts`` are the dataclass's)."""

    report: ImportReport
    site_key: str
    pending_posts: list[tuple[Node, StoryPage, bool]]
    comment_fates: dict[tuple[int, int], str]  # (id(item), comment index) → outcome
    comment_owners: dict[str, str]  # comment source key → the post id that has it

    path: Path

    def place(self, line: int) -> str:
        return f"{self.path}:{line}"

    def redirects(self, item: Node, page: Any) -> None:
        """The redirect from ``item``'s old permalink to ``page`` (saved one by one)."""
        page.refresh_from_db()
        self.write_redirects([(item, page)])

    def write_redirects(self, posts: list[tuple[Node, Any]]) -> None:
        """Permanent redirects from each item's ``<link>`` path to its page's URL (the pages'
        ``url_path`` as saved), in three queries for all: the existing redirects of those
        paths that point elsewhere are updated, the others inserted, and the features told
        (``changed``). Counted as ``redirects``: those created or changed, not those that
        were already right."""
        from wagtail.contrib.redirects.models import Redirect

        wanted: dict[str, Any] = {}
        for item, page in posts:
            new_path = Redirect.normalise_path(page.get_url() or "")
            old = item["link"]
            if not old:
                continue
            path = Redirect.normalise_path(old)
            if path.startswith("/?") or path in ("", "/") or path == new_path:
                # "/?p=123" (plain permalinks) would be answered by the front page: Wagtail
                # redirects only paths that have no page.
                continue
            if len(path) > 255:
                self.report.warn(self.place(item.line), f"old path too long for a redirect: {old}")
                continue
            wanted[path] = page
        if not wanted:
            return
        existing = {r.old_path: r for r in Redirect.objects.filter(site=None, old_path__in=wanted)}
        new = []
        for path, page in wanted.items():
            redirect = existing.get(path) or Redirect(old_path=path, site=None)
            if redirect.pk is not None and (
                redirect.redirect_page_id,
                redirect.redirect_link,
                redirect.is_permanent,
            ) == (page.pk, "", True):
                continue  # already there: not written, not counted
            redirect.redirect_page, redirect.redirect_link = page, ""
            redirect.is_permanent = True
            if redirect.pk is None:
                new.append(redirect)
            else:
                redirect.save()
            self.report.count("redirects")
        Redirect.objects.bulk_create(new)
        changed.send(sender=Redirect, instances=new)

    def written(self, item: Node, story: StoryPage, live: bool) -> None:
        """A post's story is written: its redirect and comments follow with the next
        :meth:`after_written` (a bulk batch's, or at once on the one-by-one path)."""
        self.pending_posts.append((item, story, live))

    def after_written(self) -> None:
        """Redirects and comments of the stories written since the last call, a few queries
        for all of them. When that fails, they are written post by post, so that the post
        whose redirect or comments fail is reported (its story stays; its comments count as
        failed)."""
        done, self.pending_posts = self.pending_posts, []
        if not done:
            return
        paths = dict(
            Page.objects.filter(pk__in=[s.pk for _, s, _ in done]).values_list("pk", "url_path")
        )
        for _, story, _ in done:
            story.url_path = paths.get(story.pk, story.url_path)
        counts, warned = self.report.counts.copy(), len(self.report.warnings)
        try:
            with transaction.atomic():
                self.write_redirects([(item, story) for item, story, live in done if live])
                fates = self.write_comments([(item, story) for item, story, _ in done])
            self.comment_fates.update(fates)
            return
        except Exception:
            self.report.counts = counts  # counted again below
            del self.report.warnings[warned:]
        for item, story, live in done:
            counts = self.report.counts.copy()
            try:
                with transaction.atomic():
                    if live:
                        self.write_redirects([(item, story)])
                    fates = self.write_comments([(item, story)])
                self.comment_fates.update(fates)
            except Exception as exc:
                self.report.counts = counts
                self.report.fail(
                    self.place(item.line),
                    f"post {item['wp:post_id']}: redirects or comments: {exc}",
                    item=False,
                )

    COMMENT_STATUS = {"1": "approved", "0": "held", "spam": "spam", "trash": "removed"}

    def comment_status(self, value: str) -> str:
        return self.COMMENT_STATUS.get(value.strip(), "held")

    def comments_skipped(self, item: Node) -> None:
        """``item``'s comments are not imported (the item is skipped, or is a page)."""
        for i, _ in enumerate(item.all("wp:comment")):
            self.comment_fates[(id(item), i)] = "skipped"

    def comments_forgotten(self, item: Node) -> None:
        """``item`` failed: its comments' outcomes recorded so far were rolled back with it."""
        for i, _ in enumerate(item.all("wp:comment")):
            self.comment_fates.pop((id(item), i), None)

    def tally_comments(self, items: list[Node]) -> None:
        """Each comment of the input's outcome in the report (``report.parts``): as recorded,
        else failed (its post, or the batch its post was in, failed to write)."""
        total = 0
        for item in items:
            for i, _ in enumerate(item.all("wp:comment")):
                total += 1
                self.report.part("comments", self.comment_fates.get((id(item), i), "failed"))
        if total:
            self.report.parts_in_input["comments"] += total

    def count_comments(self, item: Node, on_page: bool) -> None:
        """Count the comments of ``item`` without writing them: those of a page (skipped:
        comments belong to stories), or of a new post in a dry run (created, but for empty
        ones)."""
        comments = item.all("wp:comment")
        if not comments:
            return
        if on_page:
            self.report.warn(
                self.place(item.line),
                f"{len(comments)} comment(s) on a page not imported: comments are taken on "
                "stories only",
            )
            self.report.count("comments on pages skipped", len(comments))
            self.comments_skipped(item)
            return
        for i, el in enumerate(comments):
            n = Node(el)
            if not plain_text(n.raw("wp:comment_content")):
                self.report.count("empty comments skipped")
                self.comment_fates[(id(item), i)] = "skipped"
                continue
            self.report.count("comments")
            self.report.count(f"{self.comment_status(n['wp:comment_approved'])} comments")
            self.comment_fates[(id(item), i)] = "created"

    def save_comments(self, item: Node, story: StoryPage, dry_run: bool = False) -> None:
        """The comments of one post (:meth:`write_comments`), their outcomes recorded."""
        self.comment_fates.update(self.write_comments([(item, story)], dry_run))

    def write_comments(
        self, posts: list[tuple[Node, StoryPage]], dry_run: bool = False
    ) -> dict[tuple[int, int], str]:
        """The comments of ``posts`` as :class:`~broadsheet.content.discussion.models.Comment`
        rows, found again by ``source_key``: existing ones that differ from the file updated
        one by one (those that do not are not written; a comment the file gives no date
        keeps the date it was saved with), new ones inserted in two queries (top-level
        comments, then the replies that hang under them) and the features told
        (``changed``). Returns each comment's outcome (``created``, ``updated``,
        ``unchanged``, ``skipped``) by ``(id(item), its index in the item)``, for the caller
        to record once the write has succeeded. ``dry_run``: the outcomes only, nothing
        written."""
        from broadsheet.content.discussion.models import Comment

        fates: dict[tuple[int, int], str] = {}
        plans: list[_Plan] = []
        for item, story in posts:
            plans.extend(self._comment_plans(item, story, fates))
        if not plans:
            return fates
        keys = [p.key for p in plans]
        existing = {c.source_key: c for c in Comment.objects.filter(source_key__in=keys)}
        saved: dict[str, Any] = {}
        new: list[Any] = []
        for replies in (False, True):  # top-level comments first: replies need their ids
            batch = []
            for plan in plans:
                if bool(plan.top_key) != replies:
                    continue
                comment = existing.get(plan.key) or Comment(source_key=plan.key)
                parent = saved.get(plan.top_key) if plan.top_key else None
                saved[plan.key] = comment
                if comment.pk is not None and _same(comment, plan.fields, parent):
                    fates[plan.place] = "unchanged"  # as the file has it: not written
                    continue
                fates[plan.place] = "created" if comment.pk is None else "updated"
                if dry_run:
                    continue
                for name, value in plan.fields.items():
                    setattr(comment, name, value)
                comment.parent = parent
                if comment.pk is None:
                    comment.created_at = plan.fields.get("created_at") or plan.undated
                    batch.append(comment)
                else:
                    comment.save()
            if not dry_run:
                new += Comment.objects.bulk_create(batch)
        if not dry_run:
            changed.send(sender=Comment, instances=new)
        return fates

    def _comment_plans(
        self, item: Node, story: StoryPage, fates: dict[tuple[int, int], str]
    ) -> list[_Plan]:
        """A :class:`_Plan` for each comment of ``item`` to save, top-level ones first (empty
        ones are skipped, in ``fates``); warnings and counts reported. A comment is found
        again by its ``wp:comment_id`` in the site; one whose id another post of the file
        has already taken (a merged or hand-edited export) is keyed within its own post."""
        nodes = [(i, Node(el)) for i, el in enumerate(item.all("wp:comment"))]
        if not nodes:
            return []
        by_id = {n["wp:comment_id"]: n for _, n in nodes if n["wp:comment_id"]}

        def top(n: Node) -> str:
            """The top-level ancestor's id ("" for a top-level comment)."""
            seen: set[str] = set()
            cur = n
            while True:
                pid = cur["wp:comment_parent"]
                if not pid or pid == "0" or pid not in by_id or pid in seen:
                    return "" if cur is n else cur["wp:comment_id"]
                seen.add(pid)
                cur = by_id[pid]

        keys: dict[str, str] = {}  # comment id → source key, of the comments saved
        plans = []
        post_id = item["wp:post_id"]
        for i, n in sorted(nodes, key=lambda pair: bool(top(pair[1]))):
            place = self.place(n.line)
            cid = n["wp:comment_id"]
            parent_id = n["wp:comment_parent"]
            if parent_id not in ("", "0") and parent_id not in by_id:
                self.report.warn(place, f"comment {cid}: parent {parent_id} not in the file")
            text = plain_text(n.raw("wp:comment_content"))
            status = self.comment_status(n["wp:comment_approved"])
            if n["wp:comment_approved"].strip() not in self.COMMENT_STATUS:
                self.report.warn(
                    place, f"comment {cid}: approval {n['wp:comment_approved']!r} held"
                )
            if not text:
                self.report.warn(place, f"comment {cid}: empty text, skipped")
                self.report.count("empty comments skipped")
                fates[(id(item), i)] = "skipped"
                continue
            created_at, _ = parse_wp_date(n["wp:comment_date_gmt"], n["wp:comment_date"])
            key = f"wxr:{self.site_key}:{cid or post_id + '-' + str(n.line)}"
            owner = self.comment_owners.setdefault(key, post_id)
            if owner != post_id:
                self.report.warn(
                    place,
                    f"comment {cid} repeats a comment id of post {owner}: kept as this "
                    "post's own comment",
                )
                key = f"{key}@post:{post_id}"
            top_id = top(n)
            # A reply whose top-level comment was not saved becomes top-level itself.
            top_key = keys.get(top_id, "") if top_id else ""
            fields: dict[str, Any] = {
                "story": story,
                "name": (_clean_name(n["wp:comment_author"]) or "Anonymous")[:100],
                "email": _valid_email(n["wp:comment_author_email"]),
                "url": _valid_url(n["wp:comment_author_url"]),
                "text": text,
                "status": status,
                "ip_address": _valid_ip(n["wp:comment_author_IP"]),
            }
            if created_at is not None:  # else a saved comment keeps its date
                fields["created_at"] = created_at
            undated = story.published_at or timezone.now()
            plans.append(_Plan((id(item), i), key, top_key, fields, undated))
            keys[cid] = key
            self.report.count("comments")
            self.report.count(f"{status} comments")
        return plans


@dataclass
class _Plan:
    """One comment to save: its place (``(id(item), index)``), ``source_key``, its top-level
    ancestor's key (``""``: top-level), the fields from the file, and the date a new comment
    gets when the file gives none."""

    place: tuple[int, int]
    key: str
    top_key: str
    fields: dict[str, Any]
    undated: Any


def _same(comment: Any, fields: dict[str, Any], parent: Any) -> bool:
    """Whether the saved ``comment`` already has ``fields`` and ``parent`` (importing it
    again would change nothing)."""
    if comment.parent_id != (parent.pk if parent is not None else None):
        return False
    for name, value in fields.items():
        if name == "story":
            if comment.story_id != value.pk:
                return False
        elif getattr(comment, name) != value:
            return False
    return True
