"""Moderation and mail: what editors do with reader submissions, and what they are told.

* :func:`moderate_comments` / :func:`moderate_guestbook` set the state of many items, saving
  each one, so that every receiver of ``post_save`` (publishing re-bakes what readers see) hears
  of it exactly as of an edit in the admin or the shell.
* :func:`notify_held` tells the editors that comments wait in the moderation queue (at most one
  mail per ``NOTIFY_INTERVAL_SECONDS``); :func:`mail_letter` and :func:`relay_to_author` send a
  stored letter or message. Every mail function catches mail errors (SMTP down): the submission
  is already stored, and ``mailed`` stays False so that nothing is lost.
* :func:`publish_letter` turns a letter into a published story in the "Letters" section.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import ngettext
from wagtail.models import Site

from .. import mailing
from . import conf
from .models import (
    AuthorMessage,
    Comment,
    CommentStatus,
    DiscussionSettings,
    GuestbookEntry,
    Letter,
    LetterStatus,
)

logger = logging.getLogger(__name__)

MAIL_ERRORS = mailing.MAIL_ERRORS


def editor_addresses() -> list[str]:
    """The addresses told about held comments and letters (see
    :meth:`DiscussionSettings.editor_addresses`)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DiscussionSettings().editor_addresses()
    return DiscussionSettings.for_site(site).editor_addresses()


def _send(message: EmailMessage, what: str = "") -> mailing.Outcome:
    """Send ``message``: its ``mailing.Outcome`` (true only when accepted); a refusal is
    logged — the submission is stored whatever the server says."""
    return mailing.send(message, what)


def newsroom_name() -> str:
    """The newsroom's name: the default site's ``site_name`` (newsroom settings)."""
    from broadsheet.content.newsroom.models import NewsroomSettings

    site = Site.objects.filter(is_default_site=True).first()
    name = NewsroomSettings.for_site(site).site_name if site is not None else ""
    return name or settings.WAGTAIL_SITE_NAME


def newsroom_sender() -> str:
    """The ``From:`` of the moderators' mails, the same as the readers' (``mailing.sender``):
    ``"Newsroom name" <DEFAULT_FROM_EMAIL>``."""
    return mailing.sender(newsroom_name())


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_held(comment: Comment) -> bool:
    """Tell the editors that comments are waiting (this one, and how many in all). At most one
    mail per ``NOTIFY_INTERVAL_SECONDS``; returns whether a mail was sent."""
    to = editor_addresses()
    if not to:
        return False
    if not cache.add("discussion:notify-held", 1, timeout=conf.get("NOTIFY_INTERVAL_SECONDS")):
        return False
    held = Comment.objects.filter(status=CommentStatus.HELD).count()
    waiting = ngettext(
        "%(n)d reader comment is waiting in the moderation queue:",
        "%(n)d reader comments are waiting in the moderation queue:",
        held,
    ) % {"n": held}
    body = (
        f"{waiting}\n"
        f"{_admin_url('/admin/snippets/discussion/comment/?status=held')}\n\n"
        f"The newest, from {comment.name}:\n\n{comment.text[:1000]}\n"
    )
    awaiting = ngettext(
        "%(n)d comment awaiting moderation", "%(n)d comments awaiting moderation", held
    ) % {"n": held}
    subject = f"[{newsroom_name()}] {awaiting}"
    return bool(_send(EmailMessage(subject, body, newsroom_sender(), to), "held-comments notice"))


def mail_letter(letter: Letter) -> mailing.Outcome:
    """E-mail a stored letter to the editors (Reply-To: the reader); records ``mailed``. The
    outcome is true once the server accepted it (``mailing.Outcome``)."""
    to = editor_addresses()
    if not to:
        logger.warning("letter %s stored; no editor address to mail it to", letter.pk)
        return mailing.Outcome.LATER
    body = (
        f"A letter to the editor from {letter.name} <{letter.email}>:\n\n{letter.text}\n\n"
        f"In the admin: {_admin_url(f'/admin/snippets/discussion/letter/edit/{letter.pk}/')}\n"
    )
    sent = _send(
        EmailMessage(
            f"[Letter] {letter.subject}",
            body,
            newsroom_sender(),
            to,
            reply_to=[letter.email],
        ),
        f"letter {letter.pk}",
    )
    if sent:
        Letter.objects.filter(pk=letter.pk).update(mailed=True)
    return sent


def relay_to_author(message: AuthorMessage, page_url: str) -> mailing.Outcome:
    """Relay a reader's message to the author's private address (to the editors when the author
    has none); ``page_url`` is the absolute URL of the author's page the reader wrote from. The
    reader's address is the Reply-To. Records ``mailed``."""
    author = message.author
    to = [author.email] if author.email else editor_addresses()
    if not to:
        logger.warning("message %s to author %s stored; nowhere to send it", message.pk, author.pk)
        return mailing.Outcome.LATER
    intro = "" if author.email else f"For {author.name} (who has no address on file):\n\n"
    body = (
        f"{intro}A reader, {message.name} <{message.email}>, wrote through "
        f"{page_url}:\n\n{message.text}\n\n"
        "Reply to this e-mail to answer the reader directly (your reply shows your address).\n"
    )
    sent = _send(
        EmailMessage(
            f"[Reader] {message.subject}",
            body,
            newsroom_sender(),
            to,
            reply_to=[message.email],
        ),
        f"message {message.pk} to an author",
    )
    if sent:
        AuthorMessage.objects.filter(pk=message.pk).update(mailed=True)
    return sent


def _moderate(model: type[Comment] | type[GuestbookEntry], items: Iterable, status: str) -> int:
    if status not in CommentStatus.values:
        raise ValueError(f"unknown status {status!r}")
    ids = [i.pk if isinstance(i, model) else int(i) for i in items]
    changed = 0
    with transaction.atomic():
        for item in model.objects.filter(pk__in=ids).exclude(status=status).order_by("pk"):
            item.status = status
            item.save(update_fields=["status"])
            changed += 1
    return changed


def moderate_comments(comments: Iterable[Comment] | Iterable[int], status: str) -> int:
    """Set ``status`` (a :class:`CommentStatus` value) on the comments (instances or ids),
    saving each one. Returns how many comments changed; ``ValueError`` for an unknown status."""
    return _moderate(Comment, comments, status)


def moderate_guestbook(entries: Iterable[GuestbookEntry] | Iterable[int], status: str) -> int:
    """Set ``status`` on guestbook entries (instances or ids), saving each one. Returns how many
    changed; ``ValueError`` for an unknown status."""
    return _moderate(GuestbookEntry, entries, status)


def letter_body_html(text: str) -> str:
    """A letter's plain text as the rich-text HTML of a story paragraph block (escaped, one
    ``<p>`` per paragraph, ``<br/>`` for single line breaks)."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + "<br/>".join(escape(p).split("\n")) + "</p>" for p in paragraphs)


@transaction.atomic
def publish_letter(letter: Letter, user: object | None = None) -> object:
    """Publish ``letter`` as a story in the "Letters" section (created if missing): headline
    the subject, byline credit the writer's name (never the address), body the text. Returns
    the published :class:`~broadsheet.content.newsroom.models.StoryPage`; a letter already published
    returns its story."""
    from broadsheet.content.newsroom.models import StoryPage, unique_slug
    from broadsheet.content.newsroom.tree import ensure_section

    if letter.story_id:
        return letter.story
    section = ensure_section(["Letters"])
    story = StoryPage(
        title=letter.subject[:255],
        slug=unique_slug(StoryPage, f"letter-{letter.subject}"[:200] or "letter"),
        standfirst=f"A letter to the editor from {letter.name}.",
        byline_credit=letter.name[:255],
        published_at=timezone.now(),
        body=[{"type": "paragraph", "value": letter_body_html(letter.text)}],
        live=False,
    )
    section.add_child(instance=story)
    story.save_revision(user=user).publish(user=user)
    story.refresh_from_db()
    letter.story = story
    letter.status = LetterStatus.PUBLISHED
    letter.save(update_fields=["story", "status"])
    return story
