"""Editors' accounts and the deployment's defences: production checks, two-factor login,
login throttling, security headers (docs/security.md)."""
