"""The newsroom's content model: front page, sections, stories, authors, tips, site settings."""
