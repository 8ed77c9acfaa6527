"""The admin's part of one-click edit (:mod:`.editlink`): every admin page loads
``broadsheet/admin-editor.js``, which marks this browser as a signed-in editor's (a
localStorage flag, cleared on sign-out)."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def editor_flag_script() -> str:
    """The script tag (first-party, no inline script)."""
    return format_html('<script src="{}"></script>', static("broadsheet/admin-editor.js"))
