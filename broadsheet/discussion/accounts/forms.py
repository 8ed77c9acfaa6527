"""The reader's own forms: the extra sign-up fields, the profile, deleting the account.

Text is normalised as every reader form's is (:mod:`broadsheet.discussion.cleaning`: Unicode
NFC, control characters removed, one line for a name); a field left empty by the
normalisation is refused with the field's error, and the reader's values come back in the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from broadsheet.content.readers.models import MAX_BIO, MAX_DISPLAY_NAME, Reader
from broadsheet.content.readers.services import make_reader

from ..cleaning import normalize_line, normalize_text


def _language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


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
        return cleaned


class ReaderSignupForm(forms.Form):
    """The fields allauth's sign-up form gets besides e-mail and password
    (``ACCOUNT_SIGNUP_FORM_CLASS``); :meth:`signup` makes the account a reader's."""

    display_name = _DisplayName()
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)

    def signup(self, request: Any, user: Any) -> None:
        """Called by allauth once the user is saved: create the reader profile."""
        make_reader(user, self.cleaned_data["display_name"], self.cleaned_data["language"])


class ProfileForm(forms.ModelForm):
    """Display name, short bio and language of a reader."""

    display_name = _DisplayName()
    bio = forms.CharField(
        label=_("Short bio"), max_length=MAX_BIO, required=False, widget=forms.Textarea
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)

    class Meta:
        model = Reader
        fields = ["display_name", "bio", "language"]

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
