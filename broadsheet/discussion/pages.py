"""The reader side of the discussion: its pages and what it adds to other features' pages.

Page kinds: the guestbook (``/guestbook/``, numbered pages counted from the oldest like section
fronts) and the letters page (``/contact/``; ``/letters/`` is the Letters section). Slots: the
comments of a story page (``story_end``) and the "write to this author" form of an author page
(``author_end``). And the live answer page of a refused (or to-be-confirmed) submission.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.html import linebreaks, urlize
from markupsafe import Markup

from broadsheet.content.discussion import conf
from broadsheet.site.build import Build
from broadsheet.site.registry import NotFound, Rendered

from .formui import FormUI, build_form
from .state import comments_state


def plain_text(text: str) -> Markup:
    """A reader's plain text as HTML: escaped, web addresses made links (``rel="nofollow"``),
    paragraphs and line breaks kept (Django's ``urlize`` and ``linebreaks``)."""
    return Markup(linebreaks(urlize(text, nofollow=True, autoescape=True), autoescape=False))  # noqa: S704


# -- slots on other features' pages ---------------------------------------------------------------
def story_discussion(build: Build, context: Mapping[str, Any]) -> Markup:
    """The comments part of a story page (slot ``story_end``): the approved comments, threaded,
    and the form (none when comments are closed), or nothing when they are hidden. A reply is
    a link to the live reply page (it keeps the baked page small)."""
    story = context.get("story")
    if story is None or story.card.id is None:
        return Markup("")
    card = story.card
    state = comments_state(story.comments, card.published_at, build.read.discussion_info())
    if not state.shown:
        return Markup("")
    comments = build.read.approved_comments(card.id)
    count = len(comments) + sum(len(c.replies) for c in comments)
    form = None
    reply_urls: dict[int, str] = {}
    if state.open:
        form = build_form(
            build, "comment", card.id, hidden=(("story", str(card.id)),), id="comment-form"
        )
        reply_urls = {c.id: build.urls.live("discussion-reply", comment_id=c.id) for c in comments}
    discussion = {
        "state": state,
        "comments": comments,
        "count": count,
        "form": form,
        "reply_urls": reply_urls,
    }
    return build.renderer.render_string("_discussion_story.html", {"d": discussion})


def author_discussion(build: Build, context: Mapping[str, Any]) -> Markup:
    """The "write to this author" part of an author page (slot ``author_end``)."""
    author = context.get("author")
    if author is None:
        return Markup("")
    form = None
    if not build.read.discussion_info().frozen:  # archive mode: no form
        form = build_form(build, "author", author.slug, id="write")
    context = {"author": author, "form": form}
    return build.renderer.render_string("_discussion_author.html", context)


# -- page kinds ----------------------------------------------------------------------------------
def guestbook(build: Build, number: int | None = None) -> Rendered:
    """``/guestbook/`` (newest entries and the form) or ``/guestbook/page/<n>/`` (numbered
    from the oldest, so new entries never renumber pages). Raises ``NotFound``."""
    read = build.read
    info = read.discussion_info()
    size = conf.get("GUESTBOOK_PAGE_SIZE")
    total = read.guestbook_count()
    pages = math.ceil(total / size) if total else 0
    if number is None:
        entries = read.guestbook_entries(0, size, newest=True)
        older = (total - size - 1) // size + 1 if total > size else None
        newer = None
    else:
        if number < 1 or number > pages:
            raise NotFound(f"guestbook page {number}")
        entries = read.guestbook_entries((number - 1) * size, number * size, False)
        older = number - 1 if number > 1 else None
        newer = number + 1 if number < pages else 0

    def link(n: int | None) -> str | None:
        if n is None:
            return None
        return build.url("guestbook") if n == 0 else build.url("guestbook-page", number=n)

    path = build.url("guestbook") if number is None else build.url("guestbook-page", number=number)
    form = None
    if info.guestbook_enabled and not number:
        form = build_form(build, "guestbook", id="sign")
    return build.render(
        "guestbook.html",
        path,
        entries=entries,
        number=number,
        pages=pages,
        total=total,
        older_url=link(older),
        newer_url=link(newer),
        form=form,
        guestbook_open=info.guestbook_enabled,
    )


def guestbook_paths(build: Build, extra: int = 0) -> list[dict[str, Any]]:
    """The guestbook's pages (``extra`` more past the end: one a removal may have emptied)."""
    pages = math.ceil(build.read.guestbook_count() / conf.get("GUESTBOOK_PAGE_SIZE"))
    return [{"number": n} for n in range(1, pages + 1 + extra)]


def letters(build: Build) -> Rendered:
    """``/contact/``: the form for a letter to the editor (none in archive mode)."""
    form = None
    if not build.read.discussion_info().frozen:
        form = build_form(build, "letter", id="letter")
    return build.render("letters.html", build.url("contact"), form=form)


def discussion_answer(
    build: Build,
    form: FormUI,
    status: int,
    title: str,
    message: str,
    back_url: str,
    back_text: str,
    preview: str = "",
    quote: Any = None,
) -> Rendered:
    """The live page answering a submission that was refused (``status`` 400/403/404/429)
    or must be confirmed (200, with ``preview``: the text as it will be shown), or offering
    a reply form (200, ``quote``: the :class:`CommentRef` replied to). The reader's text is
    in the form, intact. Never baked."""
    return build.render(
        "discussion_answer.html",
        build.url("discussion-comment"),
        status,
        answer_status=status,
        title=title,
        message=message,
        form=form,
        back_url=back_url,
        back_text=back_text,
        preview=preview,
        quote=quote,
    )


def on_guestbook(build: Build, change: Any) -> set[tuple]:
    """Shown guestbook entries changed: a removal shifts the pages after it; guestbooks are
    small, so every page (and one past the end, which a removal may have emptied)."""
    pages = {("guestbook", ())}
    pages |= {("guestbook-page", (("number", p["number"]),)) for p in guestbook_paths(build, 1)}
    return pages


def one(build: Build) -> list[dict[str, Any]]:
    """The paths of a page kind that has exactly one page."""
    return [{}]
