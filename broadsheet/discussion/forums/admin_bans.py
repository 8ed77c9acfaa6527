"""Forum bans in the Wagtail admin (*Forums → Bans*): the listing (in force by default, expired
ones marked, one date format), the Ban form — its reader's account picked with a searchable
chooser (Wagtail's :class:`~wagtail.admin.viewsets.chooser.ChooserViewSet`: a modal that
searches readers by display name or e-mail address, page by page, so it works with thousands
of readers; not a ``<select>`` of every account) — and the removal of the banned reader's held
posts when a ban is saved."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.snippets.views.snippets import SnippetViewSet

from broadsheet.content.forums import bans
from broadsheet.content.forums.models import Ban
from broadsheet.content.forums.moderation import remove_held_posts
from broadsheet.content.readers.models import account_label
from broadsheet.content.readers.names import skeleton


def readers() -> Any:
    """Readers' accounts (editors are never banned from the forums: they are not in them),
    by display name, with their profiles."""
    return (
        get_user_model()
        .objects.filter(reader__isnull=False)
        .select_related("reader")
        .order_by("reader__display_name", "pk")
    )


class ReaderSearchForm(BaseFilterForm):
    """The chooser's search: part of a display name (also as its look-alike skeleton, so
    "Sara" finds "Ѕаrа" in Cyrillic letters) or of an e-mail address."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Display name or e-mail address")}),
        required=False,
    )

    def filter(self, objects: Any) -> Any:
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            match = Q(reader__display_name__icontains=query) | Q(email__icontains=query)
            key = skeleton(query)
            if key:
                match |= Q(reader__name_key__contains=key)
            objects = objects.filter(match)
            self.is_searching, self.search_query = True, query
        return objects


class _MayBan:
    """The chooser lists readers' names and addresses: only to those who may ban."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if not (user.has_perm("forums.add_ban") or user.has_perm("forums.change_ban")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class _ReaderListing(_MayBan):
    filter_form_class = ReaderSearchForm

    @property
    def title_column(self) -> Any:
        column = super().title_column
        column.accessor, column.label = account_label, capfirst(_("reader's account"))
        return column


class ReaderChooseView(_ReaderListing, chooser_views.ChooseView):
    pass


class ReaderChooseResultsView(_ReaderListing, chooser_views.ChooseResultsView):
    pass


class ReaderChosenView(_MayBan, chooser_views.ChosenView):
    def get_object(self, pk: Any) -> Any:
        return readers().get(pk=pk)

    def get_display_title(self, instance: Any) -> str:
        return account_label(instance)


class ReaderChooser(BaseChooser):
    """The Ban form's account field: the chosen reader as *Display name <address>*."""

    show_edit_link = False

    def get_display_title(self, instance: Any) -> str:
        return account_label(instance)


class ReaderChooserViewSet(ChooserViewSet):
    """Wagtail's chooser modal over readers' accounts (registered by the discussion
    feature's hooks; not the admin's default widget for user fields)."""

    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = _("Choose a reader")
    choose_another_text = _("Choose another reader")
    choose_view_class = ReaderChooseView
    choose_results_view_class = ReaderChooseResultsView
    chosen_view_class = ReaderChosenView
    base_widget_class = ReaderChooser
    register_widget = False
    per_page = 20

    def get_object_list(self) -> Any:
        return readers()


reader_chooser = ReaderChooserViewSet("forum_reader_chooser", url_prefix="forums/readers")


class BanForm(WagtailAdminModelForm):
    """A ban's form: the account is chosen with :data:`reader_chooser` (readers' accounts
    only: editors are never banned from the forums, they are not in them), each named by
    display name and address.
    *Remove their posts waiting in the queue* (ticked) removes the held posts the ban covers
    when it is saved (``moderation.remove_held_posts``, logged as the moderator's)."""

    remove_held = forms.BooleanField(
        label=_("Remove their posts waiting in the moderation queue"),
        required=False,
        initial=True,
        help_text=_(
            "Held posts of this account or from this address range are removed (logged); "
            "one can still be approved from the queue's “Removed” filter."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            field = self.fields["user"]
            field.queryset = field.queryset.filter(reader__isnull=False).select_related("reader")
            field.label_from_instance = account_label
            field.widget = reader_chooser.widget_class()

    def save(self, commit: bool = True) -> Any:
        ban = super().save(commit=commit)
        if commit and self.cleaned_data.get("remove_held"):
            remove_held_posts(ban, user=getattr(self, "for_user", None))
        return ban


def admin_datetime(value: Any) -> str:
    """A time as the bans' listing writes every one of its times: the admin's localised
    date and time format (``DATETIME_FORMAT`` of the editor's language), in newsroom time."""
    return date_format(localtime(value), "DATETIME_FORMAT") if value else ""


def ban_until(ban: Ban) -> Any:
    """The "Until" of a ban: its date, "permanent" (never expires), or its date marked
    "expired" once it has passed."""
    if ban.expires_at is None:
        return _("permanent")
    if ban.expires_at <= timezone.now():
        return _("%(date)s (expired)") % {"date": admin_datetime(ban.expires_at)}
    return admin_datetime(ban.expires_at)


class BanFilterSet(WagtailFilterSet):
    """The bans' filter: in force (where the Bans menu opens), expired, or all."""

    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[("active", _("in force")), ("expired", _("expired"))],
        empty_label=_("All"),
        method="filter_state",
    )

    class Meta:
        model = Ban
        fields: list[str] = []

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        """``active``: the bans in force now; ``expired``: those whose end has passed."""
        if value == "active":
            return queryset.filter(pk__in=bans.active().values("pk"))
        if value == "expired":
            return queryset.filter(expires_at__lte=timezone.now())
        return queryset


class BanViewSet(SnippetViewSet):
    model = Ban
    icon = "lock"
    menu_label = _("Bans")
    list_display = [
        "__str__",
        Column(
            "user",
            label=capfirst(_("reader's account")),
            accessor=lambda ban: account_label(ban.user),
        ),
        "network",
        "reason",
        Column("expires_at", label=capfirst(_("until")), accessor=ban_until),
        Column(
            "created_at",
            label=capfirst(_("banned")),
            accessor=lambda ban: admin_datetime(ban.created_at),
        ),
    ]
    filterset_class = BanFilterSet
    ordering = ["-created_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("network"),
            FieldPanel("reason"),
            FieldPanel("expires_at", help_text=_("Empty: the ban is permanent.")),
            FieldPanel("remove_held"),
        ],
        base_form_class=BanForm,
    )

    @property
    def menu_url(self) -> str:
        """The bans in force (the listing's *State* filter shows the expired ones too)."""
        return reverse(self.get_url_name("list")) + "?state=active"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Ban.objects.select_related("user__reader")
