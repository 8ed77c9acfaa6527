"""Who needs a second factor, and the devices that give it (django-otp).

An editor proves the second factor with a TOTP code (RFC 6238: an authenticator app, 6 digits,
30-second steps) or, once each, one of ten recovery codes (django-otp's static tokens). It is
required of everyone who can publish a page or administer accounts; other editors may enrol.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.permission_policies.pages import PagePermissionPolicy

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
REMOVED_ACTION = "broadsheet.second_factor_removed"  # in Wagtail's audit log

logger = logging.getLogger(__name__)


def requires_second_factor(user: Any) -> bool:
    """Whether ``user`` must use a second factor: a superuser, anyone who may publish a page,
    or anyone who may change other accounts — unless ``BROADSHEET_SECOND_FACTOR_REQUIRED`` is
    off (the demo on this machine, and tests of other things)."""
    if not getattr(settings, "BROADSHEET_SECOND_FACTOR_REQUIRED", True):
        return False
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or PagePermissionPolicy().user_has_permission(user, "publish")
        or user.has_perm("auth.change_user")
    )


def has_second_factor(user: Any) -> bool:
    """Whether ``user`` has a confirmed device (an authenticator app)."""
    return user_has_device(user, confirmed=True)


def pending_totp(user: Any) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created (with a new random key) if there
    is none; confirmed once the user typed a code it gives."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with :data:`RECOVERY_CODES` new random ones (shown
    once; each works once). Returns them."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def match_code(user: Any, code: str) -> Any | None:
    """The user's confirmed device that accepts ``code`` (a TOTP code or an unused recovery
    code, which is then used up), or None."""
    code = "".join(code.split())
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def remove_second_factor(user: Any, by: Any) -> int:
    """Delete every device of ``user`` (authenticator apps, recovery codes, enrolled or not):
    the editor who lost the phone enrols again at the next request to the admin (their
    sessions' verification named a device that is gone). Recorded in Wagtail's audit log on the
    account (action ``broadsheet.second_factor_removed``, by ``by``) and logged. Returns the
    number of devices removed."""
    from wagtail.log_actions import log

    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    log(instance=user, action=REMOVED_ACTION, user=by, data={"devices": len(devices)})
    logger.warning(
        "Second factor of %s removed by %s (%d devices)", user.get_username(), by, len(devices)
    )
    return len(devices)
