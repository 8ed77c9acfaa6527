"""Readers writing back: comments on stories (and, next, guestbook, letters, author relay)."""
