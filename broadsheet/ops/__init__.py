"""Keeping a newsroom: ``broadsheet backup DIR`` and ``broadsheet restore DIR``."""
