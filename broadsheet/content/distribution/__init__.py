"""Readers reached away from the site: newsletter lists, subscribers, issues and deliveries."""
