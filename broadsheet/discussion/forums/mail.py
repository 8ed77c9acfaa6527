"""Mail to a topic's subscribers: each new post at once, or a daily digest (docs/forums.md).

* :func:`on_post_published` (connected to ``content.forums.services.post_published``: once
  per post, after the commit that first shows it — a reader's approved post, or a held one
  approved in the queue) queues :func:`notify_subscribers` on the background worker
  (django-tasks, ``broadsheet db_worker``).
* :func:`notify_subscribers` mails the topic's ``immediate`` subscribers but the author.
* :func:`send_digests` (``broadsheet forums digest`` from cron, or armed once with
  ``broadsheet forums schedule``) mails each digest reader one message with the posts of the
  day in their topics.

A reader's display name is written as text, never as a link: a name holding an address
(one from before sign-up refused them) has its links broken (``readers.names.unlinked``).

Every message is built by ``content.mailing`` (the newsletters' mail policy, not a second
mailer): plain text and HTML parts, in the reader's profile language (``dir="rtl"`` for
Persian), from the newsroom's name (the edition's ``site_name``) at ``DEFAULT_FROM_EMAIL``,
with its own signed one-click unsubscribe link in the footer and in RFC 8058's
``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` headers.

A message the mail server refuses for now (a ``4xx`` answer, or a server that does not answer)
is tried again by the worker, for those readers only, with the discussion's retry policy
(``content.discussion.tasks.retry_later``: after 1 min, 5 min, 30 min, 2 h and 6 h), then
logged as given up; one it refuses for good (a ``5xx`` answer to that reader's address or to
the message) is logged and never tried again for that reader — the rule of every mail the
newsroom sends (``content.mailing.outcome_of``). A retry mails only readers still subscribed
to a post still shown. A refused digest leaves that reader's subscriptions where they were,
so the next day's digest carries its posts.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django_tasks import task

from broadsheet.content import mailing
from broadsheet.content.discussion.tasks import retry_later
from broadsheet.content.forums import subscriptions
from broadsheet.content.forums.models import Post
from broadsheet.content.readers.names import unlinked
from broadsheet.site.build import Build, make_build
from broadsheet.site.dates import number
from broadsheet.site.editions import by_language, default_edition

from . import pages

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7  # newsroom time


class _Builds:
    """Builds per edition language, made once per task run."""

    def __init__(self) -> None:
        self._made: dict[str, Build] = {}

    def __call__(self, language: str) -> Build:
        edition = by_language(language or "") or default_edition()
        if edition.language not in self._made:
            self._made[edition.language] = make_build(edition=edition)
        return self._made[edition.language]


def _language(user: Any) -> str:
    reader = getattr(user, "reader", None)
    return getattr(reader, "language", "") or settings.LANGUAGE_CODE


def _sender(build: Build) -> str:
    """``"Newsroom name" <address>``: the edition's site name, ``DEFAULT_FROM_EMAIL``'s
    address (its own display name, if it has one, wins)."""
    return mailing.sender(build.read.site_info().name)


def _isolated(text: str, direction: str) -> str:
    """A reader's or the newsroom's words inside a sentence of a mail written ``direction``:
    one line, isolated when it holds letters of the other direction
    (:func:`~broadsheet.content.mailing.isolate`)."""
    return mailing.isolate(" ".join((text or "").split()), direction)


def _post_url(builds: _Builds, language: str, post: Post) -> str:
    """The absolute URL of ``post`` on its topic's page, in the edition of the topic's board
    (a Persian board's topics are in the Persian edition), else the reader's."""
    build = builds(post.topic.board.language or language)
    ahead = Post.objects.filter(
        topic_id=post.topic_id, status=post.status, created_at__lt=post.created_at
    ).count()
    number = ahead // pages.posts_per_page() + 1
    return build.absolute(pages.topic_path(build, post.topic, number)) + f"#post-{post.pk}"


def _unsubscribe_url(build: Build, user_id: int, topic_id: int = 0) -> str:
    token = subscriptions.unsubscribe_token(user_id, topic_id)
    return build.absolute(build.urls.live("forum-unsubscribe")) + f"?t={token}"


def _names(posts: list[Post]) -> dict[int, str]:
    return pages._names({p.author_id for p in posts if p.author_id})


def post_message(post: Post, user: Any, builds: _Builds | None = None) -> Any:
    """The mail telling ``user`` (a subscriber) of ``post`` in a topic they follow."""
    builds = builds or _Builds()
    language = _language(user)
    build = builds(language)
    url = _post_url(builds, language, post)
    leave = _unsubscribe_url(build, user.pk, post.topic_id)
    author = unlinked(pages.author_name(_names([post]), post.author_id))
    direction = build.ctx.direction
    with translation.override(build.ctx.language):
        site = build.read.site_info().name
        subject = gettext("[%(site)s] New post in “%(topic)s”") % {
            "site": _isolated(site, direction),
            "topic": _isolated(post.topic.title, direction),
        }
        said = gettext("%(author)s wrote in “%(topic)s”:")
        read = gettext("Read it in the forum")
        why = gettext("You receive this because you follow this topic in the forums of %(site)s.")
        stop = gettext("Stop mail about this topic")
    said_text = said % {
        "author": _isolated(author, direction),
        "topic": _isolated(post.topic.title, direction),
    }
    said_html = escape(said) % {
        "author": mailing.bdi(author),
        "topic": mailing.bdi(post.topic.title),
    }
    text = (
        f"{said_text}\n\n{mailing.isolate(post.text, direction)}\n\n{read}: {url}\n\n-- \n"
        f"{why % {'site': _isolated(site, direction)}}\n{stop}: {leave}\n"
    )
    body = (
        f'<p>{said_html}</p>\n<blockquote dir="auto">{post.html}</blockquote>\n'
        f'<p><a href="{escape(url)}">{escape(read)}</a></p>\n'
        f"<hr>\n<p><small>{escape(why) % {'site': mailing.bdi(site)}} "
        f'<a href="{escape(leave)}">{escape(stop)}</a></small></p>'
    )
    html = mailing.html_document(subject, body, build.ctx.language, build.ctx.direction)
    return mailing.build_message(
        subject,
        text,
        html,
        _sender(build),
        [user.email],
        headers=mailing.unsubscribe_headers(leave),
    )


def digest_message(digest: subscriptions.Digest, builds: _Builds | None = None) -> Any:
    """One reader's digest: the day's posts in their topics, grouped by topic."""
    builds = builds or _Builds()
    user = digest.user
    language = _language(user)
    build = builds(language)
    leave = _unsubscribe_url(build, user.pk)
    names = _names(digest.posts)
    direction = build.ctx.direction
    with translation.override(build.ctx.language):
        site = build.read.site_info().name
        count = len(digest.posts)
        subject = ngettext(
            "[%(site)s] %(n)s new post in the topics you follow",
            "[%(site)s] %(n)s new posts in the topics you follow",
            count,
        ) % {"site": _isolated(site, direction), "n": number(count)}
        why = gettext(
            "You receive this daily digest because you follow topics in the forums of %(site)s."
        )
        stop = gettext("Stop all mail from the forums")
        lines, parts, topic_id = [], [], None
        for post in digest.posts:
            if post.topic_id != topic_id:
                topic_id = post.topic_id
                lines.append(f"\n== {_isolated(post.topic.title, direction)} ==\n")
                parts.append(f'<h2 dir="auto">{escape(post.topic.title)}</h2>')
            author = unlinked(pages.author_name(names, post.author_id))
            url = _post_url(builds, language, post)
            text_of_post = mailing.isolate(post.text, direction)
            lines.append(f"{_isolated(author, direction)}:\n{text_of_post}\n{url}\n")
            parts.append(
                f'<p><strong dir="auto">{escape(author)}</strong></p>\n'
                f'<blockquote dir="auto">{post.html}</blockquote>'
                f'\n<p><a href="{escape(url)}">{escape(url)}</a></p>'
            )
    text = (
        "\n".join(lines) + f"\n-- \n{why % {'site': _isolated(site, direction)}}\n{stop}: {leave}\n"
    )
    body = "\n".join(parts) + (
        f"\n<hr>\n<p><small>{escape(why) % {'site': mailing.bdi(site)}} "
        f'<a href="{escape(leave)}">{escape(stop)}</a></small></p>'
    )
    html = mailing.html_document(subject, body, build.ctx.language, build.ctx.direction)
    return mailing.build_message(
        subject,
        text,
        html,
        _sender(build),
        [user.email],
        headers=mailing.unsubscribe_headers(leave),
    )


def _send(message: Any, what: str) -> mailing.Outcome:
    return mailing.send(message, f"forum mail ({what})")


@task()
def notify_subscribers(post_id: int, user_ids: list[int] | None = None, attempt: int = 1) -> int:
    """Mail the ``immediate`` subscribers of post ``post_id``'s topic but its author (only
    those of ``user_ids``, on a retry); returns how many messages the server accepted.
    Nothing for a post no longer shown. Those the server refused for now are tried again
    later, those it refused for good never (``attempt`` counts the tries, from 1; see the
    module docstring)."""
    post = Post.objects.select_related("topic", "topic__board").filter(pk=post_id).first()
    if post is None:
        return 0
    builds = _Builds()
    sent, refused = 0, []
    for sub in subscriptions.immediate_recipients(post):
        if not sub.user.email or (user_ids is not None and sub.user_id not in user_ids):
            continue
        outcome = _send(post_message(post, sub.user, builds), f"post {post_id}")
        if outcome:
            sent += 1
        elif outcome is mailing.Outcome.LATER:  # refused for good (5xx): not tried again
            refused.append(sub.user_id)
    if refused:
        retry_later(notify_subscribers, attempt, post_id, refused)
    return sent


def on_post_published(sender: Any, post_id: int, **kwargs: Any) -> None:
    """Receiver of ``post_published``: queue :func:`notify_subscribers` on the worker."""
    notify_subscribers.enqueue(post_id)


def next_digest_time(now: dt.datetime | None = None) -> dt.datetime:
    """The next :data:`DIGEST_HOUR` o'clock (newsroom time) after ``now``."""
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def arm() -> dt.datetime | None:
    """Queue :func:`send_digests` for the next digest time; None when the task backend cannot
    defer (run ``broadsheet forums digest`` from cron then)."""
    if not send_digests.get_backend().supports_defer:
        return None
    at = next_digest_time()
    send_digests.using(run_after=at).enqueue()
    return at


def make_digests(now: dt.datetime | None = None) -> int:
    """Mail every digest reader with something new their digest; returns how many mails the
    server accepted. Each reader's subscriptions move on to ``now`` once their mail is
    accepted (or when there was nothing to send)."""
    now = now or timezone.now()
    builds = _Builds()
    sent = 0
    for digest in subscriptions.digest_for(now):
        if digest.posts and digest.user.email:
            if not _send(digest_message(digest, builds), f"digest of {digest.user.pk}"):
                continue
            sent += 1
        subscriptions.digested(digest, now)
    return sent


@task()
def send_digests() -> int:
    """The daily digest run: :func:`make_digests`, then arm the next one."""
    sent = make_digests()
    arm()
    return sent
