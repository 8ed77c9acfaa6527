"""Addresses the newsroom gives readers to open: a mirror's, the site-wide notice's link, the
closing notice's link. One rule for all (:func:`validate_web_address`), used by the Mirror
snippet, the newsroom and edition settings and ``broadsheet freeze --notice-url``."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

__all__ = ["is_web_address", "validate_web_address"]

_WEB = URLValidator(schemes=["http", "https"])


def validate_web_address(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is an absolute ``http://`` or ``https://``
    address with a host and without a user name or password, written as is (no leading or
    trailing space). Refused: ``javascript:`` and ``data:`` in any case or spacing, other
    schemes (``ftp://``), an address without a scheme (``example.org/x``) and a path
    (``/farewell/``), which would lead nowhere in a frozen archive or a mirror."""
    value = value or ""
    parts = urlsplit(value)
    if value != value.strip() or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("An http:// or https:// address."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("An address without a user name or password."), code="userinfo")
    try:
        _WEB(value)
    except ValidationError:
        raise ValidationError(_("An http:// or https:// address."), code="scheme") from None


def is_web_address(value: str) -> bool:
    """Whether :func:`validate_web_address` accepts ``value``."""
    try:
        validate_web_address(value)
    except ValidationError:
        return False
    return True
