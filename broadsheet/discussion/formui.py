"""Reader forms as plain data: :class:`FormUI` (where it posts, its token, its fields) for the
one Jinja2 macro that draws every form (``_discussion.html``). Labels, hints and submit texts
are English msgids (``gettext_noop``): the macro translates them in the page's language.

Forms on pages that get baked carry the *stable* token of their target (issued at 0), so a page
bakes to the same bytes every time, and ``token_url``: where the page's script fetches a fresh
token when the reader first sees the form (:mod:`.formtoken`). The live answer page carries a
fresh token (see :mod:`.guard`) and no ``token_url``. Forms post to the live endpoints declared
in the site registry, on the context's ``live_url``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext_noop as _

from broadsheet.content.discussion import conf
from broadsheet.site.build import Build

from .guard import issue_token

FORM_KINDS = ("comment", "guestbook", "letter", "author")


@dataclass(frozen=True, slots=True)
class FieldUI:
    """One visible field: ``kind`` is ``text``, ``email`` or ``textarea``; ``maxlength`` in
    characters; ``error`` the reason it was refused ("" if none)."""

    name: str
    label: str
    kind: str
    required: bool
    maxlength: int
    autocomplete: str = "off"
    hint: str = ""
    value: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class FormUI:
    """A reader form: where it posts, its token, hidden fields, visible fields, submit label
    and form-wide messages (``errors``); ``token_url``: where a baked form's script fetches a
    fresh token ("" on a live page whose token is fresh already)."""

    kind: str
    action: str
    token: str
    hidden: tuple[tuple[str, str], ...]
    fields: tuple[FieldUI, ...]
    submit: str
    errors: tuple[str, ...] = ()
    id: str = ""
    token_url: str = ""


def _specs(kind: str) -> tuple[list[FieldUI], str]:
    name = FieldUI("name", _("Name"), "text", True, conf.get("MAX_NAME"), "name")
    if kind == "comment":
        return [
            name,
            FieldUI(
                "email", _("E-mail"), "email", False, 254, "email", _("Optional. Never shown.")
            ),
            FieldUI(
                "text",
                _("Comment"),
                "textarea",
                True,
                conf.get("MAX_COMMENT"),
                hint=_(
                    "Plain text; web addresses become links. Comments are read by an editor "
                    "before they appear."
                ),
            ),
        ], _("Send comment")
    if kind == "guestbook":
        return [
            name,
            FieldUI("place", _("Place"), "text", False, conf.get("MAX_PLACE"), "address-level2"),
            FieldUI(
                "text",
                _("Message"),
                "textarea",
                True,
                conf.get("MAX_GUESTBOOK"),
                hint=_("Entries are read by an editor before they appear."),
            ),
        ], _("Sign the guestbook")
    email = FieldUI(
        "email", _("E-mail"), "email", True, 254, "email", _("For a reply; never shown.")
    )
    subject = FieldUI("subject", _("Subject"), "text", True, conf.get("MAX_SUBJECT"))
    if kind == "letter":
        return [
            name,
            email,
            subject,
            FieldUI("text", _("Letter"), "textarea", True, conf.get("MAX_LETTER")),
        ], _("Send to the editor")
    if kind == "author":
        return [
            name,
            email,
            subject,
            FieldUI(
                "text",
                _("Message"),
                "textarea",
                True,
                conf.get("MAX_LETTER"),
                hint=_("Your message is forwarded by e-mail; the author can answer you directly."),
            ),
        ], _("Send message")
    raise ValueError(f"unknown form kind {kind!r}")


ENDPOINTS = {
    "comment": "discussion-comment",
    "guestbook": "discussion-guestbook",
    "letter": "discussion-letter",
    "author": "discussion-author",
}


def form_action(build: Build, kind: str, target: str | int = "") -> str:
    """The URL a form posts to, on the live app (``ctx.live_url``; "" = same origin)."""
    if kind not in ENDPOINTS:
        raise ValueError(f"unknown form kind {kind!r}")
    if kind == "author":
        return build.urls.live(ENDPOINTS[kind], slug=target)
    return build.urls.live(ENDPOINTS[kind])


def build_form(
    build: Build,
    kind: str,
    target: str | int = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    form_errors: tuple[str, ...] = (),
    fresh: bool = False,
    hidden: tuple[tuple[str, str], ...] = (),
    id: str = "",
) -> FormUI:
    """Describe a form of ``kind`` for ``target`` (story id, author slug; "" otherwise),
    filled with ``values`` and marked with ``errors`` (field name → message). ``fresh`` issues
    a token with the current time (live answers); otherwise the stable token of baked pages."""
    values = values or {}
    errors = errors or {}
    specs, submit = _specs(kind)
    fields = tuple(
        FieldUI(
            f.name,
            f.label,
            f.kind,
            f.required,
            f.maxlength,
            f.autocomplete,
            f.hint,
            values.get(f.name, ""),
            errors.get(f.name, ""),
        )
        for f in specs
    )
    token = issue_token(kind, target, None if fresh else 0)
    action = form_action(build, kind, target)
    token_url = "" if fresh else token_url_for(build, kind, target)
    return FormUI(kind, action, token, hidden, fields, submit, form_errors, id, token_url)


def token_url_for(build: Build, kind: str, target: str | int = "") -> str:
    """Where a baked form of ``kind`` for ``target`` gets a fresh token (:mod:`.formtoken`):
    ``/discussion/token/?kind=…&target=…`` on the live app."""
    if kind not in ENDPOINTS:
        raise ValueError(f"unknown form kind {kind!r}")
    query = urlencode({"kind": kind, "target": str(target)})
    return build.urls.live("discussion-token") + "?" + query
