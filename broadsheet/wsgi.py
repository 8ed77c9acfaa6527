"""WSGI entry point: ``broadsheet.wsgi:application``.

With production settings the security checks run when the application loads, so a server
without ``EMAIL_URL`` or a shared ``CACHE_URL`` refuses to start (docs/security.md).
"""

import os

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.production")
application = get_wsgi_application()

if getattr(settings, "BROADSHEET_PRODUCTION", False):
    _serious = [m for m in checks.run_checks(tags=["security"]) if m.is_serious()]
    if _serious:
        raise ImproperlyConfigured("\n".join(str(m) for m in _serious))
