"""Django forms validating what readers send (comments, guestbook, letters, author relay).

Every field is normalised (:mod:`.cleaning`) before its length and content are checked, and
every refusal has a message a reader can act on, in the language of the edition the form was
sent to (the views activate it; messages are English msgids translated when they are raised,
numbers written with :func:`~broadsheet.site.dates.number`). The honeypot and the form token are
fields too; :mod:`.views` checks them (:mod:`.guard`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.content.discussion import conf
from broadsheet.site.dates import number

from .cleaning import count_links, normalize_line, normalize_text, visible_length
from .guard import HONEYPOT_FIELD, TOKEN_FIELD


class LineField(forms.CharField):
    """A one-line field (name, place, subject), normalised by :func:`normalize_line`; no links."""

    def __init__(self, *, label: str, max_chars: int, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(label=label, strip=False, **kwargs)

    def to_python(self, value: Any) -> str:
        return normalize_line(str(value)) if value not in self.empty_values else ""

    def validate(self, value: str) -> None:
        label = _(str(self.label))
        if self.required and value in self.empty_values:
            raise ValidationError(
                _("Please fill in “%(field)s”.") % {"field": label.lower()}, code="required"
            )
        super().validate(value)
        if len(value) > self.max_chars:
            raise ValidationError(
                _("“%(field)s” is too long: at most %(max)s characters (this has %(count)s).")
                % {"field": label, "max": number(self.max_chars), "count": number(len(value))}
            )
        if count_links(value):
            raise ValidationError(_("“%(field)s” cannot contain a link.") % {"field": label})


class TextField(forms.CharField):
    """The text of a submission, normalised by :func:`normalize_text`; limits on length and
    links."""

    def __init__(self, *, label: str, max_chars: int, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(
            label=label,
            strip=False,
            widget=forms.Textarea,
            error_messages={"required": gettext_lazy("Please write something before sending.")},
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        return normalize_text(str(value)) if value not in self.empty_values else ""

    def validate(self, value: str) -> None:
        super().validate(value)
        if visible_length(value) < conf.get("MIN_TEXT"):
            raise ValidationError(_("Your text is too short."))
        if len(value) > self.max_chars:
            raise ValidationError(
                _(
                    "Your text is too long: at most %(max)s characters (this has %(count)s). "
                    "Please shorten it."
                )
                % {"max": number(self.max_chars), "count": number(len(value))}
            )
        links = count_links(value)
        if links > conf.get("MAX_LINKS"):
            raise ValidationError(
                _("Your text has %(count)s links; at most %(max)s are allowed.")
                % {"count": number(links), "max": number(conf.get("MAX_LINKS"))}
            )


class AddressField(forms.EmailField):
    """An e-mail address (RFC 5321 length limit, Django's validator)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=254,
            error_messages={
                "invalid": gettext_lazy(
                    "Please give a valid e-mail address, like name@example.org."
                ),
                "required": gettext_lazy(
                    "Please give your e-mail address, so that you can get a reply."
                ),
                "max_length": gettext_lazy("That e-mail address is too long."),
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        return normalize_line(str(value)) if value not in self.empty_values else ""


class ReaderForm(forms.Form):
    """Fields every reader form has: the honeypot (must stay empty) and the form token."""

    website = forms.CharField(required=False, strip=False)
    form_token = forms.CharField(required=False, strip=True, max_length=500)

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, ""))

    @property
    def token(self) -> str:
        return str(self.data.get(TOKEN_FIELD, ""))[:500]


class CommentForm(ReaderForm):
    """A comment on a story (``story``), or a reply to one of its comments (``parent``)."""

    story = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        error_messages={
            "invalid": gettext_lazy("This form does not name a story."),
            "required": gettext_lazy("This form does not name a story."),
        },
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={"invalid": gettext_lazy("This reply does not name a comment.")},
    )
    name = LineField(label="Name", max_chars=conf.get("MAX_NAME"))
    email = AddressField(required=False)
    text = TextField(label="Comment", max_chars=conf.get("MAX_COMMENT"))


class GuestbookForm(ReaderForm):
    """An entry in the guestbook."""

    name = LineField(label="Name", max_chars=conf.get("MAX_NAME"))
    place = LineField(label="Place", max_chars=conf.get("MAX_PLACE"), required=False)
    text = TextField(label="Message", max_chars=conf.get("MAX_GUESTBOOK"))


class LetterForm(ReaderForm):
    """A letter to the editor."""

    name = LineField(label="Name", max_chars=conf.get("MAX_NAME"))
    email = AddressField()
    subject = LineField(label="Subject", max_chars=conf.get("MAX_SUBJECT"))
    text = TextField(label="Letter", max_chars=conf.get("MAX_LETTER"))


class AuthorMessageForm(ReaderForm):
    """A message relayed to an author."""

    name = LineField(label="Name", max_chars=conf.get("MAX_NAME"))
    email = AddressField()
    subject = LineField(label="Subject", max_chars=conf.get("MAX_SUBJECT"))
    text = TextField(label="Message", max_chars=conf.get("MAX_LETTER"))
