"""The WSGI application with the rate limits' clock pinned to ``PINNED_CLOCK`` (Unix seconds),
for tests that run the app in separate processes: every post then falls in the same minute."""

import os

from broadsheet.discussion import guard
from broadsheet.wsgi import application

_NOW = float(os.environ["PINNED_CLOCK"])
guard.clock = lambda: _NOW

__all__ = ["application"]
