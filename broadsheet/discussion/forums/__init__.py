"""The reader forums' pages and endpoints (models: ``broadsheet.content.forums``;
docs/forums.md)."""
