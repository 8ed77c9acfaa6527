"""Importers: story files (and, later, WXR, feeds and archived HTML)."""
