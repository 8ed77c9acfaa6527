"""Settings shared by every environment; 12-factor: everything a deployment changes comes from
the environment.

Environment variables:
    DATABASE_URL          database, e.g. ``postgres://user@127.0.0.1:5432/broadsheet``;
                          default SQLite at ``var/broadsheet.sqlite3``
    SECRET_KEY            Django's secret key (required in production)
    ALLOWED_HOSTS         comma-separated host names
    BROADSHEET_BASE_URL   public base URL of the reader site, e.g. ``https://news.example.org``
                          (default: the Wagtail site's hostname and port)
    BROADSHEET_BAKE_DIR   where bakes go: a folder (default ``var/site``) or
                          ``s3://bucket/prefix`` (S3-compatible storage, docs/baking.md)
    BROADSHEET_VAR_DIR    where the database, media and baked site live (default ``var/``)
    TIME_ZONE             the newsroom's time zone (default ``UTC``); dates on pages use it
    DEBUG                 ``1``/``0``
    CACHE_URL             a shared cache, e.g. ``redis://127.0.0.1:6379/0`` or ``db://``
                          (rate limits, search result pages); default: each process's own
                          memory (refused in production); ``CACHE_KEY_PREFIX`` keeps
                          newsrooms sharing one Redis apart
    EMAIL_URL             the mail server, e.g. ``smtp://user:pass@mail.example.org:587``
                          (STARTTLS; ``envurls.py``); default: mail printed to the console
                          (refused in production)
    TRUSTED_PROXIES       comma-separated addresses or networks of the proxies in front of
                          the app (their ``X-Forwarded-For`` is believed); default none
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from .envurls import cache_settings, email_settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("BROADSHEET_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment: ``1/true/yes/on`` are true, ``0/false/no/off`` false.

    Raises ``ValueError`` for anything else, so a typo does not silently flip a setting.
    """
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use 1 or 0)")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
BROADSHEET_BASE_URL = os.environ.get("BROADSHEET_BASE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", BROADSHEET_BASE_URL or "http://127.0.0.1:8000"
).rstrip("/")
if os.environ.get("BROADSHEET_BAKE_DIR"):
    BROADSHEET_BAKE_DIR = os.environ["BROADSHEET_BAKE_DIR"]

# Layers (docs/design.md): content ← site ← features (stories, discussion, syndication, search,
# importers) ← publishing ← demo. Features never import each other; import-linter checks it.
INSTALLED_APPS = [
    "broadsheet.content.newsroom",
    "broadsheet.content.discussion",
    "broadsheet.content.editorial",
    "broadsheet.content.readers",
    "broadsheet.content.forums",
    "broadsheet.content.distribution",
    "broadsheet.site",
    "broadsheet.stories",
    "broadsheet.discussion",
    "broadsheet.syndication",
    "broadsheet.search",
    "broadsheet.importers",
    "broadsheet.security",
    "broadsheet.mirrors",
    "broadsheet.distribution",
    "broadsheet.publishing",
    "broadsheet.demo",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "broadsheet.ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "allauth",  # reader accounts: its account app only, no social providers (docs/forums.md)
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# A form sent without its CSRF cookie: the site's own 403 page, the reader's text shown back.
CSRF_FAILURE_VIEW = "broadsheet.site.views.csrf_failure"
MIDDLEWARE = [
    # first: another Host is refused (400, one warning line) before anything answers it
    "broadsheet.security.middleware.AllowedHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "broadsheet.security.middleware.AdminPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "broadsheet.discussion.accounts.access.ReaderAdminRefusalMiddleware",  # readers: no admin
    "allauth.account.middleware.AccountMiddleware",
    "broadsheet.discussion.accounts.language.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "broadsheet.security.middleware.SecondFactorMiddleware",
    "broadsheet.security.middleware.PasswordResetThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "broadsheet.discussion.accounts.notices.NoticesMiddleware",  # a message lives one redirect
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

# Django templates serve the Wagtail admin. Reader pages are rendered by the site model's
# renderer (broadsheet.site.render) with its own Jinja2 environment.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'broadsheet.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache framework: shared between processes when CACHE_URL names a Redis server.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": cache_settings(CACHE_URL)}
# Several newsrooms (or test runs) on one Redis: each its own prefix.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
# Search result pages are cached this many seconds (0: not cached); see docs/search.md.
BROADSHEET_SEARCH_CACHE_SECONDS = int(os.environ.get("BROADSHEET_SEARCH_CACHE_SECONDS", 60))
# Live pages keep the site-wide facts (sections, settings, tips) at most this many seconds
# per process, and drop them at once when any process changes them (docs/design.md).
BROADSHEET_SITE_FACTS_SECONDS = int(os.environ.get("BROADSHEET_SITE_FACTS_SECONDS", 60))

# Editors' accounts (docs/security.md): argon2 hashes, passwords of 12 characters or more and
# not on the common-passwords list, login throttled and locked out by django-axes, sessions
# that end after SESSION_IDLE_SECONDS without a request, a second factor for publishers.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older hashes still verify, then upgrade
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",  # editors, by user name (/admin/)
    "broadsheet.discussion.accounts.access.ReaderBackend",  # readers, by e-mail (/accounts/)
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one: per address, per account
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", 1))  # or an administrator unlocks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "broadsheet.site.clients.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_VERBOSE = False
# failures are counted per account for both sign-in forms: the admin's user name, the reader's
# e-mail address
AXES_USERNAME_CALLABLE = "broadsheet.discussion.accounts.access.axes_username"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 2 * 60 * 60))
SESSION_SAVE_EVERY_REQUEST = True  # each request moves the end: an idle timeout
# Publishers and administrators must enrol a second factor (TOTP) before using the admin.
BROADSHEET_SECOND_FACTOR_REQUIRED = env_bool("BROADSHEET_SECOND_FACTOR_REQUIRED", True)
BROADSHEET_PASSWORD_RESETS_PER_HOUR = 5  # per client address, and per e-mail address
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {  # Django's rule, its number in the page's digits (Persian in Persian)
        "NAME": "broadsheet.security.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Reader accounts (django-allauth; docs/forums.md): sign-up by e-mail address, confirmed by a
# mail before the first sign-in; every account made there is a reader's (a Reader profile),
# and a reader's account never reaches the admin (broadsheet.discussion.accounts.access).
ACCOUNT_ADAPTER = "broadsheet.discussion.accounts.adapter.ReaderAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "broadsheet.discussion.accounts.forms.ReaderSignupForm"
# allauth's messages and mails name a reader by their display name, never the username
ACCOUNT_USER_DISPLAY = "broadsheet.discussion.accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner following the link confirms nothing
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_ON_GET = False  # /accounts/logout/ asks first (a POST form): a link signs no one out
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
# Failed sign-ins lock out through django-axes, as the editors' do (AXES_FAILURE_LIMIT per
# address and per account); allauth's own limits are a looser second line, so that the lockout
# answers first. Sign-ups, reset and confirmation mails: per address / per account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,10/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/h/key",
    "confirm_email": "1/3m/key",
}
LOGIN_URL = "/accounts/login/"  # the readers' (editors are sent to /admin/login/ by Wagtail)
LOGIN_REDIRECT_URL = "/accounts/profile/"
WAGTAILADMIN_USER_LOGIN_FORM = "broadsheet.discussion.accounts.access.AdminLoginForm"

# The site's default language: its edition is served at "/", every other edition under
# "/<prefix>/" (docs/editions.md). Each edition is a tree of pages in one Wagtail locale.
LANGUAGE_CODE = os.environ.get("BROADSHEET_LANGUAGE", "en")
LANGUAGES = [("en", "English"), ("fa", "Persian")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The editions: language (a code of LANGUAGES), URL prefix ("" for the default language's),
# calendar of the dates readers see ("gregorian" or "jalali"), name in its own language.
BROADSHEET_EDITIONS = [
    {"language": "en", "prefix": "", "calendar": "gregorian", "name": "English"},
    {"language": "fa", "prefix": "fa", "calendar": "jalali", "name": "فارسی"},
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Content-Security-Policy (django-csp; docs/security.md). Reader pages, live and baked: nothing
# from another origin, no inline script or style; Pagefind's search needs WebAssembly. The
# reader forms may post to the live app (BROADSHEET_LIVE_URL). Violations are reported to
# /csp-report/ and logged. docs/deploy.md gives nginx the same header for the baked files.
BROADSHEET_LIVE_URL = os.environ.get("BROADSHEET_LIVE_URL", "").rstrip("/")
# The site's onion address (http://….onion), announced on every page as Onion-Location
# (docs/archive.md); empty: none.
BROADSHEET_ONION_URL = os.environ.get("BROADSHEET_ONION_URL", "").rstrip("/")
# WebSub: the hub the feeds declare and the worker pings after a publish ("" = none;
# docs/distribution.md)
BROADSHEET_WEBSUB_HUB = os.environ.get("BROADSHEET_WEBSUB_HUB", "").strip()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        # the reader forms' script fetches a fresh form token from the live app
        "connect-src": ["'self'", *([BROADSHEET_LIVE_URL] if BROADSHEET_LIVE_URL else [])],
        "form-action": ["'self'", *([BROADSHEET_LIVE_URL] if BROADSHEET_LIVE_URL else [])],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "report-uri": ["/csp-report/"],
    }
}
# The Wagtail admin (its own templates use inline script and style attributes): still nothing
# from another origin; framed only by itself (previews).
BROADSHEET_ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
    "report-uri": ["/csp-report/"],
}
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks); none: the
# client is REMOTE_ADDR (broadsheet.discussion.guard.client_address).
BROADSHEET_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

WAGTAIL_SITE_NAME = "Broadsheet"
# No avatars fetched from gravatar.com in the admin: nothing loads from another origin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Search on OpenSearch/Elasticsearch instead (docs/search.md): SEARCH_BACKEND names a Wagtail
# search backend module, e.g. wagtail.search.backends.opensearch2, SEARCH_URL its server(s).
if os.environ.get("SEARCH_BACKEND"):
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": os.environ["SEARCH_BACKEND"],
        "URLS": env_list("SEARCH_URL", ["http://127.0.0.1:9200"]),
        # modelsearch names each index INDEX_PREFIX + "<app>_<model>" (it ignores "INDEX")
        "INDEX_PREFIX": os.environ.get("SEARCH_INDEX", "broadsheet") + "_",
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_FINDERS: list[dict] = []  # no oEmbed calls to other origins
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin must not call home
# No autosave: in Wagtail 8.0 the add-story form autosaves a draft as the editor types, and a
# Publish pressed before the form has switched to that draft (about a second) creates a second
# story beside the stray draft (tests/browser/test_editor_flow.py). Leaving the editor with
# unsaved changes still asks first.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_ALLOW_UNICODE_SLUGS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # worker: db_worker

# Mail (letters, messages to authors, moderation notices) goes through the task worker with
# retries (broadsheet.content.discussion.tasks). Without EMAIL_URL: printed to the console.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
_MAIL = email_settings(EMAIL_URL or "console://")
EMAIL_BACKEND = _MAIL["EMAIL_BACKEND"]
EMAIL_HOST = _MAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _MAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _MAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _MAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _MAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _MAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _MAIL.get("EMAIL_TIMEOUT", 10)
EMAIL_SSL_CAFILE = _MAIL.get("EMAIL_SSL_CAFILE", "")  # ?cafile=: trust this, not the system's
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Newsroom presentation
BROADSHEET_PAGE_SIZE = 20  # stories per listing page (section fronts, tags, authors)
BROADSHEET_LATEST_COUNT = 50  # stories on /latest/

# Everything to stderr (journald under systemd; docs/deploy.md): Broadsheet's own messages,
# and Django's warnings and errors — a 500's traceback included, whatever DEBUG and ADMINS say.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "broadsheet": {"handlers": ["console"], "level": "INFO"},
        "django": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Static search: a full bake writes a Pagefind index to <site>/pagefind/; incremental bakes
# schedule a rebuild at most every BROADSHEET_STATIC_SEARCH_INTERVAL seconds (docs/search.md).
BROADSHEET_STATIC_SEARCH = env_bool("BROADSHEET_STATIC_SEARCH", True)
BROADSHEET_STATIC_SEARCH_INTERVAL = int(os.environ.get("BROADSHEET_STATIC_SEARCH_INTERVAL", 300))
