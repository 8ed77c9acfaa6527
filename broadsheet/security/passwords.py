"""Password rules, written for readers and editors in their language.

Django's ``MinimumLengthValidator`` puts its number into the translated sentence with ``%d``:
Latin digits inside a Persian sentence ("دست‌کم 12 نویسه"). :class:`MinimumLengthValidator`
is the same rule, its number written as the active language writes numbers
(:func:`broadsheet.site.dates.number`: Persian digits in Persian).
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from broadsheet.site.dates import number


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule (``AUTH_PASSWORD_VALIDATORS``), its number in the
    digits of the active language."""

    def get_error_message(self) -> str:
        """ "This password is too short…", the number in the page's digits."""
        return ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            self.min_length,
        ).replace("%d", number(self.min_length))

    def get_help_text(self) -> str:
        """ "Your password must contain at least …", the number in the page's digits."""
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ).replace("%(min_length)d", number(self.min_length))
