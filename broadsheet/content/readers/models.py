"""Reader accounts, separate from the newsroom's.

A reader signs up on the reader site (django-allauth, e-mail confirmed) and gets a Django user
*and* a :class:`Reader` profile. The profile is what marks the account as a reader's: the
Wagtail admin refuses every account that has one, whatever its ``is_staff`` or
``is_superuser`` flags say (``broadsheet.discussion.accounts.access``), and the reader sign-in
refuses every account that has none (editors sign in at ``/admin/``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DISPLAY_NAME = 60
MAX_BIO = 500


class ForumMail(models.TextChoices):
    """A reader's default for the forum topics they take part in (the values of
    ``forums.Subscription.Mode``, and "none")."""

    IMMEDIATE = "immediate", _("at once")
    DIGEST = "digest", _("in a daily digest")
    NONE = "none", _("no mail")


class Reader(models.Model):
    """A reader's profile: the name shown on their posts, a short bio, the language of the
    account's pages and mail (a code of ``settings.LANGUAGES``), and how they want mail about
    the topics they reply to or open (``forum_mail``: at once, a daily digest, or none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    display_name = models.CharField(_("display name"), max_length=MAX_DISPLAY_NAME)
    # the display name's look-alike skeleton (``.names.skeleton``), kept by ``save``: no two
    # readers' names read the same
    name_key = models.CharField(
        max_length=4 * MAX_DISPLAY_NAME, db_index=True, editable=False, default=""
    )
    bio = models.TextField(_("short bio"), max_length=MAX_BIO, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    joined_at = models.DateTimeField(default=timezone.now)
    forum_mail = models.CharField(
        _("mail about topics I take part in"),
        max_length=10,
        choices=ForumMail.choices,
        default=ForumMail.IMMEDIATE,
        help_text=_(
            "Used when you reply to or open a topic, and first offered on a topic's Follow "
            "form; each topic's own choice can still be changed there."
        ),
    )

    class Meta:
        verbose_name = _("reader")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .names import skeleton

        self.name_key = skeleton(self.display_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


def is_reader(user: Any) -> bool:
    """Whether ``user`` (a user, or ``AnonymousUser``) is a reader's account. One query per
    user object, remembered on it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return reader_profile(user) is not None


def reader_profile(user: Any) -> Reader | None:
    """``user``'s :class:`Reader` profile, or None (not a reader's account, or not signed
    in). One query per user object, remembered on it (with :func:`is_reader`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_broadsheet_reader"):
        user._broadsheet_reader = Reader.objects.filter(user_id=user.pk).first()
    return user._broadsheet_reader


def account_label(user: Any) -> str:
    """How the newsroom's admin names an account: ``Display name <address>`` for a reader
    (never the internal username, which readers never chose to show), the full name — else
    the username — and the address for an editor; "" for no account. The name is isolated
    (Unicode FSI … PDI), so that a right-to-left name does not pull the address into its
    order ("سارا 2064 <…>" stays in that order). No query when the profile was fetched with
    ``select_related("…reader")``."""
    if user is None:
        return ""
    try:
        name = user.reader.display_name
    except Reader.DoesNotExist:  # an editor's account
        name = ""
    name = name or user.get_full_name() or user.get_username()
    name = f"\u2068{name}\u2069"
    return f"{name} <{user.email}>" if user.email else name
