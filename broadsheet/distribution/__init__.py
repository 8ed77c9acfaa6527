"""Reaching readers when the site is blocked: e-mail newsletters (docs/distribution.md)."""
