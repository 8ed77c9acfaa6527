"""The demo newsroom: ``broadsheet demo`` sets it up, bakes it and serves it."""
