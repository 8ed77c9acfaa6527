"""The reader side of the discussion: its pages and what it adds to other features' pages.

Page kinds: the guestbook (``/guestbook/``, numbered pages counted from the oldest like section
fronts), the contact page (``/contact/``: the form for a letter to the editor) and the letters
page (``/letters/``: the published letters of the Letters section, newest first, and the form;
it stands in for that section's front, being routed before the page tree). Slots: the
comments of a story page (``story_end``), the "write to this author" form of an author page
(``author_end``), the footer's prompts (``footer_prompts``, the seed's sentences); the
navigation's Guestbook and Contact links are registered in :mod:`.apps`. And the live answer
page of a refused (or to-be-checked) submission.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
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
    letters_link = Markup('<a href="%s">%s</a>') % (
        build.url("letters-page"),
        gettext("Letters to the editor"),
    )
    return build.render("letters.html", build.url("contact"), form=form, letters_link=letters_link)


LETTERS_SHOWN = 30  # published letters listed on /letters/, newest first


def letters_section(build: Build) -> Any:
    """The Letters section (:class:`SectionRef`): the top section titled "Letters" that
    ``publish_letter`` files letters in (``ensure_section(["Letters"])``; its slug is
    ``letters-section`` since ``/letters/`` is this page's), or None before the first letter
    is published."""
    return next((s for s in build.read.top_sections() if s.title == "Letters"), None)


def letters_page(build: Build) -> Rendered:
    """``/letters/``: the published letters to the editor (the newest ``LETTERS_SHOWN`` stories
    of the Letters section), then the form to write one (none in archive mode)."""
    from broadsheet.site.data import Scope

    section = letters_section(build)
    cards = build.read.latest(LETTERS_SHOWN, Scope.section(section)) if section else []
    total = build.read.count(Scope.section(section)) if section else 0
    form = None
    if not build.read.discussion_info().frozen:
        form = build_form(build, "letter", hidden=(("from", "letters"),), id="letter")
    return build.render(
        "letters_page.html",
        build.url("letters-page"),
        letters=cards,
        letters_total=total,
        form=form,
        section=section,
    )


def on_letter(build: Build, change: Any) -> set[tuple]:
    """A story published, changed or withdrawn in the Letters section: ``/letters/``."""
    section = letters_section(build)
    if section is None:
        return {("letters-page", ())}  # the section may be new with this very letter
    states = (change.before, change.after)
    if any(state is not None and state.section_id == section.id for state in states):
        return {("letters-page", ())}
    return set()


# -- the footer's prompts (the seed's) ------------------------------------------------------------
_("Want to express an opinion?"), _("Participate in our user forums.")
_("Impressions from our site?"), _("Share them in our Guest Book.")
_("Got feedback?"), _("Send a letter to the editor.")


def _prompt(question: str, url: str, text: str, live: bool = False) -> Markup:
    """A footer prompt; ``live``: the link leads to a page only the live site serves (marked
    ``data-live`` for mirrors and offline copies, publishing/relative.py)."""
    mark = Markup(" data-live") if live else Markup("")
    return Markup('<p class="footer-prompt">%s <a href="%s"%s>%s</a></p>') % (
        gettext(question),
        url,
        mark,
        gettext(text),
    )


def forums_prompt(build: Build, context: Mapping[str, Any]) -> Markup:
    """On story pages, when a feature has registered the ``forums`` page kind: "Want to
    express an opinion? Participate in our user forums." """
    if context.get("story") is None or "forums" not in build.registry.kinds:
        return Markup("")
    frozen = build.read.discussion_info().frozen  # a frozen site bakes its forums read-only
    return _prompt(
        "Want to express an opinion?",
        build.url("forums"),
        "Participate in our user forums.",
        live=not frozen,
    )


def guestbook_prompt(build: Build, context: Mapping[str, Any]) -> Markup:
    """ "Impressions from our site? Share them in our Guest Book." (while the guestbook is
    open)."""
    if not build.read.discussion_info().guestbook_enabled:
        return Markup("")
    return _prompt(
        "Impressions from our site?", build.url("guestbook"), "Share them in our Guest Book."
    )


def letters_prompt(build: Build, context: Mapping[str, Any]) -> Markup:
    """ "Got feedback? Send a letter to the editor." (not in archive mode)."""
    if build.read.discussion_info().frozen:
        return Markup("")
    return _prompt("Got feedback?", build.url("contact"), "Send a letter to the editor.")


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
