"""The forums in the Wagtail admin: forum posts in the discussion's moderation queue (the
same Approve, Spam and Remove actions as comments: ``broadsheet.discussion.wagtail_hooks``),
and a "Forums" menu of boards, topics (Hide, Show, Lock, Unlock, Pin, Unpin, Move, Merge),
reports and bans. Every moderator action is in Wagtail's audit log
(``broadsheet.content.forums.moderation``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import classproperty
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from broadsheet.content.forums import bans
from broadsheet.content.forums.models import Board, Post, Report, Topic
from broadsheet.content.forums.moderation import (
    ACTIONS,
    flag_topics,
    merge_topics,
    move_topic,
)
from broadsheet.content.readers.models import account_label

from ..queue import QueueIndexView
from .admin_bans import BanViewSet


class YesNoColumn(BooleanColumn):
    """Wagtail's tick/cross column, its icons titled in the editor's language."""

    cell_template_name = "discussion/yes_no_cell.html"


def account_column(field: str, label: Any) -> Column:
    """A column naming the account in ``field`` as moderators know readers: display name and
    e-mail address (``readers.account_label``), never the internal username."""
    return Column(
        field, label=capfirst(label), accessor=lambda obj: account_label(getattr(obj, field))
    )


class PostQueueIndexView(QueueIndexView):
    """The forum posts' queue: each post of the page that a ban in force covers (its author's
    account, or the address it was sent from) is marked *banned* — the bans read once per
    page, not per row."""

    def get_table(self, object_list: Any) -> Any:
        posts = list(object_list)
        in_force = list(bans.active())
        for post in posts:
            post.ban = bans.matching(in_force, post.author_id, post.ip_address)
        return super().get_table(posts)


def banned_label(post: Post) -> Any:
    """The queue's *Ban* cell: "banned" (and the ban's reason) when a ban in force covers
    the post, else nothing."""
    ban = getattr(post, "ban", None)
    if ban is None:
        return ""
    marker = pgettext_lazy("a post in the moderation queue", "banned")
    return f"{marker}: {ban.reason}" if ban.reason else marker


class PostViewSet(SnippetViewSet):
    """Forum posts: the moderation queue opens on held posts; ``?reported=1`` (the
    "reported" filter) shows posts with an open report. A row's *Approve*, *Spam*, *Remove*
    come back to the queue they were pressed in (:class:`~..queue.QueueIndexView`); a post
    of a banned reader or address range is marked *banned* (:class:`PostQueueIndexView`)."""

    model = Post
    icon = "comment"
    menu_label = _("Forum posts")
    index_view_class = PostQueueIndexView
    list_display = [
        "excerpt",
        "topic",
        account_column("author", _("author")),
        "status",
        Column("ban", label=capfirst(_("ban")), accessor=banned_label),
        "created_at",
    ]
    list_filter = ["status"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    add_view_enabled = False
    panels = [
        FieldPanel("status"),
        FieldPanel("text"),
        FieldPanel("topic", read_only=True),
        FieldPanel("author", read_only=True),
        FieldPanel("created_at", read_only=True),
        FieldPanel("ip_address", read_only=True),
    ]

    @property
    def menu_url(self) -> str:
        return reverse(self.get_url_name("list")) + "?status=held"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Post.objects.select_related("author__reader", "topic")


class BoardViewSet(SnippetViewSet):
    model = Board
    icon = "folder-open-inverse"
    menu_label = _("Boards")
    list_display = ["title", "slug", "language", "position", "topics_count", "posts_count"]
    ordering = ["position", "title"]
    copy_view_enabled = False


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "list-ul"
    menu_label = _("Topics")
    list_display = [
        "title",
        "board",
        "posts_count",
        YesNoColumn("pinned", label=_("pinned")),
        YesNoColumn("locked", label=_("locked")),
        YesNoColumn("hidden", label=_("hidden")),
        "last_post_at",
    ]
    list_filter = ["board", "hidden", "locked", "pinned"]
    ordering = ["-last_post_at"]
    copy_view_enabled = False
    add_view_enabled = False
    panels = [FieldPanel("title")]  # moving, hiding… are the listing's logged actions


class ReportViewSet(SnippetViewSet):
    model = Report
    icon = "warning"
    menu_label = _("Reports")
    list_display = [
        "post",
        "reason",
        account_column("reporter", _("reporter")),
        YesNoColumn("resolved", label=_("resolved")),
        "created_at",
    ]
    list_filter = ["resolved"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    add_view_enabled = False

    @property
    def menu_url(self) -> str:
        return reverse(self.get_url_name("list")) + "?resolved=false"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Report.objects.select_related("reporter__reader", "post")


class ForumsGroup(SnippetViewSetGroup):
    items = (BoardViewSet, TopicViewSet, ReportViewSet, BanViewSet)
    menu_icon = "group"
    menu_label = _("Forums")
    menu_name = "forums"


class TopicBulkAction(SnippetBulkAction):
    """Hide, show, lock, unlock, pin or unpin the ticked topics (logged)."""

    template_name = "discussion/bulk_confirm.html"
    flag = ""
    #: "Hide these topics?", "Yes, hide them": whole sentences, so that a translation can
    #: order its words as its language does
    question: Any = ""
    yes: Any = ""
    done: Any = ""

    @classproperty
    def models(cls) -> list[type]:
        return [Topic]

    def check_perm(self, obj: Any) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            action_title=self.display_name,
            action_question=self.question,
            action_button=self.yes,
        )
        return context

    @classmethod
    def execute_action(cls, objects: list[Any], **kwargs: Any) -> tuple[int, int]:
        return flag_topics(objects, cls.flag, user=kwargs["self"].request.user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d topic: %(action)s.", "%(count)d topics: %(action)s.", num_parent_objects
        ) % {"count": num_parent_objects, "action": self.done}


def _topic_action(flag: str, words: tuple[Any, ...], priority: int) -> type:
    label, aria_label, question, yes, done = words
    return type(
        f"{flag.title()}TopicBulkAction",
        (TopicBulkAction,),
        {
            "display_name": label,
            "action_type": f"forum-{flag}",
            "aria_label": aria_label,
            "question": question,
            "yes": yes,
            "done": done,
            "action_priority": priority,
            "flag": flag,
        },
    )


#: flag → (button, its aria-label, the confirmation's question, its "yes", the result)
_TOPIC_WORDS = {
    "hide": (
        _("Hide"),
        _("Hide the selected topics"),
        _("Hide these topics?"),
        _("Yes, hide them"),
        _("hidden"),
    ),
    "show": (
        _("Show"),
        _("Show the selected topics"),
        _("Show these topics?"),
        _("Yes, show them"),
        _("shown"),
    ),
    "lock": (
        _("Lock"),
        _("Lock the selected topics"),
        _("Lock these topics?"),
        _("Yes, lock them"),
        _("locked"),
    ),
    "unlock": (
        _("Unlock"),
        _("Unlock the selected topics"),
        _("Unlock these topics?"),
        _("Yes, unlock them"),
        _("unlocked"),
    ),
    "pin": (
        _("Pin"),
        _("Pin the selected topics"),
        _("Pin these topics?"),
        _("Yes, pin them"),
        _("pinned"),
    ),
    "unpin": (
        _("Unpin"),
        _("Unpin the selected topics"),
        _("Unpin these topics?"),
        _("Yes, unpin them"),
        _("unpinned"),
    ),
}

TOPIC_ACTIONS = [
    _topic_action(flag, words, 10 + n) for n, (flag, words) in enumerate(_TOPIC_WORDS.items())
]


class MoveForm(forms.Form):
    board = forms.ModelChoiceField(queryset=Board.objects.all(), label=_("To the board"))


class MoveTopicsBulkAction(TopicBulkAction):
    display_name = _("Move")
    action_type = "forum-move"
    aria_label = _("Move the selected topics to another board")
    question = _("Move these topics to the board you choose?")
    yes = _("Yes, move them")
    done = _("moved")
    action_priority = 30
    form_class = MoveForm
    template_name = "discussion/bulk_form.html"

    @classmethod
    def execute_action(cls, objects: list[Any], **kwargs: Any) -> tuple[int, int]:
        view = kwargs["self"]
        board = view.cleaned_form.cleaned_data["board"]
        for topic in objects:
            move_topic(topic, board, user=view.request.user)
        return len(objects), 0


class MergeTopicsBulkAction(TopicBulkAction):
    display_name = _("Merge")
    action_type = "forum-merge"
    aria_label = _("Merge the selected topics into the oldest one")
    action_priority = 31
    question = _(
        "Merge these topics into the oldest of them? Their posts move there, in time "
        "order, and the other topics are deleted."
    )
    yes = _("Yes, merge them")
    done = _("merged")

    @classmethod
    def execute_action(cls, objects: list[Any], **kwargs: Any) -> tuple[int, int]:
        ordered = sorted(objects, key=lambda t: (t.created_at, t.pk))
        merge_topics(ordered[0], ordered[1:], user=kwargs["self"].request.user)
        return len(ordered), 0


def register_log_actions(actions: Any) -> None:
    """The audit log's forum actions (hook ``register_log_actions``)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def forums_home(request: HttpRequest) -> HttpResponseRedirect:
    """``/admin/forums/``: the forums' moderation queue (held posts), where a moderator
    starts; the Forums menu has the boards, topics, reports and bans."""
    return HttpResponseRedirect(reverse("wagtailsnippets_forums_post:list") + "?status=held")


def admin_urls() -> list:
    """The admin URLs of the forums (hook ``register_admin_urls``; Wagtail wraps them in its
    admin access check)."""
    return [path("forums/", forums_home, name="forums_home")]
