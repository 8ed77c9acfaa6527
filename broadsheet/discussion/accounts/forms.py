"""The reader's own forms: the extra sign-up fields, the profile, deleting the account.

Text is normalised as every reader form's is (:mod:`broadsheet.discussion.cleaning`: Unicode
NFC, control characters removed, one line for a name); a field left empty by the
normalisation is refused with the field's error, and the reader's values come back in the form.

A display name is refused when it holds a web address or a domain (it is quoted in mails, where
a mail client would make a link of it: ``content.readers.names.link_in``), and when it reads
the same as another reader's, as "moderator" and the other reserved words, or as the
newsroom's name (``content.readers.names.skeleton``: NFKC, Unicode's confusables, case
folding — ``Ѕаrа`` in Cyrillic letters is ``Sara``), or holds a reserved word or the
newsroom's name among its words (``content.readers.names.reserved_in``: "The Admin").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from broadsheet.content.readers.models import MAX_BIO, MAX_DISPLAY_NAME, Reader
from broadsheet.content.readers.names import link_in, reserved_in, skeletons
from broadsheet.content.readers.services import make_reader

from ..cleaning import normalize_line, normalize_text


def _language_choices() -> list[tuple[str, str]]:
    """Each language in its own name ("English", "فارسی"), whatever the page's language: a
    reader looks for their own language's name, not its name in another language."""
    return [
        (code, translation.get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES
    ]


class _DisplayName(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Display name"),
            max_length=MAX_DISPLAY_NAME,
            help_text=_("Shown on your posts."),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        cleaned = normalize_line(super().clean(value) or "")
        if not cleaned:
            raise forms.ValidationError(_("Please give a name to show on your posts."))
        link = link_in(cleaned)
        if link:
            raise forms.ValidationError(
                _(
                    "A name cannot hold a web address or a domain (“%(link)s”): your name is "
                    "quoted in our mails, where it would become a link. Please write it without."
                )
                % {"link": link}
            )
        return cleaned


def newsroom_names() -> tuple[str, ...]:
    """The newsroom's names: every site's and edition's ``site_name`` and Wagtail's."""
    from broadsheet.content.newsroom.edition_models import EditionSettings
    from broadsheet.content.newsroom.models import NewsroomSettings

    names = {getattr(settings, "WAGTAIL_SITE_NAME", "")}
    names.update(NewsroomSettings.objects.values_list("site_name", flat=True))
    names.update(EditionSettings.objects.values_list("site_name", flat=True))
    return tuple(sorted(n for n in names if n))


def check_look_alike(name: str, user_id: int | None = None) -> None:
    """``ValidationError`` (with the reason) when display ``name`` reads the same as a
    reserved word or the newsroom's name or holds one among its words, or reads the same as
    another reader's name (not ``user_id``'s own)."""
    keys = skeletons(name)
    if not keys:
        raise forms.ValidationError(_("Please use at least one letter or digit in your name."))
    if reserved_in(name, newsroom_names()):
        raise forms.ValidationError(
            _("This name is kept for the newsroom and its moderators. Please choose another.")
        )
    others = Reader.objects.filter(name_key__in=keys)
    if user_id is not None:
        others = others.exclude(user_id=user_id)
    if others.exists():
        raise forms.ValidationError(
            _(
                "Another reader’s name reads the same as this one (letters that look alike "
                "count as the same). Please choose another."
            )
        )


class ReaderSignupForm(forms.Form):
    """The fields allauth's sign-up form gets besides e-mail and password
    (``ACCOUNT_SIGNUP_FORM_CLASS``); :meth:`signup` makes the account a reader's."""

    display_name = _DisplayName()
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()  # the page's edition's

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        check_look_alike(name)
        return name

    def signup(self, request: Any, user: Any) -> None:
        """Called by allauth once the user is saved: create the reader profile."""
        make_reader(user, self.cleaned_data["display_name"], self.cleaned_data["language"])


class ProfileForm(forms.ModelForm):
    """Display name, short bio and language of a reader, and their default for mail about
    the topics they take part in."""

    display_name = _DisplayName()
    bio = forms.CharField(
        label=_("Short bio"), max_length=MAX_BIO, required=False, widget=forms.Textarea
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)

    class Meta:
        model = Reader
        fields = ["display_name", "bio", "language", "forum_mail"]

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        check_look_alike(name, self.instance.user_id)
        return name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum_mail"].required = False  # a form without it keeps the profile's

    def clean_forum_mail(self) -> str:
        return self.cleaned_data.get("forum_mail") or self.instance.forum_mail

    def clean_bio(self) -> str:
        return normalize_text(self.cleaned_data.get("bio") or "")


class DeleteAccountForm(forms.Form):
    """Deleting one's own account: what becomes of one's posts, and the password again."""

    KEEP, DELETE = "keep", "delete"
    posts = forms.ChoiceField(
        label=_("Your posts"),
        widget=forms.RadioSelect,
        choices=[
            (KEEP, _("Keep them, shown under “former member”")),
            (DELETE, _("Delete them with my account")),
        ],
        initial=KEEP,
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
