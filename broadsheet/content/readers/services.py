"""What may be done to a reader's account: create its profile, delete it.

Deleting an account is the reader's own choice between keeping their posts, shown under
"former member", and deleting them with the account. Content apps holding a reader's writing
(the forums) listen to :data:`reader_leaving` and delete it when asked; otherwise their rows
keep their text and lose the author (``on_delete=SET_NULL``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from .models import MAX_BIO, MAX_DISPLAY_NAME, Reader

reader_leaving = Signal()
"""Sent inside the deleting transaction, before the user row goes: ``user`` and
``delete_posts`` (bool) as keyword arguments."""


def make_reader(user: Any, display_name: str, language: str = "", bio: str = "") -> Reader:
    """Give ``user`` a reader profile (or update the one it has). ``display_name`` is cut to
    its field's length, ``language`` must be a code of ``settings.LANGUAGES`` (else the site's
    default language)."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        language = settings.LANGUAGE_CODE
    reader, _created = Reader.objects.update_or_create(
        user=user,
        defaults={
            "display_name": display_name[:MAX_DISPLAY_NAME],
            "language": language,
            "bio": bio[:MAX_BIO],
        },
    )
    user._broadsheet_reader = reader
    return reader


@transaction.atomic
def delete_account(user: Any, delete_posts: bool) -> None:
    """Delete a reader's account (``ValueError`` for an account that is not a reader's). With
    ``delete_posts`` their posts go too; without, they stay, under "former member"."""
    if not Reader.objects.filter(user_id=user.pk).exists():
        raise ValueError("only a reader's account is deleted here")
    reader_leaving.send(sender=Reader, user=user, delete_posts=delete_posts)
    user.delete()
