"""Syndication: RSS/Atom feeds, XML sitemaps, robots.txt, and the social and structured data
(Open Graph, Twitter cards, schema.org JSON-LD) in the head of reader pages. See
docs/syndication.md."""
