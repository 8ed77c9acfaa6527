"""System checks that keep a production deployment from starting half configured.

They run with every management command (``migrate``, ``db_worker``, ``check``…) and when the
WSGI application is loaded (``broadsheet.wsgi``), but only with ``BROADSHEET_PRODUCTION`` set
(``broadsheet.settings.production``): the demo and development keep console mail and a
per-process cache.

* ``security.E001`` no ``EMAIL_URL``: mail would be printed to a log (with the authors'
  private addresses) and marked as sent.
* ``security.E002`` ``EMAIL_URL`` sends passwords and letters in plain text to another machine.
* ``security.E003`` no shared ``CACHE_URL``: rate limits and login throttles would count per
  process (two processes let twice the limit through).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from broadsheet.settings.envurls import NON_DELIVERING_MAIL, PER_PROCESS_CACHES


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register("security")
def production_services(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Mail and cache of a production deployment (see the module's docstring)."""
    if not getattr(settings, "BROADSHEET_PRODUCTION", False):
        return []
    errors: list[CheckMessage] = []
    if settings.EMAIL_BACKEND in NON_DELIVERING_MAIL:
        errors.append(
            Error(
                "No mail server: letters and messages to authors would not be delivered.",
                hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587",
                id="security.E001",
            )
        )
    elif (
        settings.EMAIL_BACKEND.endswith(("smtp.EmailBackend", "security.mail.EmailBackend"))
        and not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL)
        and not _is_loopback(settings.EMAIL_HOST)
    ):
        errors.append(
            Error(
                f"EMAIL_URL sends mail to {settings.EMAIL_HOST} without TLS.",
                hint="Drop ?tls=0 (STARTTLS) or use smtps://",
                id="security.E002",
            )
        )
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        errors.append(
            Error(
                "The cache is each process's own: rate limits and login throttles would not "
                "hold across processes.",
                hint="Set CACHE_URL, e.g. redis://127.0.0.1:6379/0 or db://",
                id="security.E003",
            )
        )
    return errors
