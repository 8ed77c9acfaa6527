"""Local development and the demo: SQLite under ``var/``, mail to the console."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
BROADSHEET_SERVE_MEDIA = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
