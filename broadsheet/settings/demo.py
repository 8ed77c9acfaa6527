"""The demo newsroom (``broadsheet demo``): the development settings, serving the baked site.

The demo command starts itself again under these settings with the address it serves on in the
environment (``BROADSHEET_BASE_URL``, ``ALLOWED_HOSTS``), so nothing changes settings at run
time. The baked files in ``var/site`` are answered first; the admin, the forms' endpoints,
search and pages not baked yet fall through to the live views.
"""

from .dev import *  # noqa: F403
from .dev import MIDDLEWARE

DEBUG = False  # readers get the real 404/410 pages, not Django's debug pages
MIDDLEWARE = ["broadsheet.publishing.middleware.BakedSiteMiddleware", *MIDDLEWARE]
