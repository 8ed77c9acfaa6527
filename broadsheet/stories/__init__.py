"""The newsroom's reader pages, a feature of the site model: front page, section fronts,
stories, information pages, "Latest articles", archives, authors, tags, 404/410."""
