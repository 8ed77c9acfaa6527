"""The newsroom's page tree, authors, tips and site settings (app label ``newsroom``)."""
