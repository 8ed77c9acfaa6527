"""Broadsheet: news publishing for small independent newsrooms."""

__version__ = "0.1.0"
