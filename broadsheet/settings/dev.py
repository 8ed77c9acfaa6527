"""Local development and the demo: SQLite under ``var/``, mail to the console."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
BROADSHEET_SERVE_MEDIA = True
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A random key made on the first run and kept in ``var/secret-key.txt`` (mode 0600): a
    key in the repository would let anyone sign form tokens and sessions for this demo."""
    path = VAR_DIR / "secret-key.txt"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the demo made it just now
            return path.read_text().strip()
        with os.fdopen(fd, "w") as out:
            out.write(key + "\n")
        return key


SECRET_KEY = SECRET_KEY or _local_secret_key()  # noqa: F405
