"""The reader side of the discussion: forms and pages, rendered by the shared renderer.

:class:`DiscussionPages` is mixed into :class:`broadsheet.newsroom.rendering.Renderer`: the
guestbook (``/guestbook/``, numbered pages counted from the oldest like section fronts), the
letters page (``/contact/``; ``/letters/`` is the Letters section), the comments of a story
page, the form on an author page and the answer page of a refused (or to-be-confirmed)
submission.

A form is described by plain data (:class:`FormUI`) and drawn by one Jinja2 macro
(``reader/_discussion.html``). Forms on pages that get baked carry the *stable* token of their
target (issued at 0), so a page bakes to the same bytes every time; the live answer page carries
a fresh token (see :mod:`.guard`).
"""

from __future__ import annotations

import math
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.utils.html import linebreaks, urlize
from markupsafe import Markup

from . import conf
from .catalogue import CommentsState, comments_state
from .guard import issue_token

FORM_KINDS = ("comment", "guestbook", "letter", "author")


@dataclass(frozen=True, slots=True)
class FieldUI:
    """One visible field: ``kind`` is ``text``, ``email`` or ``textarea``; ``maxlength`` in
    characters; ``error`` the reason it was refused ("" if none)."""

    name: str
    label: str
    kind: str
    required: bool
    maxlength: int
    autocomplete: str = "off"
    hint: str = ""
    value: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class FormUI:
    """A reader form: where it posts, its token, hidden fields, visible fields, submit label
    and form-wide messages (``errors``)."""

    kind: str
    action: str
    token: str
    hidden: tuple[tuple[str, str], ...]
    fields: tuple[FieldUI, ...]
    submit: str
    errors: tuple[str, ...] = ()
    id: str = ""


def _specs(kind: str) -> tuple[list[FieldUI], str]:
    name = FieldUI("name", "Name", "text", True, conf.get("MAX_NAME"), "name")
    if kind == "comment":
        return [
            name,
            FieldUI("email", "E-mail", "email", False, 254, "email", "Optional. Never shown."),
            FieldUI(
                "text",
                "Comment",
                "textarea",
                True,
                conf.get("MAX_COMMENT"),
                hint="Plain text; web addresses become links. Comments are read by an editor "
                "before they appear.",
            ),
        ], "Send comment"
    if kind == "guestbook":
        return [
            name,
            FieldUI("place", "Place", "text", False, conf.get("MAX_PLACE"), "address-level2"),
            FieldUI(
                "text",
                "Message",
                "textarea",
                True,
                conf.get("MAX_GUESTBOOK"),
                hint="Entries are read by an editor before they appear.",
            ),
        ], "Sign the guestbook"
    email = FieldUI("email", "E-mail", "email", True, 254, "email", "For a reply; never shown.")
    subject = FieldUI("subject", "Subject", "text", True, conf.get("MAX_SUBJECT"))
    if kind == "letter":
        return [
            name,
            email,
            subject,
            FieldUI("text", "Letter", "textarea", True, conf.get("MAX_LETTER")),
        ], "Send to the editor"
    if kind == "author":
        return [
            name,
            email,
            subject,
            FieldUI(
                "text",
                "Message",
                "textarea",
                True,
                conf.get("MAX_LETTER"),
                hint="Your message is forwarded by e-mail; the author can answer you directly.",
            ),
        ], "Send message"
    raise ValueError(f"unknown form kind {kind!r}")


def form_action(kind: str, target: str | int = "") -> str:
    """The URL a form posts to, on the live app (``BROADSHEET_LIVE_URL``)."""
    base = conf.live_url()
    if kind == "comment":
        return f"{base}/discussion/comments/"
    if kind == "guestbook":
        return f"{base}/discussion/guestbook/"
    if kind == "letter":
        return f"{base}/discussion/letters/"
    if kind == "author":
        return f"{base}/discussion/authors/{urllib.parse.quote(str(target), safe='')}/"
    raise ValueError(f"unknown form kind {kind!r}")


def build_form(
    kind: str,
    target: str | int = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    form_errors: tuple[str, ...] = (),
    fresh: bool = False,
    hidden: tuple[tuple[str, str], ...] = (),
    id: str = "",
) -> FormUI:
    """Describe a form of ``kind`` for ``target`` (story id, author slug; "" otherwise),
    filled with ``values`` and marked with ``errors`` (field name → message). ``fresh`` issues
    a token with the current time (live answers); otherwise the stable token of baked pages."""
    values = values or {}
    errors = errors or {}
    specs, submit = _specs(kind)
    fields = tuple(
        FieldUI(
            f.name,
            f.label,
            f.kind,
            f.required,
            f.maxlength,
            f.autocomplete,
            f.hint,
            values.get(f.name, ""),
            errors.get(f.name, ""),
        )
        for f in specs
    )
    token = issue_token(kind, target, None if fresh else 0)
    return FormUI(kind, form_action(kind, target), token, hidden, fields, submit, form_errors, id)


def plain_text(text: str) -> Markup:
    """A reader's plain text as HTML: escaped, web addresses made links (``rel="nofollow"``),
    paragraphs and line breaks kept (Django's ``urlize`` and ``linebreaks``)."""
    return Markup(linebreaks(urlize(text, nofollow=True, autoescape=True), autoescape=False))  # noqa: S704


FILTERS = {"plain_text": plain_text}


class DiscussionPages:
    """Renderer methods of the discussion (mixed into ``Renderer``, which provides ``source``,
    ``render`` and ``page_size``)."""

    source: Any

    def story_discussion(self, story: Any) -> dict[str, Any]:
        """The comments part of a story page: ``state`` (:class:`CommentsState`), ``comments``
        (approved, threaded), ``count``, the ``form`` (None when closed) and ``reply_urls``
        (comment id → the live page with a reply form; a link keeps the baked page small)."""
        card = story.card
        if card.id is None:
            return {
                "state": CommentsState(False, False),
                "comments": (),
                "count": 0,
                "form": None,
                "reply_urls": {},
            }
        state = comments_state(story.comments, card.published_at, self.source.discussion_info())
        comments = self.source.approved_comments(card.id) if state.shown else ()
        count = len(comments) + sum(len(c.replies) for c in comments)
        form = (
            build_form("comment", card.id, hidden=(("story", str(card.id)),), id="comment-form")
            if state.open
            else None
        )
        reply_urls = (
            {c.id: f"{conf.live_url()}/discussion/comments/{c.id}/reply/" for c in comments}
            if state.open
            else {}
        )
        return {
            "state": state,
            "comments": comments,
            "count": count,
            "form": form,
            "reply_urls": reply_urls,
        }

    def author_form(self, author: Any) -> FormUI:
        """The "write to this author" form of an author page (posts to the live relay)."""
        return build_form("author", author.slug, id="write")

    def guestbook(self, number: int | None = None) -> Any:
        """``/guestbook/`` (newest entries and the form) or ``/guestbook/page/<n>/`` (numbered
        from the oldest, so new entries never renumber pages). Raises ``NotFound``."""
        from broadsheet.newsroom.rendering import NotFound

        info = self.source.discussion_info()
        size = conf.get("GUESTBOOK_PAGE_SIZE")
        total = self.source.guestbook_count()
        pages = math.ceil(total / size) if total else 0
        if number is None:
            entries = self.source.guestbook_entries(0, size, newest=True)
            older = (total - size - 1) // size + 1 if total > size else None
            newer = None
        else:
            if number < 1 or number > pages:
                raise NotFound(f"guestbook page {number}")
            entries = self.source.guestbook_entries((number - 1) * size, number * size, False)
            older = number - 1 if number > 1 else None
            newer = number + 1 if number < pages else 0

        def link(n: int | None) -> str | None:
            if n is None:
                return None
            return "/guestbook/" if n == 0 else f"/guestbook/page/{n}/"

        path = "/guestbook/" if number is None else f"/guestbook/page/{number}/"
        form = build_form("guestbook", id="sign") if info.guestbook_enabled and not number else None
        return self.render(
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

    def letters(self) -> Any:
        """``/contact/``: the form for a letter to the editor."""
        return self.render("letters.html", "/contact/", form=build_form("letter", id="letter"))

    def discussion_answer(
        self,
        form: FormUI,
        status: int,
        title: str,
        message: str,
        back_url: str,
        back_text: str,
        preview: str = "",
        quote: Any = None,
    ) -> Any:
        """The live page answering a submission that was refused (``status`` 400/403/404/429)
        or must be confirmed (200, with ``preview``: the text as it will be shown), or offering
        a reply form (200, ``quote``: the :class:`CommentRef` replied to). The reader's text is
        in the form, intact. Never baked."""
        return self.render(
            "discussion_answer.html",
            "/discussion/",
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
