"""How many items an admin page is about, in the editor's language: "1 forum post", "3 forum
posts" — singular or plural as the language wants (``ngettext``; Persian keeps the noun
singular after a number: "۳ نوشتهٔ تالار"), never a number glued to a plural noun ("1 forum
posts")."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.utils.translation import ngettext

#: a model's ``_meta.label_lower`` → its count phrase
_PHRASES: dict[str, Callable[[int], str]] = {
    "discussion.comment": lambda n: ngettext("%(count)s comment", "%(count)s comments", n),
    "discussion.guestbookentry": lambda n: ngettext(
        "%(count)s guestbook entry", "%(count)s guestbook entries", n
    ),
    "discussion.letter": lambda n: ngettext(
        "%(count)s letter to the editor", "%(count)s letters to the editor", n
    ),
    "discussion.authormessage": lambda n: ngettext(
        "%(count)s message to an author", "%(count)s messages to authors", n
    ),
    "forums.post": lambda n: ngettext("%(count)s forum post", "%(count)s forum posts", n),
    "forums.topic": lambda n: ngettext("%(count)s forum topic", "%(count)s forum topics", n),
    "forums.report": lambda n: ngettext("%(count)s report", "%(count)s reports", n),
    "forums.ban": lambda n: ngettext("%(count)s forum ban", "%(count)s forum bans", n),
}


def count_of(model: type[Model] | Model, count: int) -> str:
    """``count`` items of ``model`` as a phrase ("1 forum post", "2 forum posts"); a model
    without its own phrase counts "items"."""
    phrase = _PHRASES.get(model._meta.label_lower)
    if phrase is None:
        return ngettext("%(count)s item", "%(count)s items", count) % {"count": count}
    return phrase(count) % {"count": count}
