"""The demo newsroom (``broadsheet demo``): the development settings, serving the baked site.

The demo command starts itself again under these settings with the address it serves on in the
environment (``BROADSHEET_BASE_URL``, ``ALLOWED_HOSTS``), so nothing changes settings at run
time. The baked files in ``var/site`` are answered first; the admin, the forms' endpoints,
search and pages not baked yet fall through to the live views.
"""

from .dev import *  # noqa: F403
from .dev import MIDDLEWARE, env_bool

# The demo's admin on this machine signs in with its printed password alone; set
# BROADSHEET_SECOND_FACTOR_REQUIRED=1 to try the two-factor enrolment (docs/security.md).
BROADSHEET_SECOND_FACTOR_REQUIRED = env_bool("BROADSHEET_SECOND_FACTOR_REQUIRED", False)
DEBUG = False  # readers get the real 404/410 pages, not Django's debug pages
# The baked files are answered inside the security, CSP and host-checking middleware, so they
# carry the live pages' headers and answer only the demo's own host names.
_REDIRECTS = MIDDLEWARE.index("wagtail.contrib.redirects.middleware.RedirectMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[:_REDIRECTS],
    "broadsheet.publishing.middleware.BakedSiteMiddleware",
    *MIDDLEWARE[_REDIRECTS:],
]

# The task worker (``db_worker``, started by the demo) logs two INFO lines per task ("Task
# id=… state=RUNNING/SUCCESSFUL"): on the demo's console they buried the mail it prints. Only
# warnings and failures of the tasks are shown (``db_worker`` sets these loggers' level from
# its verbosity; the handler's level still drops the INFO lines).
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "console_warnings": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "level": "WARNING",
        },
    },
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        **{
            name: {"handlers": ["console_warnings"], "level": "WARNING", "propagate": False}
            for name in ("django_tasks", "django_tasks_db")
        },
    },
}
