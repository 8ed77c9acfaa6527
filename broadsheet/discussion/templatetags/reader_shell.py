"""``{% reader_shell "head" %}``, ``"middle"``, ``"tail"``: the reader page around a Django
template (see :mod:`broadsheet.discussion.accounts.shell`); ``{{ message|notice_lang }}``: the
``lang``/``dir`` attributes of a message in another language than the page's
(:mod:`broadsheet.discussion.accounts.notices`); ``{% already_confirmed as done %}``: whether
the confirmation link of the page names an address already confirmed."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..accounts.language import confirmed_address
from ..accounts.notices import language_attrs
from ..accounts.shell import shell_parts

register = template.Library()

PARTS = {"head": 0, "middle": 1, "tail": 2}


@register.simple_tag(takes_context=True)
def reader_shell(context: template.Context, part: str) -> SafeString:
    """One of the three parts of the reader page (rendered by the autoescaping Jinja2
    renderer, so safe as it is)."""
    return mark_safe(shell_parts(context["request"])[PARTS[part]])


@register.filter
def notice_lang(message: object) -> SafeString:
    """`` lang="fa" dir="rtl"`` for a message written in another language than the page's."""
    return language_attrs(message)


@register.simple_tag(takes_context=True)
def already_confirmed(context: template.Context) -> bool:
    """Whether the confirmation link of this page (``/accounts/confirm-email/<key>/``) names
    an address that is already confirmed (the link followed a second time)."""
    match = getattr(context.get("request"), "resolver_match", None)
    key = match.kwargs.get("key", "") if match is not None else ""
    return bool(key) and confirmed_address(key) is not None
