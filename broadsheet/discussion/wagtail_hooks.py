"""The discussion in the Wagtail admin: the moderation queue and the editors' actions.

A "Discussion" menu groups comments (the moderation queue opens on held comments), guestbook
entries, letters to the editor and messages to authors. Comments and guestbook entries have bulk
actions *Approve*, *Spam* and *Remove* (tick many, act once); letters have *Publish as story*,
which makes a story in the "Letters" section from each ticked letter.
Every change is a model save or delete, so publishing re-bakes what readers see whichever way it
was made (admin form, bulk action, shell). Labels, headings and messages are translated into
the editor's language (Wagtail activates it for each admin request).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from broadsheet.content.discussion.models import (
    AuthorMessage,
    Comment,
    CommentStatus,
    GuestbookEntry,
    Letter,
)
from broadsheet.content.discussion.moderation import (
    moderate_comments,
    moderate_guestbook,
    publish_letter,
)
from broadsheet.content.forums.models import Post
from broadsheet.content.forums.moderation import moderate_posts

from .forums import admin as forums_admin
from .forums import admin_bans as forums_admin_bans
from .queue import QueueIndexView, queue_url


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    index_view_class = QueueIndexView
    list_display = ["name", "excerpt", "story", "status", "created_at"]
    list_filter = ["status"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    panels = [
        FieldPanel("status"),
        FieldPanel("name"),
        FieldPanel(
            "email",
            heading=gettext_lazy("E-mail address"),
            help_text=gettext_lazy("Never shown to readers."),
        ),
        FieldPanel("url", heading=gettext_lazy("Web site")),
        FieldPanel("text"),
        FieldPanel("story", read_only=True, heading=gettext_lazy("On the story")),
        FieldPanel("parent", read_only=True),
        FieldPanel("created_at", read_only=True),
        FieldPanel("ip_address", read_only=True),
    ]

    @property
    def menu_url(self) -> str:
        """The moderation queue: held comments first."""
        return reverse(self.get_url_name("list")) + "?status=held"


class GuestbookViewSet(SnippetViewSet):
    model = GuestbookEntry
    icon = "openquote"
    menu_label = gettext_lazy("Guestbook")
    index_view_class = QueueIndexView
    list_display = ["name", "place", "excerpt", "status", "created_at"]
    list_filter = ["status"]
    ordering = ["-created_at"]
    copy_view_enabled = False

    @property
    def menu_url(self) -> str:
        return reverse(self.get_url_name("list")) + "?status=held"


class LetterViewSet(SnippetViewSet):
    model = Letter
    icon = "mail"
    menu_label = gettext_lazy("Letters to the editor")
    list_display = ["subject", "name", "status", "mailed", "created_at"]
    list_filter = ["status", "mailed"]
    ordering = ["-created_at"]
    copy_view_enabled = False


class AuthorMessageViewSet(SnippetViewSet):
    model = AuthorMessage
    icon = "mail"
    menu_label = gettext_lazy("Messages to authors")
    list_display = ["subject", "name", "author", "mailed", "created_at"]
    list_filter = ["mailed", "spam"]
    ordering = ["-created_at"]
    copy_view_enabled = False


ROW_ACTIONS = (
    ("approve", gettext_lazy("Approve"), CommentStatus.APPROVED),
    ("spam", gettext_lazy("Spam"), CommentStatus.SPAM),
    ("remove", gettext_lazy("Remove"), CommentStatus.REMOVED),
)


@hooks.register("register_snippet_listing_buttons")
def moderation_row_buttons(instance: Any, user: Any, next_url: str | None = None) -> list:
    """Approve, Spam and Remove on each row of the comment and guestbook queues (each opens
    the same confirmation as the bulk action, for that one item); only the actions that change
    the item's status, and only for those who may change it. On a forum post that a ban in
    force covers, *Approve* reads "Approve despite the ban"."""
    from wagtail.admin.widgets.button import ListingButton

    if not isinstance(instance, Comment | GuestbookEntry | Post):
        return []
    meta = instance._meta
    if not user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        return []
    buttons = []
    banned = getattr(instance, "ban", None) is not None  # forums_admin.PostQueueIndexView
    for action, label, status in ROW_ACTIONS:
        if instance.status == status:
            continue
        if banned and status == CommentStatus.APPROVED:
            label = gettext_lazy("Approve despite the ban")
        url = reverse("wagtail_bulk_action", args=(meta.app_label, meta.model_name, action))
        query = urlencode({"id": instance.pk, "next": queue_url() or next_url or ""})
        buttons.append(
            ListingButton(
                label,
                f"{url}?{query}",
                attrs={"aria-label": f"{label}: {instance}"},
                priority=10 + len(buttons),
            )
        )
    return buttons


class DiscussionGroup(SnippetViewSetGroup):
    # forum posts are moderated in the same queue, with the same actions, as comments
    items = (
        CommentViewSet,
        forums_admin.PostViewSet,
        GuestbookViewSet,
        LetterViewSet,
        AuthorMessageViewSet,
    )
    menu_icon = "comment"
    menu_label = gettext_lazy("Discussion")
    menu_name = "discussion"


register_snippet(DiscussionGroup)
register_snippet(forums_admin.ForumsGroup)
hooks.register("register_admin_urls", forums_admin.admin_urls)
hooks.register("register_admin_viewset", lambda: forums_admin_bans.reader_chooser)
hooks.register("register_log_actions", forums_admin.register_log_actions)
for _action in (
    *forums_admin.TOPIC_ACTIONS,
    forums_admin.MoveTopicsBulkAction,
    forums_admin.MergeTopicsBulkAction,
):
    hooks.register("register_bulk_action", _action)


class ModerationBulkAction(SnippetBulkAction):
    """Set the moderation state of the ticked comments, guestbook entries or forum posts."""

    template_name = "discussion/bulk_confirm.html"
    status: str = ""
    question: Any = ""
    button: Any = ""

    @classproperty
    def models(cls) -> list[type]:
        return [Comment, GuestbookEntry, Post]

    def check_perm(self, obj: Any) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            action_title=self.display_name,
            action_question=self.question,
            action_button=self.button,
        )
        return context

    @classmethod
    def execute_action(cls, objects: list[Any], **kwargs: Any) -> tuple[int, int]:
        model = kwargs["self"].model
        if model is Post:  # logged in Wagtail's audit log
            return moderate_posts(objects, cls.status, user=kwargs["self"].request.user), 0
        if model is Comment:
            return moderate_comments(objects, cls.status), 0
        return moderate_guestbook(objects, cls.status), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)s item marked “%(status)s”.",
            "%(count)s items marked “%(status)s”.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": CommentStatus(self.status).label}


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected items")
    action_priority = 10
    status = CommentStatus.APPROVED
    question = gettext_lazy("Approve these items?")
    button = gettext_lazy("Yes, approve")


@hooks.register("register_bulk_action")
class SpamBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Spam")
    action_type = "spam"
    aria_label = gettext_lazy("Mark the selected items as spam")
    action_priority = 20
    status = CommentStatus.SPAM
    question = gettext_lazy("Mark as spam these items?")
    button = gettext_lazy("Yes, mark as spam")


@hooks.register("register_bulk_action")
class RemoveBulkAction(ModerationBulkAction):
    display_name = gettext_lazy("Remove")
    action_type = "remove"
    aria_label = gettext_lazy("Remove the selected items")
    action_priority = 25
    status = CommentStatus.REMOVED
    question = gettext_lazy("Remove these items?")
    button = gettext_lazy("Yes, remove")


@hooks.register("register_bulk_action")
class PublishLetterBulkAction(SnippetBulkAction):
    """Publish each ticked letter as a story in the "Letters" section."""

    display_name = gettext_lazy("Publish as story")
    action_type = "publish-letter"
    aria_label = gettext_lazy("Publish the selected letters as stories")
    action_priority = 10
    template_name = "discussion/bulk_confirm.html"

    @classproperty
    def models(cls) -> list[type]:
        return [Letter]

    def check_perm(self, obj: Any) -> bool:
        from wagtail.permission_policies.pages import PagePermissionPolicy

        user = self.request.user
        return self.permission_policy.user_has_permission_for_instance(
            user, "change", obj
        ) and PagePermissionPolicy().user_has_permission(user, "publish")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            action_title=_("Publish as story"),
            action_question=_(
                "Publish these letters as stories in the Letters section? The writer's name is "
                "shown; the e-mail address is not."
            ),
            action_button=_("Yes, publish"),
        )
        return context

    @classmethod
    def execute_action(cls, objects: list[Any], **kwargs: Any) -> tuple[int, int]:
        user = kwargs["self"].request.user
        for letter in objects:
            publish_letter(letter, user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)s letter published in the Letters section.",
            "%(count)s letters published in the Letters section.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
