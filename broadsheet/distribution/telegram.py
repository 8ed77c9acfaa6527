"""Telegram: each published story posted to its edition's channel through the Bot API, and
edited there when it is corrected.

Settings, from the environment: ``TELEGRAM_BOT_TOKEN`` (the bot's token from @BotFather; empty:
Telegram is off), ``TELEGRAM_CHATS`` (``en=@newsroom,fa=@newsroom_fa``: the channel of each
edition, by language; the bot must be an administrator of each), ``TELEGRAM_ONLY_TAG`` (empty:
every story; else only stories with this tag, e.g. ``telegram``), ``TELEGRAM_API_URL`` (default
``https://api.telegram.org``; the tests point it to a local fake).

A story's message (:func:`message_text`) is its headline in bold, its standfirst and its link,
in ``parse_mode=HTML``: everything escaped (``&``, ``<``, ``>``, ``"`` — the only entities the
Bot API's HTML knows), within the 4096 characters the API allows after entity parsing (counted
as Telegram does, in UTF-16 code units; the standfirst, then the headline, are cut with "…").
The first publish calls ``sendMessage`` and records the ``message_id``
(:class:`~broadsheet.content.distribution.models.TelegramPost`); a later publish whose text
differs (a correction) calls ``editMessageText`` on that message. A refusal the API says is
temporary (429 with ``retry_after``, 5xx) or a network error is tried again after 1, 5, 30
minutes and 2 hours.

Why our own code: two HTTPS calls of the Bot API; the Python libraries for it are whole bot
frameworks (async, webhooks) that a publisher does not need.

Only tested against a minimal local fake of ``sendMessage`` and ``editMessageText``; a real
channel was not tried.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import urllib.error
import urllib.request
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from broadsheet.content import mailing
from broadsheet.content.distribution.models import TelegramPost
from broadsheet.content.newsroom.models import StoryPage
from broadsheet.site import editions
from broadsheet.site.build import make_build

logger = logging.getLogger(__name__)

LIMIT = 4096  # characters of text after entity parsing (Bot API sendMessage)
RETRY_DELAYS = (60, 300, 1800, 7200)
TIMEOUT = 15.0


def token() -> str:
    """The bot's token (``TELEGRAM_BOT_TOKEN``; "" = Telegram is off)."""
    return os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()


def chats() -> dict[str, str]:
    """The channel of each edition: ``TELEGRAM_CHATS`` (``en=@news,fa=-1001234``)."""
    found = {}
    for item in os.environ.get("TELEGRAM_CHATS", "").split(","):
        language, _, chat = item.partition("=")
        if language.strip() and chat.strip():
            found[language.strip()] = chat.strip()
    return found


def api_url() -> str:
    return os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")


def only_tag() -> str:
    return os.environ.get("TELEGRAM_ONLY_TAG", "").strip()


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Text for the Bot API's HTML parse mode."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _clean(text: str) -> str:
    return _SURROGATES.sub("\ufffd", mailing.plain_text(text)).strip()


def _cut(text: str, units: int) -> str:
    """``text`` cut to at most ``units`` UTF-16 code units, with "…" when cut."""
    if utf16_len(text) <= units:
        return text
    out = []
    used = 1  # the ellipsis
    for ch in text:
        size = utf16_len(ch)
        if used + size > units:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


def message_text(headline: str, standfirst: str, url: str, read_more: str) -> str:
    """The HTML of a story's message: ``<b>headline</b>``, the standfirst, the link; at most
    :data:`LIMIT` characters of visible text (UTF-16 code units)."""
    headline = mailing.header_text(_clean(headline), 10_000)
    standfirst = _clean(standfirst)
    link = f'<a href="{escape(url)}">{escape(read_more)}</a>'
    fixed = utf16_len(read_more) + 4  # two blank lines around the standfirst
    headline = _cut(headline, min(utf16_len(headline), LIMIT - fixed - 200))
    room = LIMIT - fixed - utf16_len(headline)
    standfirst = _cut(standfirst, room) if standfirst else ""
    parts = [f"<b>{escape(headline)}</b>"]
    if standfirst:
        parts.append(escape(standfirst))
    parts.append(link)
    return "\n\n".join(parts)


def _call(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - the Bot API, or the configured fake
        f"{api_url()}/bot{token()}/{method}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return json.loads(error.read())
        except ValueError:
            return {"ok": False, "error_code": error.code, "description": str(error)}


class Temporary(Exception):
    """The API asked to try again later (429, 5xx) or could not be reached."""


def post_story(story: StoryPage) -> TelegramPost | None:
    """Post ``story`` to its edition's channel, or edit the post if its text changed. None
    when Telegram is off, the edition has no channel, the story is not live or not tagged.
    Raises :class:`Temporary` (try again later) or ``RuntimeError`` (refused for good)."""
    language = story.locale.language_code if story.locale_id else ""
    chat = chats().get(language)
    if not token() or not chat or not story.live:
        return None
    tag = only_tag()
    if tag and not story.tags.filter(name__iexact=tag).exists():
        return None
    edition = editions.by_language(language)
    build = make_build(edition=edition)
    url = build.absolute(build.urls.page(story.url_path))
    with translation.override(language):
        text = message_text(story.title, story.standfirst, url, gettext("Read the story"))
    post = TelegramPost.objects.filter(story=story, chat_id=chat).first()
    if post is not None and post.text == text:
        return post
    payload: dict[str, Any] = {"chat_id": chat, "text": text, "parse_mode": "HTML"}
    method = "sendMessage"
    if post is not None:
        method = "editMessageText"
        payload["message_id"] = post.message_id
    try:
        answer = _call(method, payload)
    except (OSError, ValueError) as error:
        raise Temporary(str(error)) from None
    if not answer.get("ok"):
        code = int(answer.get("error_code") or 0)
        if code == 429 or code >= 500:
            raise Temporary(f"{code} {answer.get('description', '')}")
        raise RuntimeError(f"{method}: {code} {answer.get('description', '')}")
    if post is None:
        message_id = int(answer["result"]["message_id"])
        return TelegramPost.objects.create(
            story=story, chat_id=chat, message_id=message_id, text=text
        )
    post.text, post.edited_at = text, timezone.now()
    post.save(update_fields=["text", "edited_at"])
    return post


@task()
def post_to_telegram(story_id: int, attempt: int = 1) -> bool:
    """Post (or edit) story ``story_id`` on Telegram; True when done or nothing to do."""
    story = StoryPage.objects.filter(pk=story_id).first()
    if story is None:
        return True
    try:
        post_story(story)
        return True
    except Temporary as error:
        if attempt > len(RETRY_DELAYS) or not post_to_telegram.get_backend().supports_defer:
            logger.error("Telegram: story %s not posted: %s; gave up", story_id, error)
            return False
        run_after = timezone.now() + dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
        post_to_telegram.using(run_after=run_after).enqueue(story_id, attempt=attempt + 1)
        return False
    except RuntimeError:
        logger.exception("Telegram refused story %s", story_id)
        return False


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Wagtail's ``page_published``: queue the story's post once the transaction commits."""
    if not token() or not isinstance(instance, StoryPage):
        return
    from django.db import transaction

    story_id = instance.pk
    transaction.on_commit(lambda: post_to_telegram.enqueue(story_id))
