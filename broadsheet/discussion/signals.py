"""Signals the discussion app sends so that baked pages follow moderation.

``comments_changed`` is sent once per story whose *shown* comments may have changed (a comment
approved, removed, marked spam, or an approved one edited), with ``story_id`` (int) and
``reason`` (``"approved"``, ``"removed"``, ``"spam"``, ``"held"``, ``"edited"``). The story page and
the fronts that show its comment count need a re-bake.

``guestbook_changed`` is sent (with ``reason``) when the shown guestbook entries may have
changed: ``/guestbook/`` and its numbered pages need a re-bake.

Receivers must not assume a transaction has committed; the moderation functions send after
their changes are saved (see docs/discussion.md for hooking the baker).
"""

from django.dispatch import Signal

comments_changed = Signal()  # kwargs: story_id: int, reason: str
guestbook_changed = Signal()  # kwargs: reason: str
